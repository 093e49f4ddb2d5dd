import Inference

/// The transforms and prior names a configuration selects.
struct ModelComponents: Sendable {
  let adstock: any Adstock
  let saturation: any Saturation
  let configuration: MMMConfiguration

  static func make(configuration c: MMMConfiguration) -> Result<ModelComponents, MessageError> {
    let l = c.adstock.lMax
    let n = c.adstock.normalize
    let adstock: any Adstock
    switch c.adstock.type {
    case .geometric: adstock = GeometricAdstock(lMax: l, normalize: n)
    case .delayed: adstock = DelayedAdstock(lMax: l, normalize: n)
    case .binomial: adstock = BinomialAdstock(lMax: l, normalize: n)
    case .weibullPDF: adstock = WeibullPDFAdstock(lMax: l, normalize: n)
    case .weibullCDF: adstock = WeibullCDFAdstock(lMax: l, normalize: n)
    }
    let saturation: any Saturation
    switch c.saturation.type {
    case .logistic: saturation = LogisticSaturation()
    case .michaelisMenten: saturation = MichaelisMentenSaturation()
    case .hill: saturation = HillSaturation()
    case .tanh: saturation = TanhSaturation()
    case .root: saturation = RootSaturation()
    }
    guard l >= 1 else { return .failure(MessageError("adstock l_max must be >= 1")) }
    return .success(ModelComponents(adstock: adstock, saturation: saturation, configuration: c))
  }

  var adstockPriorNames: [String] { adstock.parameterNames.map { "adstock_" + $0 } }
  var saturationPriorNames: [String] { saturation.parameterNames.map { "saturation_" + $0 } }

  /// Every prior name this configuration accepts.
  var priorNames: [String] {
    var names = adstockPriorNames + saturationPriorNames + ["intercept", "y_sigma"]
    if !configuration.controlColumns.isEmpty { names.append("gamma_control") }
    if configuration.yearlySeasonality > 0 { names.append("gamma_fourier") }
    if configuration.trend { names.append("gamma_trend") }
    return names
  }

  /// PyMC-Marketing's defaults for the non-transform priors (multidimensional MMM).
  static let defaultPriors: [String: Prior] = [
    "intercept": .normal(mu: 0, sigma: 2),
    "y_sigma": .halfNormal(sigma: 2),
    "gamma_control": .normal(mu: 0, sigma: 2),
    "gamma_fourier": .laplace(mu: 0, b: 1),
    "gamma_trend": .normal(mu: 0, sigma: 1),
  ]

  /// The prior for a name: the configured one (with `channel`'s values for a prior given per channel),
  /// else the transform's or the model's default.
  func prior(named name: String, channel: String? = nil) -> Prior {
    if let settings = configuration.priors[name], case .success(let prior) = settings.prior(channel: channel)
    {
      return prior
    }
    if let i = adstockPriorNames.firstIndex(of: name) { return adstock.defaultPriors[i] }
    if let i = saturationPriorNames.firstIndex(of: name) { return saturation.defaultPriors[i] }
    return Self.defaultPriors[name, default: .normal(mu: 0, sigma: 1)]
  }
}
