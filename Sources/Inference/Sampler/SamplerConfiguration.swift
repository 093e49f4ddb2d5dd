/// Settings of a NUTS run. Defaults follow Stan: 4 chains, 1000 warm-up and 1000 sampling
/// iterations, target acceptance 0.8, maximum tree depth 10, diagonal metric.
public struct SamplerConfiguration: Sendable {
  /// Number of independent chains.
  public var chains = 4
  /// Warm-up (adaptation) iterations per chain; not kept.
  public var tune = 1000
  /// Kept iterations per chain.
  public var draws = 1000
  /// Target mean acceptance statistic of the step-size dual averaging, in (0, 1).
  public var targetAccept = 0.8
  /// Maximum number of trajectory doublings per transition (2^depth leapfrog steps).
  public var maxTreeDepth = 10
  /// Maximum tree depth of the warm-up iterations before a density changes coordinates
  /// (`LogDensity.reparametrisesInWarmup`; at most `maxTreeDepth`). Those draws serve only to estimate the
  /// variances the new coordinates are chosen from and the metric, while in the coordinates about to be
  /// replaced (a hierarchical model's non-centred funnels under a metric not yet adapted) trajectories
  /// run to hundreds of steps: on the 200-geo panel the iterations before the change took 60% of the
  /// gradients of warm-up. Iterations after the change, and every kept draw, use `maxTreeDepth`.
  /// A dense metric is never capped: its covariance, estimated from the capped (more autocorrelated) draws,
  /// left seed 002's HSGP fit with a metric it could not recover from (min ESS 12-32 over 8 seeds, against
  /// 230-550 uncapped; the block metric samples as well capped as not).
  public var warmupMaxTreeDepth = 6
  /// Seed from which each chain's random stream is derived (chain k uses stream k).
  public var seed: UInt64 = 1
  /// Shape of the adapted mass matrix.
  public var metric: MetricKind = .diagonal
  /// Unconstrained starting point shared by all chains, each jittered by
  /// uniform(-`initialJitter`, `initialJitter`) per coordinate; when nil, each chain starts at
  /// uniform(-2, 2) per coordinate.
  public var initialPosition: [Double]? = nil
  /// Half-width of the jitter around `initialPosition`: 0.2 (chains near a posterior mode) by default,
  /// 1 for PyMC's `jitter+adapt_diag` start around the priors' support point.
  public var initialJitter = 0.2
  /// Draws a per-chain progress display on standard error when it is a terminal.
  public var showProgress = false
  /// Upper bound on worker threads; nil uses every core. Draws never depend on it.
  public var maxThreads: Int? = nil
  /// Random initialisation attempts per chain before giving up.
  public var initialisationAttempts = 100
  /// Run only these chains (0-based, each below `chains`) of the `chains`-chain run: chain k keeps the
  /// seed stream and starting point it has in the full run, so the union of disjoint subsets run in
  /// separate processes equals the full run chain by chain. `nil`: every chain.
  public var chainIndices: [Int]? = nil

  /// Creates the default configuration.
  public init() {}
}
