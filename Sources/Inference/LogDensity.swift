/// A target distribution that a sampler or optimiser can explore.
///
/// Samplers work on the unconstrained scale: `logDensity(at:gradient:)` receives a point of
/// ℝ^`dimension` and returns the log density there, *including* the log-Jacobian of the
/// constraining transforms, writing its gradient into caller-provided storage so the hot
/// loop allocates nothing. `constrain(_:into:)` maps an unconstrained point to the values
/// reported to users (one per entry of `parameterNames`, which may be longer than
/// `dimension` when a model reports derived quantities).
public protocol LogDensity: Sendable {
  /// The number of unconstrained coordinates.
  var dimension: Int { get }

  /// Names of the reported (constrained) values, PyMC-Marketing style:
  /// `saturation_lam[channel_1]`, `intercept[geo_00]`, `y_sigma`.
  var parameterNames: [String] { get }

  /// The log density at `position` (unconstrained scale, Jacobian included).
  ///
  /// - Parameters:
  ///   - position: `dimension` unconstrained coordinates.
  ///   - gradient: storage for `dimension` partial derivatives, overwritten.
  /// - Returns: the log density, or `-infinity` / NaN outside the support.
  func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double

  /// Writes the reported values (`parameterNames.count` of them) for an unconstrained point.
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>)

  /// A copy for the exclusive use of one chain (one thread).
  ///
  /// `sampleNUTS` calls it once per chain before sampling. A density that keeps scratch
  /// buffers in a reference type (to stay allocation-free) returns a copy with its own
  /// buffers; the default, right for densities holding only values, returns `self`.
  func independentCopy() -> Self

  /// Groups of coordinates expected to be strongly correlated, which a `.blockDiagonal` metric
  /// adapts as dense blocks (disjoint, each index in `0..<dimension`); the default is none.
  var metricBlocks: [[Int]] { get }

  /// New coordinates chosen from a warm-up window: given the positions a chain visited in it (this
  /// density's coordinates), a density for the same target in other coordinates, with those positions
  /// in its coordinates; nil keeps these. `sampleNUTS` asks once per chain, from that chain's own draws
  /// (so a chain run alone is the same chain), and re-estimates the metric from the mapped positions.
  /// The default keeps the coordinates.
  func reparametrised(from positions: [[Double]]) -> (density: Self, positions: [[Double]])?

  /// Whether `reparametrised(from:)` may change these coordinates during warm-up; `sampleNUTS` then caps
  /// the trajectories before that update at `SamplerConfiguration.warmupMaxTreeDepth`. The default: no.
  var reparametrisesInWarmup: Bool { get }

  /// The coordinates a chain reports for a position (`Chain.unconstrained`): the position itself by
  /// default; a reparametrised density reports the coordinates it was built on.
  func reportedPosition(_ position: [Double]) -> [Double]

  /// The `lp__` a chain reports for a position whose log density here is `value`: the log density of the
  /// coordinates `reportedPosition` gives, so that chains sampled in coordinates of their own report
  /// comparable values. The default: `value` itself.
  func reportedLogDensity(_ position: [Double], value: Double) -> Double

  /// A copy that splits its gradient evaluations over `share.threadsPerChain` threads, asked at each
  /// evaluation (`sampleNUTS` hands every chain the same share); the default ignores it.
  func sharingCores(_ share: CoreShare) -> Self

  /// The centre of the priors on the sampler's scale (PyMC's initial point: each prior's
  /// `support_point`, transformed), where PyMC's default `jitter+adapt_diag` starts its chains; the
  /// default is the origin.
  var supportPoint: [Double] { get }
}

extension LogDensity {
  /// Returns `self`: a density holding only values can be shared by all chains.
  public func independentCopy() -> Self { self }

  /// No blocks: a `.blockDiagonal` metric is then diagonal.
  public var metricBlocks: [[Int]] { [] }

  /// Keeps the coordinates.
  public func reparametrised(from positions: [[Double]]) -> (density: Self, positions: [[Double]])? { nil }

  /// No change of coordinates.
  public var reparametrisesInWarmup: Bool { false }

  /// The position itself.
  public func reportedPosition(_ position: [Double]) -> [Double] { position }

  /// The value itself.
  public func reportedLogDensity(_ position: [Double], value: Double) -> Double { value }

  /// Ignores the share: one thread per gradient.
  public func sharingCores(_ share: CoreShare) -> Self { self }

  /// The origin.
  public var supportPoint: [Double] { [Double](repeating: 0, count: dimension) }

  /// Convenience for tests and small callers: value and gradient as fresh arrays.
  public func valueAndGradient(_ position: [Double]) -> (value: Double, gradient: [Double]) {
    var gradient = [Double](repeating: 0, count: dimension)
    let value = position.withUnsafeBufferPointer { point in
      gradient.withUnsafeMutableBufferPointer { logDensity(at: point, gradient: $0) }
    }
    return (value, gradient)
  }

  /// Convenience: the reported values for an unconstrained point, as a fresh array.
  public func constrained(_ position: [Double]) -> [Double] {
    var values = [Double](repeating: 0, count: parameterNames.count)
    position.withUnsafeBufferPointer { point in
      values.withUnsafeMutableBufferPointer { constrain(point, into: $0) }
    }
    return values
  }
}
