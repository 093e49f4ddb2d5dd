import CausalMMMCore

/// The kept draws and sampler statistics of one chain.
public struct Chain: Sendable {
  /// Constrained draws: one row per draw, one column per entry of `Posterior.parameterNames`.
  public let values: [[Double]]
  /// Unconstrained draws: one row per draw, `dimension` columns.
  public let unconstrained: [[Double]]
  /// Sampler statistics of each kept transition.
  public let stats: [TransitionStats]
  /// The adapted step size used for the kept draws.
  public let stepSize: Double
  /// The adapted inverse metric: all d² entries row-major (dense metric), else its diagonal.
  public let inverseMetric: [Double]
  /// Leapfrog steps (gradient evaluations) spent in warm-up.
  public let warmupLeapfrogSteps: Int

  /// Creates a chain from its draws and statistics.
  public init(
    values: [[Double]], unconstrained: [[Double]], stats: [TransitionStats], stepSize: Double,
    inverseMetric: [Double], warmupLeapfrogSteps: Int = 0
  ) {
    self.warmupLeapfrogSteps = warmupLeapfrogSteps
    self.values = values
    self.unconstrained = unconstrained
    self.stats = stats
    self.stepSize = stepSize
    self.inverseMetric = inverseMetric
  }
}

/// One row of the `az.summary`-like table.
public struct ParameterSummary: Sendable, Hashable {
  /// Parameter name, e.g. `saturation_lam[channel_1]`.
  public let name: String
  /// Posterior mean over all chains and draws.
  public let mean: Double
  /// Posterior standard deviation (denominator n - 1).
  public let sd: Double
  /// Lower end of the highest-density interval.
  public let hdiLower: Double
  /// Upper end of the highest-density interval.
  public let hdiUpper: Double
  /// Monte Carlo standard error of the mean.
  public let mcseMean: Double
  /// Bulk effective sample size (rank-normalised split chains).
  public let essBulk: Double
  /// Tail effective sample size (minimum over the 5% and 95% quantile indicators).
  public let essTail: Double
  /// Rank-normalised split R-hat (maximum of bulk and folded).
  public let rHat: Double
}

/// The result of `sampleNUTS`: draws of every chain, sampler statistics and diagnostics.
public struct Posterior: Sendable {
  /// Names of the reported (constrained) values, the columns of `Chain.values`.
  public let parameterNames: [String]
  /// One entry per chain, in chain order.
  public let chains: [Chain]
  /// The configuration that produced these draws.
  public let configuration: SamplerConfiguration
  /// Wall-clock seconds of sampling (warm-up included).
  public let seconds: Double
  /// The index (0-based) of each entry of `chains` in the `configuration.chains`-chain run: `0..<n` for a
  /// full run, the subset for a run of `configuration.chainIndices`.
  public let chainIndices: [Int]

  /// Creates a posterior from chains (`chainIndices` nil: `0..<chains.count`).
  public init(
    parameterNames: [String], chains: [Chain], configuration: SamplerConfiguration, seconds: Double,
    chainIndices: [Int]? = nil
  ) {
    self.parameterNames = parameterNames
    self.chains = chains
    self.configuration = configuration
    self.seconds = seconds
    self.chainIndices = chainIndices ?? Array(chains.indices)
  }

  /// Number of divergent transitions among the kept draws of all chains.
  public var divergences: Int {
    chains.reduce(0) { $0 + $1.stats.reduce(0) { $0 + ($1.divergent ? 1 : 0) } }
  }

  /// Number of kept transitions that hit the maximum tree depth, over all chains.
  public var treeDepthSaturations: Int {
    let limit = configuration.maxTreeDepth
    return chains.reduce(0) { $0 + $1.stats.reduce(0) { $0 + ($1.treeDepth >= limit ? 1 : 0) } }
  }

  /// Estimated Bayesian fraction of missing information per chain (values below 0.3 signal trouble).
  public var eBFMI: [Double] {
    chains.map { Diagnostics.eBFMI(energy: $0.stats.map(\.energy)) }
  }

  /// Total leapfrog steps (gradient evaluations) of the kept transitions, over all chains.
  public var leapfrogSteps: Int {
    chains.reduce(0) { $0 + $1.stats.reduce(0) { $0 + $1.leapfrogSteps } }
  }

  /// Draws of one reported value, chain by draw; nil for an unknown name.
  public func draws(named name: String) -> [[Double]]? {
    guard let column = parameterNames.firstIndex(of: name) else { return nil }
    return draws(column: column)
  }

  /// Draws of column `column` of the reported values, chain by draw.
  public func draws(column: Int) -> [[Double]] {
    chains.map { chain in chain.values.map { $0[column] } }
  }

  /// Draws of unconstrained coordinate `coordinate`, chain by draw.
  public func unconstrainedDraws(coordinate: Int) -> [[Double]] {
    chains.map { chain in chain.unconstrained.map { $0[coordinate] } }
  }

  /// The `az.summary`-like table: one row per reported value.
  ///
  /// - Parameter hdiProbability: mass of the highest-density interval (ArviZ's default 0.94).
  /// Parameters are summarised on every core (`configuration.maxThreads` at most), each on its own: the
  /// table is the same whatever the number of threads.
  public func summary(hdiProbability: Double = 0.94) -> [ParameterSummary] {
    parallelMap(parameterNames.count, threads: configuration.maxThreads) {
      summarise(column: $0, hdiProbability: hdiProbability)
    }
  }

  private func summarise(column: Int, hdiProbability: Double) -> ParameterSummary {
    Diagnostics.summarise(
      name: parameterNames[column], chains: draws(column: column), hdiProbability: hdiProbability)
  }
}
