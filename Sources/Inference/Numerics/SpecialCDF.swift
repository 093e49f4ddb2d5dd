import RealModule

/// Cumulative distribution functions: the regularised incomplete gamma (lower and upper) and beta.
/// Used by the constrained-prior solver and by the SBC rank test.
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
      Double.logGamma(a + b) - Double.logGamma(a) - Double.logGamma(b) + a * Double.log(x) + b * Double.log(onePlus: -x)
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
}
