import Foundation
import Testing

@testable import Inference

@Suite("Sampler reproducibility and errors")
struct SamplerBehaviourTests {
  static func configuration(seed: UInt64, threads: Int? = nil) -> SamplerConfiguration {
    var configuration = SamplerConfiguration()
    configuration.chains = 3
    configuration.tune = 150
    configuration.draws = 100
    configuration.seed = seed
    configuration.maxThreads = threads
    return configuration
  }

  static func identical(_ a: Posterior, _ b: Posterior) -> Bool {
    zip(a.chains, b.chains).allSatisfy { $0.unconstrained == $1.unconstrained && $0.stats == $1.stats }
  }

  @Test("Same seed twice gives bit-identical draws; another seed does not")
  func sameSeedSameDraws() throws {
    let density = EightSchoolsNonCentredDensity()
    let first = try sampleNUTS(density, configuration: Self.configuration(seed: 5))
    let second = try sampleNUTS(density, configuration: Self.configuration(seed: 5))
    let other = try sampleNUTS(density, configuration: Self.configuration(seed: 6))
    #expect(Self.identical(first, second))
    #expect(!Self.identical(first, other))
  }

  @Test("One thread and two threads give bit-identical draws")
  func threadCountDoesNotChangeDraws() throws {
    let density = MultivariateNormalDensity.correlatedPair(rho: 0.9)
    let single = try sampleNUTS(density, configuration: Self.configuration(seed: 8, threads: 1))
    let double = try sampleNUTS(density, configuration: Self.configuration(seed: 8, threads: 2))
    #expect(Self.identical(single, double))
    #expect(single.chains[0].unconstrained != single.chains[1].unconstrained)
  }

  @Test("A density finite nowhere fails initialisation with a readable error")
  func initialisationFailure() {
    var configuration = Self.configuration(seed: 1)
    configuration.initialisationAttempts = 25
    #expect(throws: InferenceError.initialisationFailed(attempts: 25)) {
      try sampleNUTS(NowhereFiniteDensity(), configuration: configuration)
    }
    let message = "\(InferenceError.initialisationFailed(attempts: 25))"
    #expect(message.contains("25") && message.contains("(-2, 2)"))
  }

  @Test("Invalid settings are rejected before sampling")
  func invalidConfiguration() {
    var configuration = SamplerConfiguration()
    configuration.targetAccept = 1.2
    #expect(throws: InferenceError.self) {
      try sampleNUTS(IndependentNormalDensity(dimension: 2), configuration: configuration)
    }
    configuration = SamplerConfiguration()
    configuration.initialPosition = [0, 0, 0]
    #expect(throws: InferenceError.dimensionMismatch(expected: 2, actual: 3)) {
      try sampleNUTS(IndependentNormalDensity(dimension: 2), configuration: configuration)
    }
  }

  @Test("Transitions report consistent statistics: leapfrog count within the tree-depth bound")
  func transitionStatisticsAreConsistent() throws {
    var configuration = Self.configuration(seed: 3)
    configuration.maxTreeDepth = 4
    let posterior = try sampleNUTS(
      MultivariateNormalDensity.correlatedPair(rho: 0.999), configuration: configuration)
    for stats in posterior.chains.flatMap(\.stats) {
      #expect(stats.treeDepth <= 4)
      #expect(stats.leapfrogSteps >= 1 && stats.leapfrogSteps <= (1 << (stats.treeDepth + 1)) - 1)
      #expect(stats.acceptStat >= 0 && stats.acceptStat <= 1)
      #expect(stats.lp <= 0)
    }
    #expect(posterior.treeDepthSaturations > 0)
  }

  @Test("L-BFGS finds the mode of a correlated normal and of the Rosenbrock banana")
  func mapOptimiser() throws {
    let normal = MultivariateNormalDensity(
      mean: [1, -2, 3], covariance: [2, 0.9, 0, 0.9, 1, 0.2, 0, 0.2, 0.5])
    let normalMode = try findMAP(normal, start: nil)
    for (found, truth) in zip(normalMode.position, [1.0, -2, 3]) { #expect(abs(found - truth) < 1e-6) }
    #expect(abs(normalMode.logDensity) < 1e-10)
    let banana = try findMAP(RosenbrockDensity(), start: [-1.2, 1])
    #expect(abs(banana.position[0] - 1) < 1e-5 && abs(banana.position[1] - 1) < 1e-5)
  }

  @Test("A given initial position rescues a model whose support misses (-2, 2)")
  func initialPositionIsUsed() throws {
    var configuration = Self.configuration(seed: 2)
    configuration.initialisationAttempts = 20
    #expect(throws: InferenceError.initialisationFailed(attempts: 20)) {
      try sampleNUTS(BoxedNormalDensity(), configuration: configuration)
    }
    configuration.initialPosition = [5, 5]
    let posterior = try sampleNUTS(BoxedNormalDensity(), configuration: configuration)
    let draws = posterior.draws(named: "a") ?? []
    #expect(draws.flatMap { $0 }.allSatisfy { abs($0 - 5) < 1 })
  }

  @Test("Each chain gets its own copy of the density")
  func independentCopyPerChain() throws {
    let counter = CopyCounter()
    var configuration = Self.configuration(seed: 4, threads: 2)
    configuration.chains = 5
    _ = try sampleNUTS(CopyCountingDensity(counter: counter), configuration: configuration)
    #expect(counter.count == 5)
  }
}
