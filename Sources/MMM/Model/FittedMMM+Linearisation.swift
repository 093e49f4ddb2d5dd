/// A fitted MMM as a linear regression: the outcome and every term of the model's mean as a regressor
/// series, each channel's series being its fitted transform (adstock and saturation at the posterior
/// mean of the parameters). What omitted-variable-bias sensitivity analyses regress by OLS.
public struct MMMLinearisation: Sendable {
  /// One named regressor.
  public struct Term: Sendable {
    /// The name: the channel or control column, `fourier_sin_k` / `fourier_cos_k`, `model_trend`, or
    /// `intercept_time_varying` (the time-varying intercept's multiplier p(t) − 1).
    public let name: String
    /// One value per row (rows ordered geo-major: `[g * T + t]`).
    public let values: [Double]
  }

  /// The outcome, scaled (divided by the target scale), one value per row.
  public let outcome: [Double]
  /// The geo index of each row (all 0 for a national model).
  public let geoIndices: [Int]
  /// The geo labels.
  public let geoNames: [String]
  /// Whether the model's intercept varies by geo.
  public let interceptVariesByGeo: Bool
  /// Each channel's fitted contribution series (adstock, saturation, coefficient at the posterior mean).
  public let channels: [Term]
  /// The control columns, as the model uses them.
  public let controls: [Term]
  /// The Fourier modes and the trend, as the model uses them, and with `time_varying_intercept` the
  /// intercept's time variation.
  public let seasonality: [Term]
}

extension FittedMMM {
  /// The fit's linearisation at the posterior mean of its parameters (natural scale, averaged over draws).
  public func linearisation() -> MMMLinearisation {
    let T = model.inputs.dateCount
    let G = model.inputs.geoCount
    let C = model.channelNames.count
    let K = model.offsets.controlCount
    var mean = [Double](repeating: 0, count: slots.first?.count ?? 0)
    for v in slots { for i in v.indices { mean[i] += v[i] / Double(slots.count) } }
    let contributions = model.meanAndContributions(slots: mean, inputs: model.inputs).contributions
    let channels = (0..<C).map { c in
      MMMLinearisation.Term(
        name: model.channelNames[c],
        values: (0..<G).flatMap { g in (0..<T).map { contributions[(g * C + c) * T + $0] } })
    }
    let controls = (0..<K).map { k in
      MMMLinearisation.Term(
        name: model.configuration.controlColumns[k],
        values: (0..<G).flatMap { g in (0..<T).map { model.inputs.controls[(g * K + k) * T + $0] } })
    }
    let n = model.configuration.yearlySeasonality
    var featureNames = (1..<(n + 1)).map { "fourier_sin_\($0)" } + (1..<(n + 1)).map { "fourier_cos_\($0)" }
    if model.configuration.trend { featureNames.append("model_trend") }
    var seasonality = featureNames.enumerated().map { f, name in
      MMMLinearisation.Term(
        name: name, values: (0..<G).flatMap { _ in (0..<T).map { model.inputs.features[f * T + $0] } })
    }
    if model.interceptMultiplier != nil {
      // The intercept is intercept × p(t): its time variation, intercept × (p(t) − 1), as one regressor.
      let intercepts = model.intercepts(slots: mean)
      let values = (0..<G).flatMap { g in
        let p = model.timeVaryingTerms(slots: mean, geo: g, times: model.inputs.times).intercept ?? []
        let b = intercepts[model.offsets.interceptVariesByGeo ? g : 0]
        return p.map { b * ($0 - 1) }
      }
      seasonality.append(MMMLinearisation.Term(name: "intercept_time_varying", values: values))
    }
    return MMMLinearisation(
      outcome: model.target, geoIndices: (0..<G).flatMap { g in [Int](repeating: g, count: T) },
      geoNames: model.geoNames, interceptVariesByGeo: model.offsets.interceptVariesByGeo, channels: channels,
      controls: controls, seasonality: seasonality)
  }
}
