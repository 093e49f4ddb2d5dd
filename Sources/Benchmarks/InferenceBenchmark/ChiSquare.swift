import RealModule

/// Upper tail P(X > x) of a chi-square with `degrees` degrees of freedom: the regularised
/// upper incomplete gamma Q(k/2, x/2) (series below a + 1, Lentz continued fraction above).
func chiSquareSurvival(_ x: Double, degrees: Int) -> Double {
  let a = Double(degrees) / 2
  let z = x / 2
  if z <= 0 { return 1 }
  let logPrefix = a * Double.log(z) - z - Double.logGamma(a)
  if z < a + 1 {
    var term = 1 / a
    var sum = term
    var n = a
    for _ in 0..<1000 {
      n += 1
      term *= z / n
      sum += term
      if abs(term) < abs(sum) * 1e-16 { break }
    }
    return 1 - sum * Double.exp(logPrefix)
  }
  let tiny = 1e-300
  var b = z + 1 - a
  var c = 1 / tiny
  var d = 1 / b
  var h = d
  for i in 1..<1000 {
    let an = -Double(i) * (Double(i) - a)
    b += 2
    d = an * d + b
    if abs(d) < tiny { d = tiny }
    c = b + an / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) < 1e-16 { break }
  }
  return Double.exp(logPrefix) * h
}
