import CausalMMMCore
import Foundation
import Inference

/// A model specification, as read from YAML or JSON (PyMC-Marketing's names, snake_case keys).
///
/// Build one in code or with `MMMConfiguration.parse(text:name:)`, which rejects unknown keys with a
/// did-you-mean suggestion.
public struct MMMConfiguration: Sendable, Codable, Equatable {
  /// The adstock choice.
  public struct AdstockSettings: Sendable, Codable, Equatable {
    /// The transform.
    public var type: AdstockKind
    /// PyMC-Marketing's `l_max`.
    public var lMax: Int
    /// Whether the weights sum to one.
    public var normalize: Bool
    /// Creates the settings.
    public init(type: AdstockKind = .geometric, lMax: Int = 8, normalize: Bool = true) {
      self.type = type
      self.lMax = lMax
      self.normalize = normalize
    }
    enum CodingKeys: String, CodingKey {
      case type
      case lMax = "l_max"
      case normalize
    }
  }

  /// The saturation choice: `logistic`, `michaelis_menten`, `hill`, `tanh` or `root`.
  public struct SaturationSettings: Sendable, Codable, Equatable {
    /// The curve.
    public var type: SaturationKind
    /// Creates the settings.
    public init(type: SaturationKind = .logistic) { self.type = type }
  }

  /// The observation model for the target.
  public struct LikelihoodSettings: Sendable, Codable, Equatable {
    /// `Normal` or `StudentT`.
    public var dist: LikelihoodKind
    /// Degrees of freedom for StudentT (fixed).
    public var nu: Double
    /// Creates the settings.
    public init(dist: LikelihoodKind = .normal, nu: Double = 5) {
      self.dist = dist
      self.nu = nu
    }
  }

  /// A prior by PyMC-Marketing name with optional geo variation and pooling.
  public struct PriorSettings: Sendable, Codable, Equatable {
    /// The distribution (`Gamma`, `HalfNormal`, ...).
    public var dist: PriorDistribution
    /// Its parameters by PyMC name.
    public var parameters: [String: Double]
    /// Dimensions the parameter varies over: `[channel]` (default for transform parameters) or
    /// `[geo, channel]`; for the intercept `[geo]` (default with a geo column) or `[]`.
    public var dims: [String]?
    /// `geo` for hierarchical non-centred pooling over geos (implies variation by geo).
    public var pooledOver: String?
    /// Prior scale of the between-geo spread on the unconstrained scale (HalfNormal sigma), default 0.5.
    public var poolingSigma: Double?
    /// With `pooled_over`: sample each geo's value centred, w_g ~ Normal(u_pop, τ) (`true`), or as a
    /// non-centred offset (`false`); PyMC-Marketing's `Prior(..., centered=...)`. Centred suits a
    /// parameter each geo's data identify well, non-centred one they barely inform. Unset: non-centred,
    /// except that a saturation's `slopeProductPair` (logistic lam and beta) pooled with neither set is
    /// sampled as rotated offsets (`ParameterLayout.Source.rotated`).
    public var centered: Bool?
    /// Parameters given per channel (PyMC-Marketing's `Prior("HalfNormal", sigma=array, dims="channel")`),
    /// by PyMC name; they take the place of the same key in `parameters` and apply to every geo of the
    /// channel. Only for priors over channels (`adstock_*`, `saturation_*`).
    public var channelParameters: [String: ChannelValues]?
    /// Creates the settings.
    public init(
      dist: PriorDistribution, parameters: [String: Double], dims: [String]? = nil, pooledOver: String? = nil,
      poolingSigma: Double? = nil, channelParameters: [String: ChannelValues]? = nil
    ) {
      self.dist = dist
      self.parameters = parameters
      self.dims = dims
      self.pooledOver = pooledOver
      self.poolingSigma = poolingSigma
      self.channelParameters = channelParameters
    }
    enum CodingKeys: String, CodingKey {
      case dist, parameters, dims
      case pooledOver = "pooled_over"
      case poolingSigma = "pooling_sigma"
      case centered
      case channelParameters = "channel_parameters"
    }
  }

  /// A prior parameter with one value per channel.
  ///
  /// In YAML: a mapping keyed by channel (`sigma: {x1: 0.6, x2: 0.4}`), a list in `channel_columns` order
  /// (`sigma: [0.6, 0.4]`), or `cost_share`. Validation turns a list into `byChannel`; building a model
  /// from its data turns `costShare` into `byChannel` (``MMMConfiguration/resolvingCostShare(totalSpend:)``),
  /// so a fit's saved configuration holds the numbers it used.
  public enum ChannelValues: Sendable, Codable, Equatable {
    /// One value per channel, by channel name.
    case byChannel([String: Double])
    /// One value per channel in `channel_columns` order, as written.
    case inChannelOrder([Double])
    /// Each channel's share of the total spend over the training data's dates and geos (the seed's
    /// `cost_share`).
    case costShare

    /// The shorthand's spelling in a configuration.
    public static let costShareName = "cost_share"

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let name = try? container.decode(String.self) {
        guard name == Self.costShareName else {
          throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "expected '\(Self.costShareName)', got '\(name)'")
        }
        self = .costShare
      } else if let list = try? container.decode([Double].self) {
        self = .inChannelOrder(list)
      } else {
        self = .byChannel(try container.decode([String: Double].self))
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .byChannel(let values): try container.encode(values)
      case .inChannelOrder(let values): try container.encode(values)
      case .costShare: try container.encode(Self.costShareName)
      }
    }
  }

  /// Sampler settings stored with the model (CLI flags override them).
  public struct SamplerSettings: Sendable, Codable, Equatable {
    public var chains: Int
    public var tune: Int
    public var draws: Int
    public var targetAccept: Double
    public var seed: UInt64
    /// Mass matrix: `diagonal`, `dense` (helps when channels and intercepts trade off) or `block`
    /// (dense over a hierarchical model's population-level parameters, diagonal elsewhere); `nil`
    /// lets the model choose (`MetricKind.automatic(for:)`).
    public var metric: MetricKind?
    /// Maximum NUTS tree depth (`max_tree_depth`; PyMC's `max_treedepth`), nil: 10.
    public var maxTreeDepth: Int?
    /// Maximum tree depth of the warm-up iterations before partial centring chooses its weights
    /// (`warmup_max_tree_depth`; `SamplerConfiguration.warmupMaxTreeDepth`), nil: 6.
    public var warmupMaxTreeDepth: Int? = nil
    /// Chain starting points (`nil`: random); `fit --initialization` overrides it, `cv` uses it per fold.
    public var initialization: InitializationKind? = nil
    /// `partial_centering`: `auto` (nil, the default) samples a hierarchical model's non-centred offsets
    /// and HSGP weights partially centred, each as far as a warm-up window of the chain's own draws says
    /// the data inform it (`PartialCentring`); `off` samples them non-centred as written.
    public var partialCentering: PartialCenteringKind? = nil
    /// Creates the settings.
    public init(
      chains: Int = 4, tune: Int = 1000, draws: Int = 1000, targetAccept: Double = 0.8, seed: UInt64 = 1,
      metric: MetricKind? = nil
    ) {
      self.chains = chains
      self.tune = tune
      self.draws = draws
      self.targetAccept = targetAccept
      self.seed = seed
      self.metric = metric
    }
    enum CodingKeys: String, CodingKey {
      case chains, tune, draws, seed, metric, initialization
      case partialCentering = "partial_centering"
      case targetAccept = "target_accept"
      case maxTreeDepth = "max_tree_depth"
      case warmupMaxTreeDepth = "warmup_max_tree_depth"
    }
  }

  /// PyMC-Marketing's `HSGPKwargs` for `intercept_tvp_config` (its defaults as `MMM.default_model_config`).
  public struct TimeVaryingSettings: Sendable, Codable, Equatable {
    /// Number of basis functions (`m`, >= 1).
    public var m: Int
    /// Half-width of the basis domain in periods of the centred time index; nil: PyMC-Marketing's default
    /// T // 2 + 365.25 / (days per period).
    public var L: Double?
    /// Rate of the amplitude's Exponential prior.
    public var etaLam: Double
    /// Mean and sd of the lengthscale's InverseGamma prior (periods).
    public var lsMu: Double
    public var lsSigma: Double
    /// `expquad`, `matern52` (PyMC-Marketing's default) or `matern32`.
    public var covFunc: HSGPCovariance
    /// PyMC-Marketing's `HSGP(demeaned_basis=True)`: each basis column minus its mean over the training
    /// dates, so f averages zero there and does not trade with the intercept (default false, as
    /// PyMC-Marketing's time-varying intercept).
    public var demeanedBasis: Bool = false
    /// Creates the settings.
    public init(
      m: Int = 200, L: Double? = nil, etaLam: Double = 1, lsMu: Double = 5, lsSigma: Double = 10,
      covFunc: HSGPCovariance = .matern52
    ) {
      self.m = m
      self.L = L
      self.etaLam = etaLam
      self.lsMu = lsMu
      self.lsSigma = lsSigma
      self.covFunc = covFunc
    }
    enum CodingKeys: String, CodingKey {
      case m, L
      case etaLam = "eta_lam"
      case lsMu = "ls_mu"
      case lsSigma = "ls_sigma"
      case covFunc = "cov_func"
      case demeanedBasis = "demeaned_basis"
    }
  }

  public var dateColumn: String
  public var targetColumn: String
  public var channelColumns: [String]
  public var controlColumns: [String]
  public var geoColumn: String?
  public var adstock: AdstockSettings
  public var saturation: SaturationSettings
  /// Apply adstock before saturation (PyMC-Marketing's default).
  public var adstockFirst: Bool
  /// Number of yearly Fourier modes (0: none).
  public var yearlySeasonality: Int
  /// Whether to include a linear trend (time scaled to [0, 1] over the training dates).
  public var trend: Bool
  public var likelihood: LikelihoodSettings
  /// Priors by PyMC-Marketing name (`saturation_lam`, `intercept`, ...); missing ones take defaults.
  public var priors: [String: PriorSettings]
  /// Lift-test likelihood: `gamma` (PyMC-Marketing's) or `normal`.
  public var liftTestLikelihood: LiftTestLikelihoodKind
  public var sampler: SamplerSettings
  /// The causal DAG (a DOT file, relative to the configuration file) the model is meant to respect:
  /// `causal-mmm fit` checks the specification against it and warns when a channel's total effect is
  /// not what the model estimates.
  public var dag: String? = nil
  /// `dag`: build one structural model from the DAG (an equation per mediator and the outcome,
  /// ``StructuralMMM``) instead of the single-equation MMM; `nil` (the default): the single equation.
  public var structure: String? = nil
  /// PyMC-Marketing's `time_varying_intercept` with its `intercept_tvp_config`: non-nil makes the
  /// intercept intercept × p(t), p a `SoftPlusHSGP` multiplier averaging 1 over the training dates, one per
  /// geo with shared hyperparameters. The YAML reader sets it from `time_varying_intercept: true`.
  public var interceptTVPConfig: TimeVaryingSettings? = nil
  /// PyMC-Marketing's `time_varying_media` with its `media_tvp_config`: non-nil multiplies every channel's
  /// contribution at t by one such multiplier (per geo), shared by the channels.
  public var mediaTVPConfig: TimeVaryingSettings? = nil
  /// Whether the intercept varies in time (`time_varying_intercept`).
  public var timeVaryingIntercept: Bool { interceptTVPConfig != nil }
  /// Whether the media effects vary in time (`time_varying_media`).
  public var timeVaryingMedia: Bool { mediaTVPConfig != nil }

  /// The settings of a time-varying term, nil when the term is constant.
  public func timeVaryingSettings(_ term: TimeVaryingTerm) -> TimeVaryingSettings? {
    switch term {
    case .intercept: return interceptTVPConfig
    case .media: return mediaTVPConfig
    }
  }

  /// Creates a configuration; everything but the columns has PyMC-Marketing's default.
  public init(
    dateColumn: String = "date", targetColumn: String = "y", channelColumns: [String],
    controlColumns: [String] = [],
    geoColumn: String? = nil, adstock: AdstockSettings = .init(), saturation: SaturationSettings = .init(),
    adstockFirst: Bool = true, yearlySeasonality: Int = 0, trend: Bool = false,
    likelihood: LikelihoodSettings = .init(), priors: [String: PriorSettings] = [:],
    liftTestLikelihood: LiftTestLikelihoodKind = .gamma, sampler: SamplerSettings = .init()
  ) {
    self.dateColumn = dateColumn
    self.targetColumn = targetColumn
    self.channelColumns = channelColumns
    self.controlColumns = controlColumns
    self.geoColumn = geoColumn
    self.adstock = adstock
    self.saturation = saturation
    self.adstockFirst = adstockFirst
    self.yearlySeasonality = yearlySeasonality
    self.trend = trend
    self.likelihood = likelihood
    self.priors = priors
    self.liftTestLikelihood = liftTestLikelihood
    self.sampler = sampler
  }

  enum CodingKeys: String, CodingKey {
    case dateColumn = "date_column"
    case targetColumn = "target_column"
    case channelColumns = "channel_columns"
    case controlColumns = "control_columns"
    case geoColumn = "geo_column"
    case adstock, saturation
    case adstockFirst = "adstock_first"
    case yearlySeasonality = "yearly_seasonality"
    case trend, likelihood, priors
    case liftTestLikelihood = "lift_test_likelihood"
    case sampler
    case dag
    case structure
    case interceptTVPConfig = "intercept_tvp_config"
    case mediaTVPConfig = "media_tvp_config"
  }

  /// The configuration as pretty JSON (the form saved next to a fit).
  public func jsonText() -> String {
    // Infinite bounds (e.g. a TruncatedNormal's `upper: .inf`) are valid; JSON has no literal for
    // them, so the one JSON writer writes them as strings and ``decodingJSON(_:)`` reads them back.
    (try? JSONValue.encode(self)) ?? "{}"
  }

  /// Reads a configuration saved by ``jsonText()``.
  public static func decodingJSON(_ data: Data) throws -> MMMConfiguration {
    try JSONValue.decode(MMMConfiguration.self, from: data)
  }
}

extension Result where Failure == MessageError {
  func mapError(file: String?) throws -> Success {
    switch self {
    case .success(let v): return v
    case .failure(let e): throw LocatedError(file: file, e.message)
    }
  }
}

extension MMMConfiguration {
  /// The sampler settings of this configuration with the command line's overrides applied
  /// (each `nil` keeps the configuration's value).
  /// When neither the command line nor the configuration names a metric, `density` chooses
  /// (`MetricKind.automatic(for:)`); without a density the metric is diagonal.
  /// - Throws: `LocatedError` (key `--metric`) for a metric other than `diagonal`, `dense` or `block`.
  public func samplerConfiguration(
    chains: Int? = nil, tune: Int? = nil, draws: Int? = nil, targetAccept: Double? = nil, seed: UInt64? = nil,
    metric: String? = nil, maxTreeDepth: Int? = nil, density: (any LogDensity)? = nil
  ) throws -> SamplerConfiguration {
    var sampler = SamplerConfiguration()
    sampler.chains = chains ?? self.sampler.chains
    sampler.tune = tune ?? self.sampler.tune
    sampler.draws = draws ?? self.sampler.draws
    sampler.targetAccept = targetAccept ?? self.sampler.targetAccept
    sampler.seed = seed ?? self.sampler.seed
    sampler.maxTreeDepth = maxTreeDepth ?? self.sampler.maxTreeDepth ?? sampler.maxTreeDepth
    guard sampler.maxTreeDepth >= 1 else {
      throw LocatedError(column: "--max-tree-depth", "must be at least 1, got \(sampler.maxTreeDepth)")
    }
    sampler.warmupMaxTreeDepth = self.sampler.warmupMaxTreeDepth ?? sampler.warmupMaxTreeDepth
    var kind = self.sampler.metric
    if let metric {
      switch MetricKind.parse(metric) {
      case .success(let value): kind = value
      case .failure(let error): throw LocatedError(column: "--metric", error.message)
      }
    }
    sampler.metric = kind ?? density.map { MetricKind.automatic(for: $0) } ?? .diagonal
    return sampler
  }
}
