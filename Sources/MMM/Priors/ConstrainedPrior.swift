import Inference
import RealModule

// A constrained-prior solver in the spirit of PyMC's `find_constrained_prior`: given a family and
// an interval [lower, upper], find the member that puts `mass` inside it. Two-parameter families
// are made well-posed by equal tails, P(X < lower) = P(X > upper) = (1 - mass) / 2 (for the
// Normal this is also the maximum-entropy answer: mu = (a + b) / 2, sigma = (b - a) / (2 z)).
// One-parameter families (HalfNormal, Exponential) solve the single mass equation for the scale,
// and report the largest mass any member can reach when the request is out of range.

/// Why a constrained prior cannot be found.
public struct ConstrainedPriorError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, in words.
  public let message: String
  public var description: String { "error: " + message }
}

/// Finds the parameters of a distribution family that put a given mass between two bounds.
public enum ConstrainedPrior {
  /// The families the solver knows (PyMC names).
  public static let families = ["Normal", "LogNormal", "Gamma", "Beta", "HalfNormal", "Exponential"]

  /// The member of `family` with `mass` of its probability between `lower` and `upper`.
  ///
  /// - Parameters:
  ///   - family: `Normal`, `LogNormal`, `Gamma`, `Beta` (equal tails) or `HalfNormal`,
  ///     `Exponential` (one scale parameter).
  ///   - lower: the interval's lower end.
  ///   - upper: the interval's upper end (> lower).
  ///   - mass: the probability wanted inside, in (0, 1); PyMC's default is 0.95.
  /// - Returns: the prior; `prior.parameters` gives PyMC's parameter names.
  /// - Throws: `ConstrainedPriorError` naming the reason when no member of the family can do it
  ///   (interval outside the support, mass out of reach, unknown family).
  public static func find(
    _ family: String, lower: Double, upper: Double, mass: Double = 0.95
  ) throws(ConstrainedPriorError) -> Prior {
    func fail(_ text: String) -> ConstrainedPriorError { ConstrainedPriorError(message: text) }
    guard lower.isFinite, upper.isFinite, lower < upper else {
      throw fail("the interval [\(lower), \(upper)] is empty or not finite: need lower < upper")
    }
    guard mass > 0, mass < 1 else { throw fail("mass \(mass) must lie strictly between 0 and 1") }
    let tail = (1 - mass) / 2
    let z = Self.normalQuantile(1 - tail)
    switch family {
    case "Normal":
      return .normal(mu: (lower + upper) / 2, sigma: (upper - lower) / (2 * z))
    case "LogNormal":
      guard lower > 0 else { throw fail("LogNormal lives on (0, inf): lower must be > 0, got \(lower)") }
      let (a, b) = (Double.log(lower), Double.log(upper))
      return .logNormal(mu: (a + b) / 2, sigma: (b - a) / (2 * z))
    case "Gamma":
      guard lower > 0 else {
        throw fail(
          "equal tails need P(X < lower) = \(tail) > 0, impossible for Gamma with lower = \(lower) <= 0")
      }
      let mean = (lower + upper) / 2
      let sd = (upper - lower) / (2 * z)
      let start = [Double.log(mean * mean / (sd * sd)), Double.log(mean / (sd * sd))]
      let solution = try solveEqualTails(start: start, lower: lower, upper: upper, tail: tail, family: family)
      { p in
        let (alpha, beta) = (Double.exp(p[0]), Double.exp(p[1]))
        return (
          SpecialCDF.gamma(lower, shape: alpha, rate: beta), SpecialCDF.gamma(upper, shape: alpha, rate: beta)
        )
      }
      return .gamma(alpha: Double.exp(solution[0]), beta: Double.exp(solution[1]))
    case "Beta":
      guard lower > 0, upper < 1 else {
        throw fail(
          "Beta lives on (0, 1): need 0 < lower < upper < 1 for equal tails, got [\(lower), \(upper)]")
      }
      let mean = (lower + upper) / 2
      let sd = min((upper - lower) / (2 * z), 0.9 * (mean * (1 - mean)).squareRoot())
      let kappa = mean * (1 - mean) / (sd * sd) - 1
      let start = [Double.log(mean * kappa), Double.log((1 - mean) * kappa)]
      let solution = try solveEqualTails(start: start, lower: lower, upper: upper, tail: tail, family: family)
      { p in
        let (a, b) = (Double.exp(p[0]), Double.exp(p[1]))
        return (SpecialCDF.beta(lower, a: a, b: b), SpecialCDF.beta(upper, a: a, b: b))
      }
      return .beta(alpha: Double.exp(solution[0]), beta: Double.exp(solution[1]))
    case "HalfNormal":
      guard upper > 0 else { throw fail("HalfNormal lives on [0, inf): upper must be > 0, got \(upper)") }
      let a = max(lower, 0)
      let inside: (Double) -> Double = { sigma in
        2 * (SpecialFunctions.normalCDF(upper / sigma) - SpecialFunctions.normalCDF(a / sigma))
      }
      let sigma = try solveScale(inside, mass: mass, family: family, lower: lower, upper: upper)
      return .halfNormal(sigma: sigma)
    case "Exponential":
      guard upper > 0 else { throw fail("Exponential lives on [0, inf): upper must be > 0, got \(upper)") }
      let a = max(lower, 0)
      // Scale s = 1 / lam; mass inside = exp(-a/s) - exp(-b/s).
      let inside: (Double) -> Double = { s in Double.exp(-a / s) - Double.exp(-upper / s) }
      let scale = try solveScale(inside, mass: mass, family: family, lower: lower, upper: upper)
      return .exponential(lam: 1 / scale)
    default:
      throw fail("unknown family '\(family)'; known: \(families.joined(separator: ", "))")
    }
  }

  /// Newton's method on the two tail equations in log-parameters, with a finite-difference
  /// Jacobian and step halving; converges to |residual| < 1e-10.
  static func solveEqualTails(
    start: [Double], lower: Double, upper: Double, tail: Double, family: String,
    cdfs: ([Double]) -> (Double, Double)
  ) throws(ConstrainedPriorError) -> [Double] {
    func residual(_ p: [Double]) -> [Double] {
      let (low, high) = cdfs(p)
      return [low - tail, high - (1 - tail)]
    }
    func norm(_ r: [Double]) -> Double { r[0].isFinite && r[1].isFinite ? abs(r[0]) + abs(r[1]) : .infinity }
    var p = start
    var r = residual(p)
    for _ in 0..<200 {
      if norm(r) < 1e-10 { return p }
      let h = 1e-6
      var jacobian = [[0.0, 0.0], [0.0, 0.0]]
      for j in 0..<2 {
        var plus = p
        var minus = p
        plus[j] += h
        minus[j] -= h
        let (rp, rm) = (residual(plus), residual(minus))
        for i in 0..<2 { jacobian[i][j] = (rp[i] - rm[i]) / (2 * h) }
      }
      let det = jacobian[0][0] * jacobian[1][1] - jacobian[0][1] * jacobian[1][0]
      guard det.isFinite, det != 0 else { break }
      let step = [
        (jacobian[1][1] * r[0] - jacobian[0][1] * r[1]) / det,
        (-jacobian[1][0] * r[0] + jacobian[0][0] * r[1]) / det,
      ]
      var scale = 1.0
      var improved = false
      for _ in 0..<40 {
        let candidate = [p[0] - scale * step[0], p[1] - scale * step[1]]
        let rc = residual(candidate)
        if norm(rc) < norm(r) {
          p = candidate
          r = rc
          improved = true
          break
        }
        scale /= 2
      }
      if !improved { break }
    }
    if norm(r) < 1e-8 { return p }
    throw ConstrainedPriorError(
      message: "no \(family) found with \(tail) of its mass below \(lower) and above \(upper) "
        + "(closest: residual \(norm(r)))")
  }

  /// The scale s with `inside(s) = mass` for a one-parameter family, where `inside` rises from 0
  /// to its maximum and falls back to 0; the larger root is returned when two exist (the wider
  /// prior), and an error names the maximum reachable mass when `mass` exceeds it.
  static func solveScale(
    _ inside: (Double) -> Double, mass: Double, family: String, lower: Double, upper: Double
  ) throws(ConstrainedPriorError) -> Double {
    // Scan a log grid for the maximum, then bisect on the decreasing side.
    let grid = (0...400).map { upper * Double.exp(-12 + 24 * Double($0) / 400) }
    let values = grid.map(inside)
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    // Refine the maximum by golden-section search between the neighbours.
    var (a, b) = (grid[max(best - 1, 0)], grid[min(best + 1, grid.count - 1)])
    for _ in 0..<100 {
      let m1 = a + (b - a) * 0.381_966
      let m2 = a + (b - a) * 0.618_034
      if inside(m1) < inside(m2) { a = m1 } else { b = m2 }
    }
    let peak = (a + b) / 2
    let maximum = inside(peak)
    guard maximum >= mass else {
      let percent = (maximum * 1000).rounded() / 10
      throw ConstrainedPriorError(
        message:
          "no \(family) puts \(mass) of its mass between \(lower) and \(upper): the most any \(family) "
          + "puts there is \(percent)% (widen the interval or lower the mass)")
    }
    var (low, high) = (peak, upper * Double.exp(12))
    guard inside(high) < mass else { return high }
    for _ in 0..<200 {
      let middle = (low * high).squareRoot()
      if inside(middle) >= mass { low = middle } else { high = middle }
    }
    return (low * high).squareRoot()
  }

  /// The standard normal quantile (Acklam's rational approximation refined by one Newton step).
  public static func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1)
    let a = [
      -39.696_830_286_653_76, 220.946_098_424_520_5, -275.928_510_446_968_7, 138.357_751_867_269,
      -30.664_798_066_147_16, 2.506_628_277_459_239,
    ]
    let b = [
      -54.476_098_798_224_06, 161.585_836_858_040_9, -155.698_979_859_886_6, 66.801_311_887_719_72,
      -13.280_681_552_885_72,
    ]
    let c = [
      -0.007_784_894_002_430_293, -0.322_396_458_041_136_5, -2.400_758_277_161_838, -2.549_732_539_343_734,
      4.374_664_141_464_968, 2.938_163_982_698_783,
    ]
    let d = [
      0.007_784_695_709_041_462, 0.322_467_129_070_039_8, 2.445_134_137_142_996, 3.754_408_661_907_416,
    ]
    var x: Double
    if p < 0.024_25 {
      let q = (-2 * Double.log(p)).squareRoot()
      x =
        (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p > 1 - 0.024_25 {
      let q = (-2 * Double.log(1 - p)).squareRoot()
      x =
        -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else {
      let q = p - 0.5
      let r = q * q
      x =
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
    for _ in 0..<2 {
      let e = SpecialFunctions.normalCDF(x) - p
      let density = Double.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
      x -= e / density
    }
    return x
  }
}
