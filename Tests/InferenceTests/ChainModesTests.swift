import CausalMMMCore
import Testing

@testable import Inference

@Suite("Chains in another mode")
struct ChainModesTests {
  static func posterior(chainOffsets: [Double], draws: Int = 400, seed: UInt64 = 3) -> Posterior {
    var generator = Xoshiro256StarStar(seed: seed)
    let chains = chainOffsets.map { offset in
      let stats = (0..<draws).map { _ in
        TransitionStats(
          lp: offset + 3 * generator.nextNormal(), acceptStat: 0.9, stepSize: 0.1, treeDepth: 3,
          leapfrogSteps: 7,
          divergent: false, energy: 0)
      }
      return Chain(
        values: Array(repeating: [0], count: draws), unconstrained: Array(repeating: [0], count: draws),
        stats: stats, stepSize: 0.1, inverseMetric: [1])
    }
    return Posterior(parameterNames: ["x"], chains: chains, configuration: SamplerConfiguration(), seconds: 1)
  }

  @Test("a chain whose lp__ sits 26 below the others is named, with both means")
  func stuckChainIsNamed() {
    let separated = Diagnostics.separatedChains(Self.posterior(chainOffsets: [-100, -100, -126, -100]))
    #expect(separated.map(\.chain) == [2])
    #expect(abs(separated[0].meanLogDensity - -126) < 0.5)
    #expect(abs(separated[0].othersMeanLogDensity - -100) < 0.5)
  }

  @Test("chains sampling one posterior, or shifted by less than their spread, are not flagged")
  func mixingChainsAreNot() {
    for seed: UInt64 in 1...20 {
      #expect(
        Diagnostics.separatedChains(Self.posterior(chainOffsets: [-50, -50, -50, -50], seed: seed)).isEmpty)
    }
    #expect(Diagnostics.separatedChains(Self.posterior(chainOffsets: [-50, -52, -50, -50])).isEmpty)
    #expect(Diagnostics.separatedChains(Self.posterior(chainOffsets: [-50])).isEmpty)
  }
}
