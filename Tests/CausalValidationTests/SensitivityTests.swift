import CausalMMMCore
import Foundation
import Inference
import Testing

@testable import CausalValidation

@Suite("Omitted-variable-bias sensitivity against closed forms")
struct SensitivityTests {
  @Test(
    "OLS t, partial R2 and RV of y ~ d + x + 1 from the normal equations, and RV solves its defining equation"
  )
  func olsCase() throws {
    var rng = Xoshiro256StarStar(seed: 11)
    let n = 60
    let x = (0..<n).map { _ in rng.nextNormal() }
    let d = x.map { 0.5 * $0 + rng.nextNormal() }
    let y = zip(d, x).map { 0.6 * $0 + 0.8 * $1 + rng.nextNormal() }
    let result = try #require(
      OLSSensitivity.analyse(outcome: y, treatment: d, covariates: [(name: "x", values: x)]))
    // Normal equations with design [1, d, x]: beta = (X'X)^{-1} X'y, se_d = sqrt(s² [(X'X)^{-1}]_dd).
    let design = (0..<n).map { [1.0, d[$0], x[$0]] }
    let xtx = (0..<3).map { i in (0..<3).map { j in design.reduce(0) { $0 + $1[i] * $1[j] } } }
    let xty = (0..<3).map { i in (0..<n).reduce(0) { $0 + design[$1][i] * y[$1] } }
    let inv = inverse(xtx)
    let beta = (0..<3).map { i in (0..<3).reduce(0) { $0 + inv[i][$1] * xty[$1] } }
    let rss = (0..<n).reduce(0.0) { sum, row in
      let fitted = (0..<3).reduce(0) { $0 + design[row][$1] * beta[$1] }
      return sum + (y[row] - fitted) * (y[row] - fitted)
    }
    let df = Double(n - 3)
    let se = (rss / df * inv[1][1]).squareRoot()
    let t = beta[1] / se
    #expect(abs(result.estimate - beta[1]) < 1e-12)
    #expect(abs(result.standardError - se) < 1e-12)
    #expect(result.degreesOfFreedom == n - 3)
    #expect(abs(result.partialR2 - t * t / (t * t + df)) < 1e-12)
    // RV: a confounder with R²_{D~Z|X} = R²_{Y~Z|D,X} = RV brings the estimate to zero exactly:
    // |beta| = se sqrt(df) sqrt(RV² / (1 - RV)).
    let rv = result.robustnessValue
    #expect(abs(abs(beta[1]) - se * df.squareRoot() * (rv * rv / (1 - rv)).squareRoot()) < 1e-12)
    // RV_alpha: such a confounder leaves the adjusted t at the (df-1) critical value. The critical value
    // for df - 1 = 56 at 0.975 (R: qt(0.975, 56) = 2.003240718...).
    let rva = result.robustnessValueAlpha
    #expect(rva > 0 && rva < rv)
    let adjusted = abs(beta[1]) - se * df.squareRoot() * (rva * rva / (1 - rva)).squareRoot()
    let adjustedSE = ((1 - rva) / (1 - rva)).squareRoot() * se * (df / (df - 1)).squareRoot()
    #expect(abs(adjusted / adjustedSE - 2.003240718847) < 1e-8)
  }

  @Test("Student's t quantile against closed forms for 1 and 2 degrees of freedom")
  func studentTQuantile() {
    for p in [0.001, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999] {
      // Cauchy: tan(pi (p - 1/2)); two degrees of freedom: (2p - 1) / sqrt(2 p (1 - p)).
      let cauchy = tan(Double.pi * (p - 0.5))
      #expect(abs(SpecialCDF.studentTQuantile(p, degrees: 1) - cauchy) < 1e-10 * max(1, abs(cauchy)))
      let two = (2 * p - 1) / (2 * p * (1 - p)).squareRoot()
      #expect(abs(SpecialCDF.studentTQuantile(p, degrees: 2) - two) < 1e-10 * max(1, abs(two)))
    }
  }

  @Test("group fixed effects by demeaning equal explicit dummy columns")
  func fixedEffectsEqualDummies() throws {
    var rng = Xoshiro256StarStar(seed: 12)
    let n = 90
    let groups = (0..<n).map { $0 % 6 }
    let x = (0..<n).map { _ in rng.nextNormal() }
    let d = (0..<n).map { 0.4 * x[$0] + Double(groups[$0]) * 0.3 + rng.nextNormal() }
    let y = (0..<n).map { 0.2 * d[$0] + x[$0] - Double(groups[$0]) + rng.nextNormal() }
    let absorbed = try #require(
      OLSSensitivity.analyse(outcome: y, treatment: d, covariates: [(name: "x", values: x)], groups: groups))
    let dummies = (1..<6).map { g in (name: "g\(g)", values: groups.map { $0 == g ? 1.0 : 0.0 }) }
    let explicit = try #require(
      OLSSensitivity.analyse(outcome: y, treatment: d, covariates: [(name: "x", values: x)] + dummies))
    #expect(abs(absorbed.tStatistic - explicit.tStatistic) < 1e-10)
    #expect(absorbed.degreesOfFreedom == explicit.degreesOfFreedom)
    #expect(abs(absorbed.robustnessValueAlpha - explicit.robustnessValueAlpha) < 1e-12)
  }
}
