import CausalMMMCore
import Inference
import RealModule

// From measured spend changes to the Michaelis-Menten curve and on to informative priors (seed 004).
//
// An experiment that moves a channel's spend from x0 to x1 per period and measures a change of
// delta_y per period in sales gives one constraint on the saturation curve s(x) = alpha x / (lam + x):
// s(x1) - s(x0) = delta_y. The seed reads it as a point on the derivative, (midpoint, delta_y / delta_x);
// we use the exact difference, which the derivative point approximates. One point leaves a ridge
// of (alpha, lam) pairs; two or more points at different spend levels pin the curve down. The fit is
// a small posterior in the MMM's scaled units (x / channel scale, y / target scale) with the MMM's
// default Michaelis-Menten priors, sampled with NUTS; its 94% HDIs become the informative priors.

/// A spend change measured by an experiment, in data units per period.
public struct SpendChangePoint: Sendable, Codable, Equatable {
  /// Spend per period before the change.
  public var x0: Double
  /// Spend per period during the change.
  public var x1: Double
  /// Measured change in the outcome per period (negative for a cut that cost sales).
  public var deltaY: Double
  /// Standard deviation of `deltaY`.
  public var sigma: Double

  /// Creates a point.
  public init(x0: Double, x1: Double, deltaY: Double, sigma: Double) {
    self.x0 = x0
    self.x1 = x1
    self.deltaY = deltaY
    self.sigma = sigma
  }

  enum CodingKeys: String, CodingKey {
    case x0, x1, sigma
    case deltaY = "delta_y"
  }

  /// The seed's derivative reading: the average rate of change `delta_y / delta_x`…
  public var rateOfChange: Double { deltaY / (x1 - x0) }
  /// …placed at the midpoint of the two spend levels.
  public var midpoint: Double { (x0 + x1) / 2 }
}

/// The posterior of Michaelis-Menten `(alpha, lam)` in scaled units given spend-change points:
/// `delta_y / yScale ~ Normal(alpha (g(x1) - g(x0)), sigma / yScale)` with `g(x) = x / (lam + x)`,
/// `x` divided by `xScale`. Coordinates `(log alpha, log lam)`; reported `saturation_alpha`,
/// `saturation_lam` (scaled, as the MMM's parameters).
public struct MichaelisMentenPointsDensity: LogDensity {
  let x0: [Double]
  let x1: [Double]
  let deltaY: [Double]
  let sigma: [Double]
  /// Priors on the scaled alpha and lam.
  public let alphaPrior: Prior
  public let lamPrior: Prior

  /// Builds the density.
  ///
  /// - Parameters:
  ///   - points: the measured spend changes (data units).
  ///   - xScale: the channel scale the MMM divides spend by (its maximum).
  ///   - yScale: the target scale the MMM divides sales by (max |y|).
  ///   - alphaPrior: prior on scaled alpha (MMM default Gamma(mu=2, sigma=1)).
  ///   - lamPrior: prior on scaled lam (MMM default HalfNormal(1)).
  public init(
    points: [SpendChangePoint], xScale: Double, yScale: Double,
    alphaPrior: Prior = .gamma(mean: 2, sd: 1), lamPrior: Prior = .halfNormal(sigma: 1)
  ) {
    x0 = points.map { $0.x0 / xScale }
    x1 = points.map { $0.x1 / xScale }
    deltaY = points.map { $0.deltaY / yScale }
    sigma = points.map { $0.sigma / yScale }
    self.alphaPrior = alphaPrior
    self.lamPrior = lamPrior
  }

  public var dimension: Int { 2 }
  public var parameterNames: [String] { ["saturation_alpha", "saturation_lam"] }

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let alpha = Double.exp(position[0])
    let lam = Double.exp(position[1])
    let pa = alphaPrior.logDensityAndDerivative(alpha)
    let pl = lamPrior.logDensityAndDerivative(lam)
    // Log-Jacobian of the exp transforms: log alpha + log lam.
    var value = pa.value + pl.value + position[0] + position[1]
    var dAlpha = pa.derivative
    var dLam = pl.derivative
    for i in 0..<x0.count {
      let d0 = lam + x0[i]
      let d1 = lam + x1[i]
      let g = x1[i] / d1 - x0[i] / d0
      let dg = -x1[i] / (d1 * d1) + x0[i] / (d0 * d0)
      let r = deltaY[i] - alpha * g
      let w = 1 / (sigma[i] * sigma[i])
      value -= 0.5 * r * r * w
      dAlpha += r * w * g
      dLam += r * w * alpha * dg
    }
    gradient[0] = dAlpha * alpha + 1
    gradient[1] = dLam * lam + 1
    return value
  }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    values[0] = Double.exp(position[0])
    values[1] = Double.exp(position[1])
  }
}

/// The Michaelis-Menten curve fitted to spend-change points, and the priors it implies.
public struct MichaelisMentenFromExperiments: Sendable {
  /// Posterior mode (scaled alpha, scaled lam).
  public let mode: (alpha: Double, lam: Double)
  /// Posterior draws summarised: scaled alpha and lam.
  public let alpha: DrawSummary
  public let lam: DrawSummary
  /// The scales used.
  public let xScale: Double
  public let yScale: Double

  /// Fits the posterior of `MichaelisMentenPointsDensity` (mode with L-BFGS, draws with NUTS).
  ///
  /// - Throws: `LocatedError` for no points, a non-positive sigma or scale, or equal spend levels;
  ///   the sampler's error otherwise.
  public init(
    points: [SpendChangePoint], xScale: Double, yScale: Double, sampler: SamplerConfiguration,
    alphaPrior: Prior = .gamma(mean: 2, sd: 1), lamPrior: Prior = .halfNormal(sigma: 1)
  ) throws {
    guard !points.isEmpty else { throw LocatedError("need at least one spend-change point") }
    guard xScale > 0, yScale > 0, xScale.isFinite, yScale.isFinite else {
      throw LocatedError("scales must be positive and finite, got x \(xScale), y \(yScale)")
    }
    for (i, p) in points.enumerated() {
      guard p.sigma > 0, p.sigma.isFinite else {
        throw LocatedError("point \(i + 1): sigma must be > 0, got \(p.sigma)")
      }
      guard p.x0 >= 0, p.x1 >= 0, p.x0 != p.x1, p.deltaY.isFinite else {
        throw LocatedError("point \(i + 1): need non-negative spends x0 != x1 and a finite delta_y")
      }
    }
    let density = MichaelisMentenPointsDensity(
      points: points, xScale: xScale, yScale: yScale, alphaPrior: alphaPrior, lamPrior: lamPrior)
    let map = try findMAP(density, start: [0, 0])
    mode = (Double.exp(map.position[0]), Double.exp(map.position[1]))
    let posterior = try sampleNUTS(density, configuration: sampler)
    alpha = DrawSummary(posterior.draws(column: 0).flatMap { $0 })
    lam = DrawSummary(posterior.draws(column: 1).flatMap { $0 })
    self.xScale = xScale
    self.yScale = yScale
  }

  /// Informative priors for the MMM (scaled units): the member of `family` putting `mass` of its
  /// probability inside each parameter's posterior HDI, found with `ConstrainedPrior.find`.
  ///
  /// - Returns: `(saturation_alpha prior, saturation_lam prior)`.
  public func informativePriors(family: String = "Gamma", mass: Double = 0.94) throws(ConstrainedPriorError)
    -> (
      alpha: Prior, lam: Prior
    )
  {
    (
      try ConstrainedPrior.find(family, lower: alpha.hdiLower, upper: alpha.hdiUpper, mass: mass),
      try ConstrainedPrior.find(family, lower: lam.hdiLower, upper: lam.hdiUpper, mass: mass)
    )
  }
}
