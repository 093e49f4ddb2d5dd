import Foundation
import Inference
import Testing

@testable import MMM

@Suite("Constrained prior solver")
struct ConstrainedPriorTests {
  /// ∫ exp(logDensity) over [a, b] by composite Simpson with n (even) panels: independent of the CDF code.
  static func integrate(_ prior: Prior, from a: Double, to b: Double, panels n: Int = 20_000) -> Double {
    let h = (b - a) / Double(n)
    func f(_ x: Double) -> Double {
      let v = Foundation.exp(prior.logDensity(x))
      return v.isFinite ? v : 0
    }
    var sum = f(a) + f(b)
    for i in 1..<n { sum += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
    return sum * h / 3
  }

  @Test("normal quantile matches tabulated values")
  func normalQuantileTable() {
    #expect(abs(ConstrainedPrior.normalQuantile(0.975) - 1.959_963_984_540_054) < 1e-12)
    #expect(abs(ConstrainedPrior.normalQuantile(0.95) - 1.644_853_626_951_472) < 1e-12)
    #expect(abs(ConstrainedPrior.normalQuantile(0.01) + 2.326_347_874_040_841) < 1e-12)
  }

  @Test("Normal with 95% between a and b is N((a+b)/2, (b-a)/(2*1.96))")
  func normalClosedForm() throws {
    let prior = try ConstrainedPrior.find("Normal", lower: 0.3, upper: 0.5, mass: 0.95)
    guard case .normal(let mu, let sigma) = prior else { Issue.record("not a Normal"); return }
    #expect(abs(mu - 0.4) < 1e-14)
    #expect(abs(sigma - 0.2 / (2 * 1.959_963_984_540_054)) < 1e-12)
  }

  @Test("LogNormal with 90% between a and b has mu = mean of logs, sigma = log-width / (2 z_0.95)")
  func logNormalClosedForm() throws {
    let prior = try ConstrainedPrior.find("LogNormal", lower: 2, upper: 8, mass: 0.9)
    guard case .logNormal(let mu, let sigma) = prior else { Issue.record("not a LogNormal"); return }
    #expect(abs(mu - Foundation.log(4)) < 1e-12)
    #expect(abs(sigma - Foundation.log(4) / (2 * 1.644_853_626_951_472)) < 1e-10)
  }

  @Test("Gamma and Beta solutions put the requested mass in each tail (checked by Simpson integration)")
  func equalTailsByIntegration() throws {
    for (family, lower, upper, mass) in [
      ("Gamma", 1.0, 3.0, 0.95), ("Gamma", 0.05, 0.4, 0.9), ("Beta", 0.3, 0.5, 0.95), ("Beta", 0.6, 0.9, 0.8),
    ] {
      let prior = try ConstrainedPrior.find(family, lower: lower, upper: upper, mass: mass)
      let tail = (1 - mass) / 2
      // Beta densities can be singular at 0 for a < 1; the solutions here have a, b > 1.
      let below = Self.integrate(prior, from: 0, to: lower)
      let inside = Self.integrate(prior, from: lower, to: upper)
      #expect(abs(below - tail) < 1e-6, "\(family) [\(lower), \(upper)]: lower tail \(below)")
      #expect(abs(inside - mass) < 1e-6, "\(family) [\(lower), \(upper)]: inside \(inside)")
    }
  }

  @Test("HalfNormal and Exponential from 0 to b have the closed-form scales")
  func oneParameterClosedForms() throws {
    guard
      case .halfNormal(let sigma) = try ConstrainedPrior.find("HalfNormal", lower: 0, upper: 2, mass: 0.95)
    else {
      Issue.record("not a HalfNormal")
      return
    }
    #expect(abs(sigma - 2 / 1.959_963_984_540_054) < 1e-8)
    guard case .exponential(let lam) = try ConstrainedPrior.find("Exponential", lower: 0, upper: 5, mass: 0.9)
    else {
      Issue.record("not an Exponential")
      return
    }
    #expect(abs(lam - (-Foundation.log(0.1) / 5)) < 1e-8)
  }

  @Test("requests no member of the family can satisfy give a clear error")
  func impossibleRequestsExplained() {
    func message(_ body: () throws(ConstrainedPriorError) -> Prior) -> String {
      do {
        _ = try body()
        return ""
      } catch { return error.message }
    }
    // P(2 <= X <= 3) for HalfNormal(sigma) peaks near 33%: 95% is out of reach.
    let halfNormal = message { () throws(ConstrainedPriorError) in
      try ConstrainedPrior.find("HalfNormal", lower: 2, upper: 3)
    }
    #expect(halfNormal.contains("the most any HalfNormal puts there is"))
    // The largest mass, by brute force over sigma, matches the reported percentage.
    var best = 0.0
    for i in 1...20_000 {
      let s = Double(i) * 0.001
      best = max(best, 2 * (SpecialFunctions.normalCDF(3 / s) - SpecialFunctions.normalCDF(2 / s)))
    }
    #expect(halfNormal.contains("\((best * 1000).rounded() / 10)%"))
    #expect(
      message { () throws(ConstrainedPriorError) in try ConstrainedPrior.find("Beta", lower: 0.5, upper: 1.5)
      }
      .contains("Beta lives on (0, 1)"))
    #expect(
      message { () throws(ConstrainedPriorError) in try ConstrainedPrior.find("Gamma", lower: -1, upper: 1) }
        .contains("impossible for Gamma"))
    #expect(
      message { () throws(ConstrainedPriorError) in try ConstrainedPrior.find("Weibull", lower: 1, upper: 2) }
        .contains("unknown family"))
    #expect(
      message { () throws(ConstrainedPriorError) in try ConstrainedPrior.find("Normal", lower: 2, upper: 1) }
        .contains("need lower < upper"))
    #expect(
      message { () throws(ConstrainedPriorError) in
        try ConstrainedPrior.find("Normal", lower: 1, upper: 2, mass: 1)
      }
      .contains("strictly between 0 and 1"))
  }

  @Test("incomplete gamma and beta CDFs match Simpson integration and the exponential closed form")
  func cdfsMatchIntegration() {
    for (shape, rate, x) in [(0.5, 1.0, 0.3), (2.0, 2.0, 1.5), (16.0, 8.0, 1.2), (4.0, 0.5, 20.0)] {
      let numeric = Self.integrate(.gamma(alpha: shape, beta: rate), from: 0, to: x, panels: 200_000)
      let tolerance = shape < 1 ? 2e-3 : 1e-8  // the Simpson rule converges slowly at a singular density
      #expect(
        abs(SpecialCDF.gamma(x, shape: shape, rate: rate) - numeric) < tolerance,
        "Gamma(\(shape), \(rate)) at \(x)")
    }
    #expect(abs(SpecialCDF.gamma(0.7, shape: 1, rate: 3) - (1 - Foundation.exp(-2.1))) < 1e-14)
    for (a, b, x) in [(2.0, 3.0, 0.2), (2.0, 3.0, 0.8), (12.0, 5.0, 0.6), (1.5, 1.5, 0.5)] {
      let numeric = Self.integrate(.beta(alpha: a, beta: b), from: 0, to: x, panels: 200_000)
      #expect(abs(SpecialCDF.beta(x, a: a, b: b) - numeric) < 1e-8, "Beta(\(a), \(b)) at \(x)")
    }
  }
}
