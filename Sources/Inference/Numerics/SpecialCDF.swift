import RealModule

/// Cumulative distribution functions: the regularised incomplete gamma (lower and upper) and beta,
/// the standard normal and Student's t (with their quantiles). Used by the constrained-prior solver,
/// the SBC rank test and the tests of a DAG against data.
public enum SpecialCDF {
  /// P(X <= x) for Gamma(shape, rate): the regularised lower incomplete gamma P(shape, rate x).
  public static func gamma(_ x: Double, shape a: Double, rate: Double) -> Double {
    regularizedGamma(a, rate * x).lower
  }

  /// P(X > x) for Gamma(shape, rate): the regularised upper incomplete gamma Q(shape, rate x),
  /// computed directly (not as 1 - P) so that small tails keep their precision.
  public static func gammaSurvival(_ x: Double, shape a: Double, rate: Double) -> Double {
    regularizedGamma(a, rate * x).upper
  }

  /// P(X > x) for a chi-square with `degrees` degrees of freedom: Q(k/2, x/2).
  public static func chiSquareSurvival(_ x: Double, degrees: Int) -> Double {
    gammaSurvival(x, shape: Double(degrees) / 2, rate: 0.5)
  }

  // P(a, t) and Q(a, t): the series for P below t = a + 1, Lentz's continued fraction for Q above;
  // the other one is the complement of the one computed.
  private static func regularizedGamma(_ a: Double, _ t: Double) -> (lower: Double, upper: Double) {
    guard t > 0 else { return (0, 1) }
    let logPrefix = a * Double.log(t) - t - Double.logGamma(a)
    if t < a + 1 {
      // Series: P = e^{-t} t^a / Γ(a) Σ t^n / (a (a+1) ... (a+n)).
      var term = 1 / a
      var sum = term
      var n = 1.0
      while n < 10_000 {
        term *= t / (a + n)
        sum += term
        if abs(term) < abs(sum) * 1e-16 { break }
        n += 1
      }
      let lower = min(1, sum * Double.exp(logPrefix))
      return (lower, 1 - lower)
    }
    let tiny = 1e-300
    var b = t + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    var i = 1.0
    while i < 10_000 {
      let an = -i * (i - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
      i += 1
    }
    let upper = min(1, Double.exp(logPrefix) * h)
    return (1 - upper, upper)
  }

  /// P(X <= x) for Beta(a, b): the regularised incomplete beta I_x(a, b).
  public static func beta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront =
      Double.logGamma(a + b) - Double.logGamma(a) - Double.logGamma(b) + a * Double.log(x) + b
      * Double.log(onePlus: -x)
    if x > (a + 1) / (a + b + 2) { return 1 - beta(1 - x, a: b, b: a) }
    // Continued fraction (Lentz).
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    var m = 1.0
    while m < 10_000 {
      let m2 = 2 * m
      var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
      m += 1
    }
    return Double.exp(logFront) * h / a
  }

  /// Φ(z), the standard normal CDF, through erfc (so the lower tail keeps its precision).
  public static func normal(_ z: Double) -> Double { 0.5 * Double.erfc(-z / 2.0.squareRoot()) }

  /// 1 - Φ(z), computed directly so that the upper tail keeps its precision.
  public static func normalSurvival(_ z: Double) -> Double { 0.5 * Double.erfc(z / 2.0.squareRoot()) }

  /// Φ⁻¹(p), the standard normal quantile (``Diagnostics/standardNormalQuantile(_:)``).
  public static func normalQuantile(_ p: Double) -> Double { Diagnostics.standardNormalQuantile(p) }

  /// P(T > t) for Student's t with `degrees` (> 0) degrees of freedom: I_{ν/(ν+t²)}(ν/2, 1/2) / 2 for t ≥ 0.
  public static func studentTSurvival(_ t: Double, degrees nu: Double) -> Double {
    guard t.isFinite else { return t.isNaN ? .nan : (t > 0 ? 0 : 1) }
    let tail = 0.5 * beta(nu / (nu + t * t), a: nu / 2, b: 0.5)
    return t >= 0 ? tail : 1 - tail
  }

  /// P(T <= t) for Student's t with `degrees` degrees of freedom.
  public static func studentT(_ t: Double, degrees nu: Double) -> Double { studentTSurvival(-t, degrees: nu) }

  /// The Student's t quantile: the t with P(T <= t) = p, by Newton steps on the CDF from the normal
  /// quantile, safeguarded by bisection; accurate to about 1e-12 relative.
  public static func studentTQuantile(_ p: Double, degrees nu: Double) -> Double {
    guard p > 0, p < 1 else { return p == 0 ? -.infinity : (p == 1 ? .infinity : .nan) }
    if p > 0.5 { return -studentTQuantile(1 - p, degrees: nu) }
    // Lower half: the root lies in (lower, 0].
    var lower = -1.0
    while studentT(lower, degrees: nu) > p { lower *= 2 }
    var upper = 0.0
    var t = max(lower, min(upper, normalQuantile(p)))
    let logNormaliser =
      Double.logGamma((nu + 1) / 2) - Double.logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi)
    for _ in 0..<200 {
      let f = studentT(t, degrees: nu) - p
      if f > 0 { upper = t } else { lower = t }
      let density = Double.exp(logNormaliser - (nu + 1) / 2 * Double.log(onePlus: t * t / nu))
      var next = t - f / density
      if !(next > lower && next < upper) { next = (lower + upper) / 2 }
      if abs(next - t) <= 1e-14 * max(1, abs(t)) { return next }
      t = next
    }
    return t
  }
}
