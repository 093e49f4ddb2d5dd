import CausalMMMCore
import Inference
import RealModule

// Interrupted time series with a control series (CausalPy's `InterruptedTimeSeries` with the
// formula `treated ~ control`): a Bayesian linear regression of the treated series on the control
// series and an intercept, fitted on the pre-period only, predicts the treated series' counterfactual
// in the post-period; the effect is observed minus counterfactual (posterior predictive, noise
// included), period by period and summed.
//
// The regression is sampled on standardised data (x and y centred and divided by their pre-period
// standard deviations), with intercept, slope ~ Normal(0, 5) and sigma ~ HalfNormal(1) on that scale:
// weakly informative whatever the units. Reported coefficients are in the data's units.

/// The log posterior of `y = a + b x + e`, `e ~ Normal(0, sigma²)`, on standardised data, with a hand
/// gradient. Coordinates: `(a, b, log sigma)`; reported values `intercept`, `slope`, `sigma` in the
/// original units.
public struct LinearRegressionDensity: LogDensity {
  /// The standardised regressor and response.
  let x: [Double]
  let y: [Double]
  let xMean: Double
  let xScale: Double
  let yMean: Double
  let yScale: Double
  /// Prior standard deviation of the standardised intercept and slope.
  public let coefficientPriorSD: Double
  /// HalfNormal scale of the standardised noise.
  public let sigmaPriorScale: Double

  /// Builds the density from paired observations (at least 3, finite, with a non-constant regressor).
  ///
  /// - Parameters:
  ///   - x: the regressor (control series) in data units.
  ///   - y: the response (treated series) in data units.
  ///   - coefficientPriorSD: Normal prior sd of the standardised intercept and slope (default 5).
  ///   - sigmaPriorScale: HalfNormal prior scale of the standardised noise sd (default 1).
  public init(x: [Double], y: [Double], coefficientPriorSD: Double = 5, sigmaPriorScale: Double = 1) {
    precondition(x.count == y.count && x.count >= 3, "need at least 3 paired observations")
    func moments(_ v: [Double]) -> (Double, Double) {
      let mean = v.reduce(0, +) / Double(v.count)
      let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
      return (mean, variance > 0 ? variance.squareRoot() : 1)
    }
    (xMean, xScale) = moments(x)
    (yMean, yScale) = moments(y)
    self.x = x.map { [xMean, xScale] in ($0 - xMean) / xScale }
    self.y = y.map { [yMean, yScale] in ($0 - yMean) / yScale }
    self.coefficientPriorSD = coefficientPriorSD
    self.sigmaPriorScale = sigmaPriorScale
  }

  public var dimension: Int { 3 }
  public var parameterNames: [String] { ["intercept", "slope", "sigma"] }

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let a = position[0]
    let b = position[1]
    let u = position[2]
    let precision = Double.exp(-2 * u)
    var sumSquares = 0.0
    var sumResidual = 0.0
    var sumResidualX = 0.0
    for t in 0..<x.count {
      let r = y[t] - a - b * x[t]
      sumSquares += r * r
      sumResidual += r
      sumResidualX += r * x[t]
    }
    let n = Double(x.count)
    let s2 = coefficientPriorSD * coefficientPriorSD
    let h2 = sigmaPriorScale * sigmaPriorScale
    let sigma2 = Double.exp(2 * u)
    // Priors (Normal, Normal, HalfNormal with log-Jacobian u) plus the Normal likelihood.
    let value = -(a * a + b * b) / (2 * s2) - sigma2 / (2 * h2) + u - n * u - 0.5 * sumSquares * precision
    gradient[0] = -a / s2 + sumResidual * precision
    gradient[1] = -b / s2 + sumResidualX * precision
    gradient[2] = -sigma2 / h2 + 1 - n + sumSquares * precision
    return value
  }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    let slope = position[1] * yScale / xScale
    values[0] = yMean + position[0] * yScale - slope * xMean
    values[1] = slope
    values[2] = Double.exp(position[2]) * yScale
  }
}

/// An interrupted-time-series analysis of one treated series against one control series.
public struct InterruptedTimeSeries: Sendable {
  /// The regression posterior (intercept, slope, sigma in data units).
  public let posterior: Posterior
  /// Indices of the pre-period rows the regression was fitted on.
  public let preRange: Range<Int>
  /// Indices of the post-period (intervention) rows.
  public let postRange: Range<Int>
  /// The observed treated series on the post-period.
  public let observed: [Double]
  /// Posterior predictive counterfactual draws, draw by post-period row.
  public let counterfactual: [[Double]]
  /// Effect draws (observed minus counterfactual), draw by post-period row.
  public let effect: [[Double]]

  /// Fits the pre-period regression with NUTS and predicts the post-period counterfactual.
  ///
  /// - Parameters:
  ///   - treated: the treated series (e.g. Venezuela's sales), all rows.
  ///   - control: the control series (e.g. Colombia's sales), same rows.
  ///   - preRange: rows to fit on (before the intervention); at least 3.
  ///   - postRange: the intervention rows, after `preRange`.
  ///   - sampler: NUTS settings; the predictive noise uses stream `chains` of the same seed.
  /// - Throws: `LocatedError` for bad ranges or non-finite values, or the sampler's error.
  public init(
    treated: [Double], control: [Double], preRange: Range<Int>, postRange: Range<Int>,
    sampler: SamplerConfiguration
  ) throws {
    guard treated.count == control.count else {
      throw LocatedError("treated and control series differ in length (\(treated.count) vs \(control.count))")
    }
    guard preRange.lowerBound >= 0, preRange.count >= 3, postRange.lowerBound >= preRange.upperBound,
      !postRange.isEmpty, postRange.upperBound <= treated.count
    else {
      throw LocatedError(
        "need at least 3 pre-period rows before a non-empty post-period inside the data; got pre rows "
          + "\(preRange.lowerBound)..<\(preRange.upperBound), post rows \(postRange.lowerBound)..<\(postRange.upperBound) "
          + "of \(treated.count)")
    }
    for (name, series) in [("treated", treated), ("control", control)] {
      if let bad = (preRange.lowerBound..<postRange.upperBound).first(where: { !series[$0].isFinite }) {
        throw LocatedError(line: bad + 2, column: name, "not a finite number")
      }
    }
    let x = Array(control[preRange])
    guard x.contains(where: { $0 != x[0] }) else {
      throw LocatedError(column: "control", "the control series is constant on the pre-period")
    }
    let density = LinearRegressionDensity(x: x, y: Array(treated[preRange]))
    posterior = try sampleNUTS(density, configuration: sampler)
    self.preRange = preRange
    self.postRange = postRange
    observed = Array(treated[postRange])
    var rng = Xoshiro256StarStar.stream(seed: sampler.seed, index: sampler.chains)
    var counterfactual: [[Double]] = []
    var effect: [[Double]] = []
    for chain in posterior.chains {
      for draw in chain.values {
        let (intercept, slope, sigma) = (draw[0], draw[1], draw[2])
        let predicted = postRange.map { intercept + slope * control[$0] + sigma * rng.nextNormal() }
        counterfactual.append(predicted)
        effect.append(zip(observed, predicted).map { $0 - $1 })
      }
    }
    self.counterfactual = counterfactual
    self.effect = effect
  }

  /// The summed effect over post-period rows `rows` (offsets into the post-period; default all).
  public func cumulativeEffect(rows: Range<Int>? = nil) -> DrawSummary {
    let r = rows ?? 0..<postRange.count
    return DrawSummary(effect.map { draw in r.reduce(0) { $0 + draw[$1] } })
  }

  /// The mean effect per period over post-period rows `rows` (offsets into the post-period).
  public func meanEffect(rows: Range<Int>? = nil) -> DrawSummary {
    let r = rows ?? 0..<postRange.count
    return DrawSummary(effect.map { draw in r.reduce(0) { $0 + draw[$1] } / Double(r.count) })
  }

  /// Posterior mean of each regression coefficient: intercept, slope, sigma.
  public var coefficientMeans: [Double] {
    (0..<3).map { column in
      let draws = posterior.draws(column: column).flatMap { $0 }
      return draws.reduce(0, +) / Double(draws.count)
    }
  }
}
