import CausalMMMCore

// One validation of a configuration, whatever built it (the YAML/JSON reader or code). The names of
// transforms, likelihoods and distributions are typed (`SpecificationName`), so a misspelling cannot
// reach a model; what types cannot say is checked here: prior names and parameters, a target listed
// among the regressors, a column listed twice. A prior name the model does not know is refused with a
// did-you-mean instead of falling back to a default.

extension MMMConfiguration {
  /// This configuration, checked.
  ///
  /// - Throws: `LocatedError` naming the key (`fieldKind` `key`) for an unknown name, a target that
  ///   is also a channel or control, a column listed twice, or an invalid prior.
  public func validated() throws -> MMMConfiguration {
    func fail(_ key: String, _ message: String) -> LocatedError {
      var error = LocatedError(column: key, message)
      error.fieldKind = "key"
      return error
    }
    var c = self
    guard !channelColumns.isEmpty else { throw fail("channel_columns", "needs at least one channel") }
    if channelColumns.contains(targetColumn) {
      throw fail("channel_columns", "the target '\(targetColumn)' is also listed as a channel")
    }
    if controlColumns.contains(targetColumn) {
      throw fail("control_columns", "the target '\(targetColumn)' is also listed as a control")
    }
    var seen = Set<String>()
    for (key, column) in channelColumns.map({ ("channel_columns", $0) })
      + controlColumns.map({ ("control_columns", $0) })
    where !seen.insert(column).inserted {
      throw fail(key, "column '\(column)' is listed twice (as a channel or control)")
    }
    for column in [dateColumn] + (geoColumn.map { [$0] } ?? [])
    where seen.contains(column) || column == targetColumn {
      throw fail(column == dateColumn ? "date_column" : "geo_column", "'\(column)' is also a model column")
    }
    guard likelihood.nu > 0, likelihood.nu.isFinite else {
      throw fail("likelihood.nu", "must be a finite number > 0")
    }
    guard adstock.lMax >= 1 else { throw fail("adstock.l_max", "must be >= 1, got \(adstock.lMax)") }
    for term in TimeVaryingTerm.allCases {
      guard let tvp = timeVaryingSettings(term) else { continue }
      let key = term.configurationKey
      guard tvp.m >= 1 else { throw fail("\(key).m", "must be >= 1, got \(tvp.m)") }
      for (name, value) in [("eta_lam", tvp.etaLam), ("ls_mu", tvp.lsMu), ("ls_sigma", tvp.lsSigma)]
      where !(value > 0 && value.isFinite) {
        throw fail("\(key).\(name)", "must be a finite number > 0, got \(value)")
      }
      if let L = tvp.L, !(L > 0 && L.isFinite) {
        throw fail("\(key).L", "must be a finite number > 0, got \(L)")
      }
      if structure == "dag" {
        throw fail(term.flag, "is not supported with structure: dag")
      }
    }
    let components = try ModelComponents.make(configuration: c).mapError(file: nil)
    let known = components.priorNames
    let channelPriorNames = components.adstockPriorNames + components.saturationPriorNames
    for (name, settings) in priors.sorted(by: { $0.key < $1.key }) {
      guard known.contains(name) else { throw fail(name, "unknown prior name\(didYouMean(name, known))") }
      if settings.hasChannelParameters {
        if let (key, message) = channelParameterProblem(name, settings, channelPriorNames: channelPriorNames)
        {
          throw fail("\(name).\(key)", message)
        }
        if structure == "dag" {
          throw fail(name, "per-channel prior parameters are not supported with structure: dag")
        }
        c.priors[name] = settings.normalised(channels: channelColumns)
      } else if case .failure(let error) = Prior.make(settings.dist, parameters: settings.parameters) {
        throw fail(name, error.message)
      }
      if let pooled = settings.pooledOver, pooled != "geo" {
        throw fail("\(name).pooled_over", "only 'geo' is supported, got '\(pooled)'")
      }
      if settings.centered != nil && settings.pooledOver == nil {
        throw fail("\(name).centered", "applies to a pooled prior only: add pooled_over: geo")
      }
    }
    return c
  }
}
