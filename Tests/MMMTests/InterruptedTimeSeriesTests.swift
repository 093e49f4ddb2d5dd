import CausalMMMCore
import Inference
import Testing

@testable import MMM

@Suite("Interrupted time series and Michaelis-Menten points")
struct InterruptedTimeSeriesTests {
  static func series(n: Int, seed: UInt64, intercept: Double, slope: Double, sigma: Double) -> (
    x: [Double], y: [Double]
  ) {
    var rng = Xoshiro256StarStar(seed: seed)
    var x: [Double] = []
    var y: [Double] = []
    var level = 0.0
    for _ in 0..<n {
      level = 0.8 * level + rng.nextNormal()
      let xt = 10 + level
      x.append(xt)
      y.append(intercept + slope * xt + sigma * rng.nextNormal())
    }
    return (x, y)
  }

  static func sampler(seed: UInt64, tune: Int = 300, draws: Int = 300) -> SamplerConfiguration {
    var s = SamplerConfiguration()
    s.chains = 2
    s.tune = tune
    s.draws = draws
    s.seed = seed
    s.maxThreads = 1
    return s
  }

  static func finiteDifferenceError<D: LogDensity>(_ density: D, at point: [Double]) -> Double {
    let analytic = density.valueAndGradient(point).gradient
    var worst = 0.0
    for i in point.indices {
      let h = 1e-6
      var plus = point
      var minus = point
      plus[i] += h
      minus[i] -= h
      let numeric = (density.valueAndGradient(plus).value - density.valueAndGradient(minus).value) / (2 * h)
      worst = max(worst, abs(numeric - analytic[i]) / max(1, abs(numeric)))
    }
    return worst
  }

  @Test("regression log density: hand gradient matches central finite differences")
  func regressionGradient() {
    let (x, y) = Self.series(n: 40, seed: 1, intercept: 1, slope: 2, sigma: 0.5)
    let density = LinearRegressionDensity(x: x, y: y)
    for point in [[0.1, 0.9, -1.0], [-0.5, 0.2, 0.3], [1.2, -0.7, -2.5]] {
      #expect(Self.finiteDifferenceError(density, at: point) < 1e-6)
    }
  }

  @Test("Michaelis-Menten points log density: hand gradient matches central finite differences")
  func pointsGradient() {
    let points = [
      SpendChangePoint(x0: 3, x1: 0.3, deltaY: -1.2, sigma: 0.1),
      SpendChangePoint(x0: 3, x1: 6, deltaY: 0.45, sigma: 0.08),
    ]
    let density = MichaelisMentenPointsDensity(points: points, xScale: 6, yScale: 9)
    for point in [[0.0, 0.0], [-1.2, -0.4], [0.7, -2.0]] {
      #expect(Self.finiteDifferenceError(density, at: point) < 1e-6)
    }
  }

  @Test("posterior means of the pre-period regression agree with closed-form OLS on 2,000 rows")
  func coefficientsMatchOLS() throws {
    let n = 2000
    let (x, y) = Self.series(n: n + 10, seed: 7, intercept: 3, slope: 0.6, sigma: 0.4)
    let its = try InterruptedTimeSeries(
      treated: y, control: x, preRange: 0..<n, postRange: n..<(n + 10), sampler: Self.sampler(seed: 3))
    // Closed-form OLS on the same rows.
    let xs = Array(x[0..<n])
    let ys = Array(y[0..<n])
    let xm = xs.reduce(0, +) / Double(n)
    let ym = ys.reduce(0, +) / Double(n)
    let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - xm) * ($1.1 - ym) }
    let sxx = xs.reduce(0) { $0 + ($1 - xm) * ($1 - xm) }
    let slope = sxy / sxx
    let intercept = ym - slope * xm
    let rss = zip(xs, ys).reduce(0) {
      $0 + ($1.1 - intercept - slope * $1.0) * ($1.1 - intercept - slope * $1.0)
    }
    let sigma = (rss / Double(n - 2)).squareRoot()
    let slopeSE = sigma / sxx.squareRoot()
    let means = its.coefficientMeans
    #expect(abs(means[1] - slope) < 0.2 * slopeSE)
    #expect(abs(means[0] - intercept) < 0.2 * slopeSE * (xm * xm + sxx / Double(n)).squareRoot())
    #expect(abs(means[2] - sigma) < 0.01)
  }

  @Test("the cumulative-effect 94% HDI covers an injected effect of -0.6 per period and excludes 0")
  func injectedEffectCovered() throws {
    let (x, y0) = Self.series(n: 70, seed: 11, intercept: 2, slope: 1.5, sigma: 0.3)
    var y = y0
    for t in 60..<70 { y[t] -= 0.6 }
    let its = try InterruptedTimeSeries(
      treated: y, control: x, preRange: 0..<60, postRange: 60..<70, sampler: Self.sampler(seed: 5))
    let total = its.cumulativeEffect()
    #expect(total.hdiLower <= -6 && -6 <= total.hdiUpper)
    #expect(total.hdiUpper < 0)
    let steady = its.meanEffect(rows: 3..<10)
    #expect(steady.hdiLower <= -0.6 && -0.6 <= steady.hdiUpper)
  }

  @Test("bad ranges give a clear error, not a trap")
  func badRanges() {
    #expect(throws: LocatedError.self) {
      try InterruptedTimeSeries(
        treated: [1, 2, 3, 4], control: [1, 2, 3, 4], preRange: 0..<2, postRange: 2..<4,
        sampler: Self.sampler(seed: 1))
    }
    #expect(throws: LocatedError.self) {
      try InterruptedTimeSeries(
        treated: [1, 2, 3, 4, .nan], control: [1, 2, 3, 4, 5], preRange: 0..<3, postRange: 3..<5,
        sampler: Self.sampler(seed: 1))
    }
  }

  @Test("two noise-free spend changes recover the true alpha and lam; the prior puts 94% inside the HDI")
  func pointsRecoverCurve() throws {
    let (alpha, lam) = (2.75, 2.5)
    func s(_ x: Double) -> Double { alpha * x / (lam + x) }
    let points = [
      SpendChangePoint(x0: 3, x1: 0.3, deltaY: s(0.3) - s(3), sigma: 0.002),
      SpendChangePoint(x0: 3, x1: 6, deltaY: s(6) - s(3), sigma: 0.002),
    ]
    let (xScale, yScale) = (6.0, 9.0)
    let fit = try MichaelisMentenFromExperiments(
      points: points, xScale: xScale, yScale: yScale, sampler: Self.sampler(seed: 2, tune: 500, draws: 500))
    #expect(abs(fit.mode.alpha * yScale - alpha) < 0.02)
    #expect(abs(fit.mode.lam * xScale - lam) < 0.02)
    let priors = try fit.informativePriors(family: "Gamma", mass: 0.94)
    guard case .gamma(let a, let b) = priors.alpha else {
      Issue.record("expected a Gamma prior")
      return
    }
    let inside =
      SpecialCDF.gamma(fit.alpha.hdiUpper, shape: a, rate: b)
      - SpecialCDF.gamma(fit.alpha.hdiLower, shape: a, rate: b)
    #expect(abs(inside - 0.94) < 1e-3)
  }
}
