import Inference
import RealModule

// One conditional independence x ⊥ y | Z on data, tested through the partial correlation.
//
// Both variables are residualised on Z and an intercept (Householder least squares); the partial
// correlation is the correlation of the two residual vectors (identical to -P_xy / √(P_xx P_yy) from
// the inverse correlation matrix, which is how DAGitty's localTests computes it).
//
// - `pcor`: Fisher's z, z = atanh(r) √(n - |Z| - 3), two-sided normal p-value, CI tanh(atanh r ± z_{α/2}
//   / √(n - |Z| - 3)) (DAGitty's default; its CI uses atan where tanh is meant, here tanh). Assumes
//   independent rows.
// - `hac`: the slope b of e_y on e_x (residual-on-residual regression), with a HAC standard error
//   from the prewhitened Bartlett long-run variance of the score e_x,t u_t
//   (``LongRunVariance/prewhitenedProduct(_:_:)``), times
//   the small-sample factor n / (n - rank - 1); t = b / se(b), two-sided p-value from Student's t with
//   the long-run variance's degrees of freedom ν (``LongRunVariance/prewhitened(_:)``). The estimate
//   reported is still the partial correlation r = b sd(e_x)/sd(e_y), with the Wald interval
//   r ± t_{α/2,ν} se(b) sd(e_x)/sd(e_y), clipped to [-1, 1].
//
// Geo panels: rows are cut into segments (one per geo, each in date order). `withinSegments`
// residualises each geo on its own (its own intercept and slopes); otherwise one regression with geo
// intercepts (fixed effects) and common slopes pools them. The HAC long-run variance is summed over
// geos (geos independent, each a time series).

/// How a conditional independence is tested.
public enum IndependenceTestMethod: String, Sendable, Hashable, CaseIterable, Codable {
  /// Fisher's z on the partial correlation (independent rows).
  case pcor
  /// Residual regression with a prewhitened HAC standard error (time series).
  case hac
}

/// The outcome of one partial-correlation test.
public struct PartialCorrelationResult: Sendable, Hashable, Codable {
  /// The partial correlation.
  public let estimate: Double
  /// The lower end of the confidence interval.
  public let lower: Double
  /// The upper end of the confidence interval.
  public let upper: Double
  /// The test statistic: Fisher's z (standard normal under independence) or the HAC t (Student's t).
  public let statistic: Double
  /// The two-sided p-value.
  public let pValue: Double
  /// The number of rows used.
  public let rows: Int
  /// The residual degrees of freedom n - rank(design) - 2 (for Fisher's z: n - |Z| - 3 in one series).
  public let degreesOfFreedom: Int
}

/// Partial-correlation tests of x ⊥ y | Z.
public enum PartialCorrelationTest {
  /// Tests x ⊥ y | given.
  ///
  /// - Parameters:
  ///   - x: the first variable, one value per row.
  ///   - y: the second variable.
  ///   - given: the conditioning variables, each one value per row.
  ///   - segments: row ranges of independent series (geos), each in time order; `nil`: one series.
  ///   - withinSegments: residualise each segment on its own (otherwise pooled with segment intercepts).
  ///   - method: ``IndependenceTestMethod``.
  ///   - confidenceLevel: the confidence interval's level.
  /// - Returns: the result; `nil` when x or y is an exact linear function of the conditioning set
  ///   (nothing left to correlate) or the degrees of freedom are not positive.
  public static func test(
    x: [Double], y: [Double], given: [[Double]], segments: [Range<Int>]? = nil, withinSegments: Bool = true,
    method: IndependenceTestMethod, confidenceLevel: Double = 0.95
  ) -> PartialCorrelationResult? {
    let n = x.count
    let parts = segments ?? [0..<n]
    var ex = [Double](repeating: 0, count: n)
    var ey = [Double](repeating: 0, count: n)
    var rank = 0
    if withinSegments || parts.count == 1 {
      for part in parts {
        let columns = [[Double](repeating: 1, count: part.count)] + given.map { Array($0[part]) }
        let space = ColumnSpace(columns: columns, rowCount: part.count)
        rank += space.rank
        let rx = space.residuals(of: Array(x[part]))
        let ry = space.residuals(of: Array(y[part]))
        for (i, row) in part.enumerated() {
          ex[row] = rx[i]
          ey[row] = ry[i]
        }
      }
    } else {
      let dummies = parts.map { part in (0..<n).map { part.contains($0) ? 1.0 : 0.0 } }
      let space = ColumnSpace(columns: dummies + given, rowCount: n)
      rank = space.rank
      ex = space.residuals(of: x)
      ey = space.residuals(of: y)
    }
    let sxx = dot(ex, ex)
    let syy = dot(ey, ey)
    let sxy = dot(ex, ey)
    let degrees = n - rank - 2
    // Relative to the raw sums of squares: a residual that is rounding noise is no variation.
    let xScale = max(dot(x, x), .leastNormalMagnitude)
    let yScale = max(dot(y, y), .leastNormalMagnitude)
    guard degrees > 0, sxx > 1e-24 * xScale, syy > 1e-24 * yScale else { return nil }
    let r = max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    let critical = SpecialCDF.normalQuantile(0.5 + confidenceLevel / 2)
    switch method {
    case .pcor:
      let z = Double.atanh(r)
      let scale = Double(degrees).squareRoot()
      let statistic = z * scale
      return PartialCorrelationResult(
        estimate: r, lower: Double.tanh(z - critical / scale), upper: Double.tanh(z + critical / scale),
        statistic: statistic, pValue: 2 * SpecialCDF.normalSurvival(abs(statistic)), rows: n,
        degreesOfFreedom: degrees)
    case .hac:
      let slope = sxy / sxx
      // Σ over geos of T_g Ω_g; the degrees of freedom combine by Satterthwaite's rule.
      var omega = 0.0
      var spread = 0.0
      for part in parts {
        let (value, nu) = LongRunVariance.prewhitenedProduct(
          part.map { ex[$0] }, part.map { ey[$0] - slope * ex[$0] })
        omega += Double(part.count) * value
        spread += Double(part.count) * value * Double(part.count) * value / nu
      }
      let nu = spread > 0 ? min(Double(n - rank - 1), omega * omega / spread) : Double(n - rank - 1)
      let correction = Double(n) / Double(n - rank - 1)
      let standardError = (omega * correction).squareRoot() / sxx
      let statistic = standardError > 0 ? slope / standardError : (slope == 0 ? 0 : .infinity)
      let toCorrelation = (sxx / syy).squareRoot()
      let tCritical = abs(SpecialCDF.studentTQuantile((1 - confidenceLevel) / 2, degrees: nu))
      let half = tCritical * standardError * toCorrelation
      return PartialCorrelationResult(
        estimate: r, lower: max(-1, r - half), upper: min(1, r + half), statistic: statistic,
        pValue: 2 * SpecialCDF.studentTSurvival(abs(statistic), degrees: nu), rows: n,
        degreesOfFreedom: degrees)
    }
  }
}
