import CausalMMMCore

// One validation of a configuration, whatever built it (the YAML/JSON reader or code): names are
// matched case-insensitively and written canonically (PyMC-Marketing's spelling), unknown names get
// a did-you-mean, and every prior is checked, so a misspelled name can never fall back to a default.

/// The canonical names a configuration accepts, PyMC-Marketing's spelling.
public enum CanonicalNames {
  /// Adstock types.
  public static let adstock = ["geometric", "delayed", "binomial", "weibull_pdf", "weibull_cdf"]
  /// Saturation types.
  public static let saturation = ["logistic", "michaelis_menten", "hill", "tanh", "root"]
  /// Target likelihoods.
  public static let likelihood = ["Normal", "StudentT"]
  /// Lift-test likelihoods.
  public static let liftTestLikelihood = ["gamma", "normal"]
  /// Mass matrices.
  public static let metric = ["diagonal", "dense"]
  /// Prior distributions.
  public static let distributions = [
    "Normal", "HalfNormal", "LogNormal", "Gamma", "Beta", "Exponential", "Laplace", "StudentT", "TruncatedNormal",
  ]

  /// `name` spelled canonically when it matches one of `known` ignoring case (and `-`/`_`), else `nil`.
  public static func match(_ name: String, in known: [String]) -> String? {
    func key(_ text: String) -> String { text.lowercased().replacingOccurrences(of: "-", with: "_") }
    return known.first { key($0) == key(name) }
  }
}

extension MMMConfiguration {
  /// This configuration with every name spelled canonically, after checking it.
  ///
  /// - Throws: `LocatedError` naming the key (`fieldKind` `key`) for an unknown name, a target that
  ///   is also a channel or control, a column listed twice, or an invalid prior.
  public func validated() throws -> MMMConfiguration {
    func fail(_ key: String, _ message: String) -> LocatedError {
      var error = LocatedError(column: key, message)
      error.fieldKind = "key"
      return error
    }
    func canonical(_ name: String, _ known: [String], _ key: String, _ what: String) throws -> String {
      guard let match = CanonicalNames.match(name, in: known) else {
        throw fail(key, "unknown \(what) '\(name)'\(didYouMean(name, known))")
      }
      return match
    }
    var c = self
    c.adstock.type = try canonical(adstock.type, CanonicalNames.adstock, "adstock.type", "adstock")
    c.saturation.type = try canonical(saturation.type, CanonicalNames.saturation, "saturation.type", "saturation")
    c.likelihood.dist = try canonical(likelihood.dist, CanonicalNames.likelihood, "likelihood", "likelihood")
    c.liftTestLikelihood = try canonical(
      liftTestLikelihood, CanonicalNames.liftTestLikelihood, "lift_test_likelihood", "lift-test likelihood")
    c.sampler.metric = try canonical(sampler.metric, CanonicalNames.metric, "sampler.metric", "metric")
    guard !channelColumns.isEmpty else { throw fail("channel_columns", "needs at least one channel") }
    if channelColumns.contains(targetColumn) {
      throw fail("channel_columns", "the target '\(targetColumn)' is also listed as a channel")
    }
    if controlColumns.contains(targetColumn) {
      throw fail("control_columns", "the target '\(targetColumn)' is also listed as a control")
    }
    var seen = Set<String>()
    for (key, column) in channelColumns.map({ ("channel_columns", $0) }) + controlColumns.map({ ("control_columns", $0) })
    where !seen.insert(column).inserted {
      throw fail(key, "column '\(column)' is listed twice (as a channel or control)")
    }
    for column in [dateColumn] + (geoColumn.map { [$0] } ?? []) where seen.contains(column) || column == targetColumn {
      throw fail(column == dateColumn ? "date_column" : "geo_column", "'\(column)' is also a model column")
    }
    guard likelihood.nu > 0, likelihood.nu.isFinite else { throw fail("likelihood.nu", "must be a finite number > 0") }
    guard adstock.lMax >= 1 else { throw fail("adstock.l_max", "must be >= 1, got \(adstock.lMax)") }
    let components = try ModelComponents.make(configuration: c).mapError(file: nil)
    let known = components.priorNames
    for (name, settings) in priors.sorted(by: { $0.key < $1.key }) {
      guard known.contains(name) else { throw fail(name, "unknown prior name\(didYouMean(name, known))") }
      let dist = try canonical(settings.dist, CanonicalNames.distributions, "\(name).dist", "distribution")
      c.priors[name]?.dist = dist
      if case .failure(let error) = Prior.make(name: dist, parameters: settings.parameters) {
        throw fail(name, error.message)
      }
      if let pooled = settings.pooledOver, pooled != "geo" {
        throw fail("\(name).pooled_over", "only 'geo' is supported, got '\(pooled)'")
      }
    }
    return c
  }
}
