import Inference

// Cinelli and Hazlett (2020), "Making sense of sensitivity: extending omitted variable bias", for
// the OLS regression Y ~ D + X (X includes an intercept, or fixed effects). With t the t-statistic of
// D and df the residual degrees of freedom:
//   partial R² of D with Y:          R²_{Y~D|X} = t² / (t² + df)
//   robustness value:                f_q = q |t| / √df,
//                                    RV_q = ½ (√(f_q⁴ + 4 f_q²) - f_q²)
//   robustness value at level α:     f* = |t_{α/2, df-1}| / √(df - 1), f_{q,α} = f_q - f*,
//                                    RV_{q,α} = 0 when f_{q,α} < 0,
//                                             = (f_q² - f*²) / (1 + f_q²) when f_q > 1/f*,
//                                             = ½ (√(f_{q,α}⁴ + 4 f_{q,α}²) - f_{q,α}²) otherwise
//   (sensemakr's robustness_value). RV_{q,α} uses the OLS confidence interval.
// Benchmark bounds ("a confounder Z k times as strong as covariate X_j", ovb_partial_r2_bound):
//   R²_{D~Z|X} = k R²_{D~Xj|X-j} / (1 - R²_{D~Xj|X-j}),
//   η = k R²_{D~Xj}² / ((1 - k R²_{D~Xj}) (1 - R²_{D~Xj})),
//   R²_{Y~Z|D,X} = min(1, ((√k + √η) / √(1 - η))² R²_{Y~Xj|D,X-j} / (1 - R²_{Y~Xj|D,X-j})),
// and the adjusted estimate sign(β)(|β| - se √df √(R²yz R²dz / (1 - R²dz))), adjusted
// se √((1 - R²yz)/(1 - R²dz)) se √(df/(df-1)), and the adjusted (1-α) interval with t_{α/2, df}.

/// The omitted-variable-bias sensitivity of one OLS coefficient.
public struct OLSSensitivity: Sendable, Codable {
  /// A bound from a benchmark covariate.
  public struct Bound: Sendable, Codable {
    /// The benchmark covariate.
    public let covariate: String
    /// How many times as strong as the covariate the confounder is (k_D = k_Y = k).
    public let multiplier: Double
    /// The confounder's partial R² with the treatment (R²_{D~Z|X}).
    public let r2TreatmentConfounder: Double
    /// The confounder's partial R² with the outcome (R²_{Y~Z|D,X}).
    public let r2OutcomeConfounder: Double
    /// The bias-adjusted estimate.
    public let adjustedEstimate: Double
    /// The bias-adjusted standard error.
    public let adjustedStandardError: Double
    /// The bias-adjusted t-statistic.
    public let adjustedT: Double
    /// The adjusted confidence interval's lower end.
    public let adjustedLower: Double
    /// The adjusted confidence interval's upper end.
    public let adjustedUpper: Double
  }

  /// The OLS coefficient of the treatment.
  public let estimate: Double
  /// Its OLS standard error.
  public let standardError: Double
  /// Its t-statistic.
  public let tStatistic: Double
  /// The residual degrees of freedom.
  public let degreesOfFreedom: Int
  /// The partial R² of the treatment with the outcome.
  public let partialR2: Double
  /// RV_q (q = `q`): how strong (partial R² with treatment and with outcome) a confounder must be to
  /// bring the estimate to zero (q = 1).
  public let robustnessValue: Double
  /// RV_{q,α}: ... to make the OLS (1-α) confidence interval include zero.
  public let robustnessValueAlpha: Double
  /// The q used (1: the whole estimate).
  public let q: Double
  /// The α used.
  public let alpha: Double
  /// The benchmark bounds, per covariate and multiplier.
  public let bounds: [Bound]
}

extension OLSSensitivity {
  /// Cohen's partial R² from a t-statistic: t² / (t² + df).
  public static func partialR2(t: Double, degreesOfFreedom df: Double) -> Double { t * t / (t * t + df) }

  /// The robustness value RV_{q,α} (sensemakr's `robustness_value`); `alpha = nil` gives RV_q.
  public static func robustnessValue(
    t: Double, degreesOfFreedom df: Double, q: Double = 1, alpha: Double? = nil
  )
    -> Double
  {
    let fq = q * abs(t / df.squareRoot())
    guard let alpha else { return 0.5 * ((fq * fq * fq * fq + 4 * fq * fq).squareRoot() - fq * fq) }
    let critical = abs(SpecialCDF.studentTQuantile(alpha / 2, degrees: df - 1)) / (df - 1).squareRoot()
    let fqa = fq - critical
    if fqa < 0 { return 0 }
    if fq > 1 / critical { return (fq * fq - critical * critical) / (1 + fq * fq) }
    return 0.5 * ((fqa * fqa * fqa * fqa + 4 * fqa * fqa).squareRoot() - fqa * fqa)
  }

  /// The sensitivity of the coefficient of `treatment` in the OLS regression of `outcome` on the
  /// treatment, the covariates and an intercept (or group fixed effects).
  ///
  /// - Parameters:
  ///   - outcome: Y, one value per row.
  ///   - treatment: D.
  ///   - covariates: X, named, each one value per row (collinear ones are dropped).
  ///   - groups: a group label per row for fixed effects (absorbed by demeaning), or nil for an intercept.
  ///   - benchmarks: names of covariates to bound confounders against.
  ///   - multipliers: the k of "k times as strong as" (default 1, 2, 3).
  ///   - q: the fraction of the estimate a confounder must remove (1: all of it).
  ///   - alpha: the significance level of RV_{q,α} and of the adjusted intervals.
  /// - Returns: nil when the treatment is collinear with the covariates or df < 2.
  public static func analyse(
    outcome: [Double], treatment: [Double], covariates: [(name: String, values: [Double])],
    groups: [Int]? = nil,
    benchmarks: [String] = [], multipliers: [Double] = [1, 2, 3], q: Double = 1, alpha: Double = 0.05
  ) -> OLSSensitivity? {
    let n = outcome.count
    // Fixed effects by the within transformation (Frisch–Waugh–Lovell): demean every column by group;
    // the groups then take the intercept's place in the rank.
    let absorb: ([Double]) -> [Double]
    let absorbedRank: Int
    var baseColumns: [[Double]] = []
    if let groups {
      var members: [Int: [Int]] = [:]
      for (row, group) in groups.enumerated() { members[group, default: []].append(row) }
      absorbedRank = members.count
      absorb = { values in
        var result = values
        for rows in members.values {
          let mean = rows.reduce(0) { $0 + values[$1] } / Double(rows.count)
          for row in rows { result[row] -= mean }
        }
        return result
      }
    } else {
      absorbedRank = 0
      absorb = { $0 }
      baseColumns = [[Double](repeating: 1, count: n)]
    }
    let y = absorb(outcome)
    let d = absorb(treatment)
    let x = covariates.map { (name: $0.name, values: absorb($0.values)) }
    guard
      let main = coefficient(of: d, on: y, others: baseColumns + x.map(\.values), absorbedRank: absorbedRank),
      main.df >= 2
    else { return nil }
    let df = Double(main.df)
    let se = main.standardError
    let estimate = main.estimate
    let tCritical = abs(SpecialCDF.studentTQuantile(alpha / 2, degrees: df))
    var bounds: [Bound] = []
    for name in benchmarks {
      guard let j = x.firstIndex(where: { $0.name == name }) else { continue }
      let rest = baseColumns + x.indices.filter { $0 != j }.map { x[$0].values }
      guard
        let outcomeFit = coefficient(of: x[j].values, on: y, others: [d] + rest, absorbedRank: absorbedRank),
        let treatmentFit = coefficient(of: x[j].values, on: d, others: rest, absorbedRank: absorbedRank)
      else { continue }
      let r2yxj = partialR2(t: outcomeFit.t, degreesOfFreedom: Double(outcomeFit.df))
      let r2dxj = partialR2(t: treatmentFit.t, degreesOfFreedom: Double(treatmentFit.df))
      for k in multipliers {
        let r2dz = k * r2dxj / (1 - r2dxj)
        let eta = k * r2dxj * r2dxj / ((1 - k * r2dxj) * (1 - r2dxj))
        guard r2dz < 1, eta < 1 else { continue }
        let factor = (k.squareRoot() + eta.squareRoot()) / (1 - eta).squareRoot()
        let r2yz = min(1, factor * factor * r2yxj / (1 - r2yxj))
        let bias = se * df.squareRoot() * (r2yz * r2dz / (1 - r2dz)).squareRoot()
        let sign: Double = estimate < 0 ? -1 : 1
        let adjusted = sign * (abs(estimate) - bias)
        let adjustedSE = ((1 - r2yz) / (1 - r2dz)).squareRoot() * se * (df / (df - 1)).squareRoot()
        bounds.append(
          Bound(
            covariate: name, multiplier: k, r2TreatmentConfounder: r2dz, r2OutcomeConfounder: r2yz,
            adjustedEstimate: adjusted, adjustedStandardError: adjustedSE, adjustedT: adjusted / adjustedSE,
            adjustedLower: adjusted - tCritical * adjustedSE, adjustedUpper: adjusted + tCritical * adjustedSE
          ))
      }
    }
    return OLSSensitivity(
      estimate: estimate, standardError: se, tStatistic: main.t, degreesOfFreedom: main.df,
      partialR2: partialR2(t: main.t, degreesOfFreedom: df),
      robustnessValue: robustnessValue(t: main.t, degreesOfFreedom: df, q: q),
      robustnessValueAlpha: robustnessValue(t: main.t, degreesOfFreedom: df, q: q, alpha: alpha), q: q,
      alpha: alpha,
      bounds: bounds)
  }

  // The OLS coefficient of `regressor` in `response ~ regressor + others` by Frisch–Waugh–Lovell.
  static func coefficient(
    of regressor: [Double], on response: [Double], others: [[Double]], absorbedRank: Int
  )
    -> (estimate: Double, standardError: Double, t: Double, df: Int)?
  {
    let space = ColumnSpace(columns: others, rowCount: response.count)
    let r = space.residuals(of: regressor)
    let e = space.residuals(of: response)
    let srr = dot(r, r)
    guard srr > 1e-20 * max(dot(regressor, regressor), .leastNormalMagnitude) else { return nil }
    let beta = dot(r, e) / srr
    let df = response.count - absorbedRank - space.rank - 1
    guard df >= 1 else { return nil }
    var rss = 0.0
    for i in e.indices { rss += (e[i] - beta * r[i]) * (e[i] - beta * r[i]) }
    let se = (rss / Double(df) / srr).squareRoot()
    return (beta, se, beta / se, df)
  }
}
