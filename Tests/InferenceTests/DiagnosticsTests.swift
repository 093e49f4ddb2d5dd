import CausalMMMCore
import Testing

@testable import Inference

@Suite("Diagnostics reproduce ArviZ")
struct DiagnosticsTests {
  static func chains(of reference: ArviZReferenceCase) -> [[Double]] {
    let values = reference.draws.split(separator: " ").map { Double($0) ?? .nan }
    let length = values.count / reference.chains
    return (0..<reference.chains).map { Array(values[($0 * length)..<(($0 + 1) * length)]) }
  }

  static func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

  @Test("R-hat, bulk/tail ESS and MCSE match ArviZ to 1%", arguments: arvizReferenceCases.map(\.name))
  func convergenceDiagnosticsMatchArviZ(name: String) {
    let reference = arvizReferenceCases.first { $0.name == name }!
    let draws = Self.chains(of: reference)
    #expect(Self.relativeError(Diagnostics.splitRHat(draws), reference.rHat) < 0.01)
    #expect(Self.relativeError(Diagnostics.essBulk(draws), reference.essBulk) < 0.01)
    #expect(Self.relativeError(Diagnostics.essTail(draws), reference.essTail) < 0.01)
    #expect(Self.relativeError(Diagnostics.mcseMean(draws), reference.mcseMean) < 0.01)
  }

  @Test("Summary mean, sd, 94% HDI and E-BFMI match ArviZ", arguments: arvizReferenceCases.map(\.name))
  func summaryMatchesArviZ(name: String) {
    let reference = arvizReferenceCases.first { $0.name == name }!
    let draws = Self.chains(of: reference)
    let row = Diagnostics.summarise(name: name, chains: draws, hdiProbability: 0.94)
    #expect(abs(row.mean - reference.mean) < 1e-12)
    #expect(Self.relativeError(row.sd, reference.sd) < 1e-10)
    #expect(row.hdiLower == reference.hdiLower)
    #expect(row.hdiUpper == reference.hdiUpper)
    #expect(Self.relativeError(Diagnostics.eBFMI(energy: draws[0]), reference.bfmiOfFirstChain) < 1e-10)
  }

  @Test("HDI is the narrowest window found by brute force over all intervals")
  func hdiIsNarrowestInterval() {
    var generator = Xoshiro256StarStar(seed: 3)
    let values = (0..<257).map { _ in Double.exp(generator.nextNormal()) }
    let sorted = values.sorted()
    for probability in [0.5, 0.8, 0.94] {
      let needed = Int((probability * Double(values.count)).rounded(.down)) + 1
      var best = (lower: 0.0, upper: Double.infinity)
      for start in 0..<sorted.count {
        for end in start..<sorted.count where end - start + 1 >= needed {
          if sorted[end] - sorted[start] < best.upper - best.lower { best = (sorted[start], sorted[end]) }
          break
        }
      }
      let interval = Diagnostics.hdi(values, probability: probability)
      #expect(interval.lower == best.lower && interval.upper == best.upper)
    }
  }

  @Test("HDI from the selected tails equals the HDI of the fully sorted draws, ties and infinities included")
  func hdiFromTailsMatchesTheSortedPath() {
    var generator = Xoshiro256StarStar(seed: 11)
    func sortedHDI(_ values: [Double], _ probability: Double) -> (Double, Double) {
      let sorted = values.sorted()
      let span = Int((probability * Double(sorted.count)).rounded(.down))
      var best = 0
      for start in 0..<(sorted.count - span)
      where sorted[start + span] - sorted[start] < sorted[best + span] - sorted[best] {
        best = start
      }
      return (sorted[best], sorted[best + span])
    }
    for n in [4, 50, 333, 4000] {
      let continuous = (0..<n).map { _ in generator.nextNormal() }
      let ties = (0..<n).map { _ in (generator.nextNormal() * 3).rounded() + 0.5 }
      let sortedInput = continuous.sorted()
      var infinite = continuous
      infinite[0] = .infinity
      infinite[n - 1] = -.infinity
      for values in [continuous, ties, sortedInput, Array(sortedInput.reversed()), infinite] {
        for probability in [0.5, 0.8, 0.94, 0.99] {
          let interval = Diagnostics.hdi(values, probability: probability)
          let expected = sortedHDI(values, probability)
          #expect(interval.lower == expected.0 && interval.upper == expected.1)
          if let tails = Diagnostics.hdiFromTails(values, probability: probability) {
            #expect(tails.lower == expected.0 && tails.upper == expected.1)
          }
        }
      }
    }
    // Zeros (whose sign a sort keeps) and NaN take the full sort.
    #expect(Diagnostics.hdiFromTails([0] + (1..<100).map(Double.init), probability: 0.94) == nil)
    #expect(Diagnostics.hdiFromTails([.nan] + (1..<100).map(Double.init), probability: 0.94) == nil)
  }

  @Test("Normal quantile inverts the normal CDF and hits tabulated values")
  func normalQuantileIsAccurate() {
    #expect(abs(Diagnostics.standardNormalQuantile(0.975) - 1.959963984540054) < 1e-13)
    #expect(abs(Diagnostics.standardNormalQuantile(0.5)) < 1e-15)
    #expect(abs(Diagnostics.standardNormalQuantile(1e-10) + 6.361340902404056) < 1e-11)
    #expect(abs(Diagnostics.standardNormalQuantile(0.99) - 2.326347874040841) < 1e-13)
  }

  @Test("R-hat flags chains stuck in different places")
  func rHatDetectsSeparatedChains() {
    var generator = Xoshiro256StarStar(seed: 9)
    let chains = (0..<4).map { c in (0..<200).map { _ in generator.nextNormal() + Double(c) * 3 } }
    #expect(Diagnostics.splitRHat(chains) > 1.5)
  }
}
