import CausalGraph
import CausalMMMCore
import Foundation
import Inference
import Testing

@testable import CausalValidation

/// i.i.d. rows from the linear-Gaussian DAG z1 -> x, z1 -> z2, z2 -> y, x -> z2, z3 -> y (so x ⊥ y | z1, z2).
func linearGaussianRows(_ count: Int, _ rng: inout Xoshiro256StarStar, directEffect: Double = 0) -> (
  x: [Double], y: [Double], z: [[Double]]
) {
  var x: [Double] = []
  var y: [Double] = []
  var z: [[Double]] = [[], [], []]
  for _ in 0..<count {
    let z1 = rng.nextNormal()
    let z3 = rng.nextNormal()
    let xv = 0.7 * z1 + rng.nextNormal()
    let z2 = 0.5 * z1 + 0.8 * xv + rng.nextNormal()
    let yv = 0.6 * z2 - 0.4 * z3 + directEffect * xv + rng.nextNormal()
    x.append(xv)
    y.append(yv)
    z[0].append(z1)
    z[1].append(z2)
    z[2].append(z3)
  }
  return (x, y, z)
}

@Suite("Partial-correlation tests against closed forms")
struct PartialCorrelationTests {
  @Test("pcor's estimate is -P_xy / sqrt(P_xx P_yy) of the inverse correlation matrix, to 1e-12")
  func estimateMatchesInverseCorrelation() throws {
    var rng = Xoshiro256StarStar(seed: 1)
    for (count, givenCount) in [(50, 0), (200, 1), (500, 2), (1000, 3)] {
      let (x, y, z) = linearGaussianRows(count, &rng)
      let given = Array(z.prefix(givenCount))
      let result = try #require(PartialCorrelationTest.test(x: x, y: y, given: given, method: .pcor))
      let p = inverse(correlationMatrix([x, y] + given))
      let expected = -p[0][1] / (p[0][0] * p[1][1]).squareRoot()
      #expect(abs(result.estimate - expected) < 1e-12)
      // Fisher's z with n - |Z| - 3 degrees of freedom; the two-sided p-value through erfc.
      let degrees = Double(count - givenCount - 3)
      let fisher = 0.5 * Foundation.log((1 + expected) / (1 - expected)) * degrees.squareRoot()
      #expect(abs(result.pValue - erfc(abs(fisher) / 2.0.squareRoot())) < 1e-12)
      #expect(
        abs(
          result.lower
            - Foundation.tanh(Foundation.atanh(expected) - 1.959963984540054 / degrees.squareRoot())) < 1e-9)
      #expect(result.degreesOfFreedom == count - givenCount - 3)
    }
  }

  @Test("under the truth, pcor's p-values are uniform (Kolmogorov-Smirnov, 400 draws)")
  func pValuesUniformUnderTruth() throws {
    var rng = Xoshiro256StarStar(seed: 2)
    var pValues: [Double] = []
    for _ in 0..<400 {
      let (x, y, z) = linearGaussianRows(60, &rng)
      pValues.append(
        try #require(PartialCorrelationTest.test(x: x, y: y, given: [z[0], z[1]], method: .pcor)).pValue)
    }
    pValues.sort()
    let n = Double(pValues.count)
    var distance = 0.0
    for (i, p) in pValues.enumerated() {
      distance = max(distance, abs(Double(i + 1) / n - p), abs(p - Double(i) / n))
    }
    // The 1% critical value of the one-sample KS statistic: 1.628 / sqrt(n).
    #expect(distance < 1.628 / n.squareRoot(), "KS distance \(distance)")
  }

  @Test("hac on i.i.d. rows: same estimate as pcor, and its t is close to the OLS t")
  func hacAgreesOnIndependentRows() throws {
    var rng = Xoshiro256StarStar(seed: 3)
    let (x, y, z) = linearGaussianRows(2000, &rng, directEffect: 0.1)
    let pcor = try #require(PartialCorrelationTest.test(x: x, y: y, given: [z[0], z[1]], method: .pcor))
    let hac = try #require(PartialCorrelationTest.test(x: x, y: y, given: [z[0], z[1]], method: .hac))
    #expect(abs(hac.estimate - pcor.estimate) < 1e-12)
    // OLS t of the residual regression: r sqrt(df) / sqrt(1 - r²).
    let ols =
      pcor.estimate * Double(pcor.degreesOfFreedom).squareRoot()
      / (1 - pcor.estimate * pcor.estimate).squareRoot()
    #expect(abs(hac.statistic / ols - 1) < 0.1)
  }

  @Test("within-geo residualisation equals residualising each geo by hand")
  func withinGeoMatchesPerGeoResiduals() throws {
    var rng = Xoshiro256StarStar(seed: 4)
    let (x1, y1, z1) = linearGaussianRows(80, &rng)
    let (x2, y2, z2) = linearGaussianRows(120, &rng)
    // Geo 2 gets a different level and slope: a per-geo regression removes both.
    let x = x1 + x2.map { 5 + $0 }
    let y = y1 + y2.map { -3 + $0 }
    let z = z1[0] + z2[0].map { 2 * $0 }
    let zb = z1[1] + z2[1]
    let result = try #require(
      PartialCorrelationTest.test(x: x, y: y, given: [z, zb], segments: [0..<80, 80..<200], method: .pcor))
    // Residual moments per geo from the inverse P of each geo's [x, y, Z] correlation matrix, pooled by
    // hand: the conditional covariance of (x, y) given Z is the inverse of P's (x, y) block, so with
    // det = P_xx P_yy - P_xy², the residuals on (1, Z) have squared norms (n-1) var(x) P_yy / det and
    // (n-1) var(y) P_xx / det and cross product -(n-1) sd(x) sd(y) P_xy / det.
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (gx, gy, gz) in [
      (x1, y1, [z1[0], z1[1]]), (x2.map { 5 + $0 }, y2.map { -3 + $0 }, [z2[0].map { 2 * $0 }, z2[1]]),
    ] {
      let n = Double(gx.count)
      let p = inverse(correlationMatrix([gx, gy] + gz))
      func sd(_ v: [Double]) -> Double {
        let m = v.reduce(0, +) / n
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
      }
      let det = p[0][0] * p[1][1] - p[0][1] * p[0][1]
      sxx += (n - 1) * sd(gx) * sd(gx) * p[1][1] / det
      syy += (n - 1) * sd(gy) * sd(gy) * p[0][0] / det
      sxy += -(n - 1) * sd(gx) * sd(gy) * p[0][1] / det
    }
    #expect(abs(result.estimate - sxy / (sxx * syy).squareRoot()) < 1e-12)
    #expect(result.degreesOfFreedom == 200 - 6 - 2)
  }

  @Test("a variable that is a linear function of the conditioning set cannot be tested")
  func exactlyExplainedIsNil() {
    let z = (0..<50).map { Double($0 % 7) }
    let x = z.map { 2 * $0 + 1 }
    let y = (0..<50).map { Double(($0 * 37) % 11) }
    #expect(PartialCorrelationTest.test(x: x, y: y, given: [z], method: .pcor) == nil)
  }
}
