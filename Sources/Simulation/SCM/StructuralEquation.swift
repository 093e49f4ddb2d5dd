/// The carry-over applied to a parent's series before saturation.
public enum Adstock: Sendable, Hashable {
  /// No carry-over.
  case none
  /// Geometric adstock: `y_t = sum_{l < lMax} alpha^l x_{t-l}`, divided by `sum_l alpha^l` when
  /// `normalize` (PyMC-Marketing's `GeometricAdstock`).
  case geometric(alpha: Double, lMax: Int, normalize: Bool)
}

/// The diminishing-returns curve applied after adstock.
public enum Saturation: Sendable, Hashable {
  /// The identity.
  case none
  /// Michaelis-Menten: `alpha * x / (lam + x)`.
  case michaelisMenten(alpha: Double, lam: Double)
  /// PyMC-Marketing's logistic saturation: `beta * (1 - exp(-lam x)) / (1 + exp(-lam x))`.
  case logistic(lam: Double, beta: Double)
}

/// One Gaussian bump per yearly occurrence of a calendar day: `coefficient * exp(-((d - d0) / sd)^2 / 2)`,
/// with `d - d0` in days.
public struct EventBump: Sendable, Hashable {
  /// The calendar day, `MM-DD`.
  public var monthDay: String
  /// The bump's standard deviation in days.
  public var sdDays: Double
  /// The bump's height.
  public var coefficient: Double

  /// Creates an event bump.
  public init(monthDay: String, sdDays: Double, coefficient: Double) {
    self.monthDay = monthDay
    self.sdDays = sdDays
    self.coefficient = coefficient
  }
}

/// One additive term of a structural equation.
///
/// A node's value in period `t` is the sum of its terms, plus its additive noise, clipped to the
/// equation's bounds. Terms that read a parent name it; the parent must be a parent in the DAG.
public enum StructuralTerm: Sendable, Hashable {
  /// A constant.
  case constant(Double)
  /// `coefficient * parent_t`.
  case linear(parent: String, coefficient: Double)
  /// `scale * c_t * parent_t` with `c_t` drawn independently each period from `coefficient`
  /// (the per-day random coefficients of seed 001: impressions = spend * Beta draw).
  case randomCoefficient(parent: String, coefficient: Distribution, scale: Double)
  /// `saturation(adstock(parent))_t`: a media response.
  case media(parent: String, adstock: Adstock, saturation: Saturation)
  /// The price response `alpha / (1 + parent_t / lam)`.
  case priceResponse(parent: String, alpha: Double, lam: Double)
  /// Gaussian bumps around yearly calendar days.
  case events([EventBump])
  /// `scale * (offset + span * t / (n - 1))^exponent` over the simulated periods `t = 0..<n`.
  case trend(scale: Double, offset: Double, span: Double, exponent: Double)
  /// An exogenous series: independent draws, averaged over a centred moving window of
  /// `smoothingWindow` periods (1 = none) whose first and last `smoothingWindow` values are set to
  /// the series mean (seed 001's spend), then divided by its maximum when `normalizeToMax`.
  case exogenous(Distribution, smoothingWindow: Int, normalizeToMax: Bool)
  /// A yearly Fourier seasonality: `sum_k a_k sin(2 pi k d / period) + b_k cos(2 pi k d / period)`,
  /// `d` in days since the first period.
  case fourier(periodDays: Double, sinCoefficients: [Double], cosCoefficients: [Double])

  /// The parent this term reads, if any.
  public var parent: String? {
    switch self {
    case .linear(let parent, _), .randomCoefficient(let parent, _, _), .media(let parent, _, _),
      .priceResponse(let parent, _, _):
      return parent
    case .constant, .events, .trend, .exogenous, .fourier:
      return nil
    }
  }
}

/// The structural equation of one node: additive terms, additive exogenous noise, bounds.
public struct StructuralEquation: Sendable, Hashable {
  /// The additive terms.
  public var terms: [StructuralTerm]
  /// The node's additive exogenous noise, drawn independently each period (`nil`: none).
  public var noise: Distribution?
  /// Values below are clipped up to it (`nil`: no bound).
  public var lowerBound: Double?
  /// Values above are clipped down to it (`nil`: no bound).
  public var upperBound: Double?

  /// Creates an equation.
  public init(
    _ terms: [StructuralTerm], noise: Distribution? = nil, lowerBound: Double? = nil,
    upperBound: Double? = nil
  ) {
    self.terms = terms
    self.noise = noise
    self.lowerBound = lowerBound
    self.upperBound = upperBound
  }
}
