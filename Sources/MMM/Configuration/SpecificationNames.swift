import CausalMMMCore
import Inference

/// A closed set of names from PyMC-Marketing's vocabulary: matched case-insensitively on input
/// (`-` and `_` alike), written canonically (the raw value), refused with a did-you-mean otherwise.
public protocol SpecificationName: RawRepresentable, CaseIterable, Codable, Sendable, Hashable
where RawValue == String {
  /// What the name designates, for messages (`adstock`, `distribution`, ...).
  static var what: String { get }
}

extension SpecificationName {
  /// Every canonical name, in declaration order.
  public static var names: [String] { allCases.map(\.rawValue) }

  /// The case whose canonical name matches `name` ignoring case and `-`/`_`, or `nil`.
  public init?(matching name: String) {
    func key(_ text: String) -> String { text.lowercased().replacingOccurrences(of: "-", with: "_") }
    guard let match = Self.allCases.first(where: { key($0.rawValue) == key(name) }) else { return nil }
    self = match
  }

  /// The case matching `name`, or a message with a did-you-mean.
  static func parse(_ name: String) -> Result<Self, MessageError> {
    if let value = Self(matching: name) { return .success(value) }
    return .failure(MessageError("unknown \(what) '\(name)'\(didYouMean(name, names))"))
  }

  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    switch Self.parse(text) {
    case .success(let value): self = value
    case .failure(let error):
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.message))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// PyMC-Marketing's adstock transforms.
public enum AdstockKind: String, SpecificationName {
  case geometric, delayed, binomial
  case weibullPDF = "weibull_pdf"
  case weibullCDF = "weibull_cdf"
  public static let what = "adstock"
}

/// PyMC-Marketing's saturation curves.
public enum SaturationKind: String, SpecificationName {
  case logistic
  case michaelisMenten = "michaelis_menten"
  case hill, tanh, root
  public static let what = "saturation"
}

/// The target's observation model.
public enum LikelihoodKind: String, SpecificationName {
  case normal = "Normal"
  case studentT = "StudentT"
  public static let what = "likelihood"
}

/// The lift-test measurement model: PyMC-Marketing's Gamma(mean, sd) or a Normal.
public enum LiftTestLikelihoodKind: String, SpecificationName {
  case gamma, normal
  public static let what = "lift-test likelihood"
}

/// The sampler's mass matrix (`diagonal`, `dense`, `block`), named as in the configuration.
extension MetricKind: SpecificationName {
  public static let what = "metric"

  /// The metric a model gets unless told otherwise: `block` when the density names correlated
  /// groups of coordinates (a hierarchical model's population-level parameters, whose ridges,
  /// such as a channel's pooled `saturation_lam` against its `saturation_beta`, a diagonal metric
  /// cannot follow), else `diagonal` (Stan's and PyMC's default).
  public static func automatic(for density: any LogDensity) -> MetricKind {
    density.metricBlocks.isEmpty ? .diagonal : .blockDiagonal
  }
}

/// Where the chains start: `random` (Stan's: uniform(-2, 2) per unconstrained coordinate), `map`
/// (jittered by uniform(-0.2, 0.2) around the posterior mode that L-BFGS finds from the origin) or `jitter`
/// (PyMC's and nutpie's default, `jitter+adapt_diag`: each prior's support point on the sampler's scale,
/// jittered by uniform(-1, 1); `LogDensity.supportPoint`).
public enum InitializationKind: String, SpecificationName {
  case random, map, jitter
  public static let what = "initialization"
}

/// Whether a hierarchical model's non-centred coordinates are sampled partially centred (`auto`) or as
/// written (`off`).
public enum PartialCenteringKind: String, SpecificationName {
  case auto, off
  public static let what = "partial centering"
}

/// The prior distributions, by PyMC name.
public enum PriorDistribution: String, SpecificationName {
  case normal = "Normal"
  case halfNormal = "HalfNormal"
  case logNormal = "LogNormal"
  case gamma = "Gamma"
  case beta = "Beta"
  case exponential = "Exponential"
  case laplace = "Laplace"
  case studentT = "StudentT"
  case truncatedNormal = "TruncatedNormal"
  case inverseGamma = "InverseGamma"
  public static let what = "distribution"
}
