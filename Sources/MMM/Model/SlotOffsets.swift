import CausalMMMCore
import Inference
import RealModule

/// Where each parameter family starts among the natural slots.
struct SlotOffsets: Sendable {
  var channelCount = 0
  var controlCount = 0
  var adstockParameterCount = 0
  var saturationParameterCount = 0
  var adstock = 0
  var saturation = 0
  var intercept = 0
  var control = 0
  var feature = 0
  var sigma = 0
  var interceptVariesByGeo = false
  /// The intercept is sampled centred: coordinate m_g = intercept_g + mean_t Σ_c contribution_gct (a
  /// unit-Jacobian reparametrisation that removes the intercept/β ridge); `interceptPrior` applies to the
  /// derived intercept.
  var centeredIntercept = false
  var interceptPrior: Prior = .normal(mu: 0, sigma: 2)
  var adstockVariesByGeo = false
  var saturationVariesByGeo = false
  /// The first weight slot of each time-varying term's processes (`LatentMultiplier.slot`).
  var processSlots: [TimeVaryingTerm: Int] = [:]

  static func build(
    into layout: inout ParameterLayout, components: ModelComponents, geoNames: [String], hasGeo: Bool,
    panel: Panel, timeBases: [TimeVaryingTerm: TimeVaryingBasis] = [:]
  ) throws -> SlotOffsets {
    let config = components.configuration
    let channels = config.channelColumns
    var o = SlotOffsets()
    o.channelCount = channels.count
    o.controlCount = config.controlColumns.count
    o.adstockParameterCount = components.adstock.parameterNames.count
    o.saturationParameterCount = components.saturation.parameterNames.count

    func settings(_ name: String) -> MMMConfiguration.PriorSettings? { config.priors[name] }
    func varies(_ name: String, defaultByGeo: Bool) throws -> (byGeo: Bool, pooled: Bool) {
      let s = settings(name)
      let pooled = s?.pooledOver == "geo"
      let dims = s?.dims
      if let dims {
        for d in dims where !["geo", "channel", "control", "fourier_mode"].contains(d) {
          throw LocatedError(file: "<configuration>", column: name, "unknown dimension '\(d)' in dims")
        }
      }
      let byGeo = pooled || (dims.map { $0.contains("geo") } ?? defaultByGeo)
      if byGeo && !hasGeo && s != nil && (pooled || dims != nil) {
        throw LocatedError(
          file: "<configuration>", column: name, "varies by geo but the data has no geo column")
      }
      return (byGeo && hasGeo, pooled && hasGeo)
    }
    // Transform parameters: slots ordered (g, c, j). Blocks are added parameter by parameter, so we add
    // per-slot sources directly in (g, c, j) order with one shared coordinate map per parameter.
    func addTransformSlots(prefix: String, names: [String], defaults: [Prior]) throws -> Bool {
      var anyByGeo = false
      var coordinateIndex: [String: Int] = [:]
      var spreadIndex: [String: (Int, Int)] = [:]
      // By channel: a prior's parameters may be given per channel (the same in every geo).
      let prior = channels.map { channel in
        names.map { components.prior(named: prefix + $0, channel: channel) }
      }
      let variation = try names.map { try varies(prefix + $0, defaultByGeo: false) }
      func population(_ c: Int, _ j: Int) -> (Int, Int) {
        let name = prefix + names[j]
        let key = name + "|" + channels[c]
        if let existing = spreadIndex[key] { return existing }
        let pop = layout.addCoordinate("\(name)[\(channels[c])]", prior[c][j], prior[c][j].support)
        let sigma = settings(name)?.poolingSigma ?? 0.5
        let spread = layout.addCoordinate(
          "\(name)_sigma[\(channels[c])]", .halfNormal(sigma: sigma), .positive)
        spreadIndex[key] = (pop, spread)
        return (pop, spread)
      }
      // A saturation pair identified through its product, both pooled over geos on the log scale and
      // neither's parametrisation set (`centered`): sampled rotated (`ParameterLayout.Source.rotated`).
      let rotatedPair = (prefix == "saturation_" ? components.saturation.slopeProductPair : nil).flatMap {
        pair -> (Int, Int)? in
        let both = [pair.first, pair.second]
        guard pair.second == pair.first + 1,
          both.allSatisfy({ j in
            variation[j].pooled && settings(prefix + names[j])?.centered == nil
              && channels.indices.allSatisfy { prior[$0][j].support == .positive }
          })
        else { return nil }
        return (pair.first, pair.second)
      }
      for g in geoNames.indices {
        for c in channels.indices {
          for j in names.indices {
            let name = prefix + names[j]
            let (byGeo, pooled) = variation[j]
            anyByGeo = anyByGeo || byGeo
            let transform = prior[c][j].support
            let full = "\(geoNames[g]),\(channels[c])"
            if let (first, second) = rotatedPair, j == first || j == second {
              guard j == first else { continue }
              let (popFirst, spreadFirst) = population(c, first)
              let (popSecond, spreadSecond) = population(c, second)
              let stem = "\(prefix)\(names[first])_\(names[second])"
              let along = layout.addCoordinate(
                "\(stem)_product_offset[\(full)]", .normal(mu: 0, sigma: 1), .identity)
              let across = layout.addCoordinate(
                "\(stem)_ratio_offset[\(full)]", .normal(mu: 0, sigma: 1), .identity)
              for (k, pop, spread, partner, sign) in [
                (first, popFirst, spreadFirst, spreadSecond, -1.0),
                (second, popSecond, spreadSecond, spreadFirst, 1.0),
              ] {
                layout.sources.append(
                  .rotated(
                    population: pop, spread: spread, partnerSpread: partner, along: along, across: across,
                    sign: sign))
                layout.slotTransforms.append(.positive)
                layout.derivedNames.append("\(prefix)\(names[k])[\(full)]")
                layout.derivedSlots.append(layout.sources.count - 1)
              }
            } else if pooled {
              let (pop, spread) = population(c, j)
              if settings(name)?.centered == true {
                layout.addCentredSlot(
                  name: "\(name)_offset[\(full)]", population: pop, spread: spread, transform: transform,
                  derivedName: "\(name)[\(full)]")
              } else {
                let offset = layout.addCoordinate(
                  "\(name)_offset[\(full)]", .normal(mu: 0, sigma: 1), .identity)
                layout.sources.append(.pooled(population: pop, spread: spread, offset: offset))
                if settings(name)?.centered == false { layout.pinnedNonCentred.insert(offset) }
                layout.slotTransforms.append(transform)
                layout.derivedNames.append("\(name)[\(full)]")
                layout.derivedSlots.append(layout.sources.count - 1)
              }
            } else {
              let label = byGeo ? "\(name)[\(full)]" : "\(name)[\(channels[c])]"
              let coordinate = coordinateIndex[label] ?? layout.addCoordinate(label, prior[c][j], transform)
              coordinateIndex[label] = coordinate
              layout.sources.append(.direct(coordinate))
              layout.slotTransforms.append(transform)
            }
          }
        }
      }
      return anyByGeo
    }
    o.adstock = layout.slotCount
    o.adstockVariesByGeo = try addTransformSlots(
      prefix: "adstock_", names: components.adstock.parameterNames, defaults: components.adstock.defaultPriors
    )
    o.saturation = layout.slotCount
    o.saturationVariesByGeo = try addTransformSlots(
      prefix: "saturation_", names: components.saturation.parameterNames,
      defaults: components.saturation.defaultPriors)
    // Intercept: per geo by default when there is a geo column (PyMC-Marketing multidimensional).
    o.intercept = layout.slotCount
    let (interceptByGeo, interceptPooled) = try varies("intercept", defaultByGeo: true)
    o.interceptVariesByGeo = interceptByGeo
    let interceptPrior = components.prior(named: "intercept")
    o.interceptPrior = interceptPrior
    o.centeredIntercept =
      !interceptPooled && interceptPrior.support == .identity && (interceptByGeo || geoNames.count == 1)
    if o.centeredIntercept {
      layout.addFlatBlock(name: "intercept_centered", slotKeys: interceptByGeo ? geoNames : [""])
    } else if interceptByGeo {
      layout.addBlock(
        name: "intercept", prior: interceptPrior, slotKeys: geoNames,
        pooled: interceptPooled ? geoNames.map { ("", $0) } : nil,
        poolingSigma: settings("intercept")?.poolingSigma ?? 0.5)
    } else {
      layout.addBlock(
        name: "intercept", prior: interceptPrior, slotKeys: [""], pooled: nil, poolingSigma: 0.5)
    }
    o.control = layout.slotCount
    if !config.controlColumns.isEmpty {
      layout.addBlock(
        name: "gamma_control", prior: components.prior(named: "gamma_control"),
        slotKeys: config.controlColumns,
        pooled: nil, poolingSigma: 0.5)
    }
    o.feature = layout.slotCount
    if config.yearlySeasonality > 0 {
      let modes =
        (1...config.yearlySeasonality).map { "sin_\($0)" }
        + (1...config.yearlySeasonality).map { "cos_\($0)" }
      layout.addBlock(
        name: "gamma_fourier", prior: components.prior(named: "gamma_fourier"), slotKeys: modes, pooled: nil,
        poolingSigma: 0.5)
    }
    if config.trend {
      layout.addBlock(
        name: "gamma_trend", prior: components.prior(named: "gamma_trend"), slotKeys: [""], pooled: nil,
        poolingSigma: 0.5)
    }
    // Time-varying terms (PyMC-Marketing's SoftPlusHSGP): shared η and ℓ, non-centred weights
    // β_gj = η √S(√λ_j; ℓ) z_gj per geo g (one process without geos).
    for term in TimeVaryingTerm.allCases {
      guard let basis = timeBases[term] else { continue }
      let settings = basis.settings
      o.processSlots[term] = layout.addSpectralGroup(
        prefix: term.parameterPrefix, etaLam: settings.etaLam,
        lengthscalePrior: .inverseGamma(mean: settings.lsMu, sd: settings.lsSigma),
        covariance: settings.covFunc,
        frequencies: basis.frequencies, processes: hasGeo ? geoNames : nil)
    }
    o.sigma = layout.slotCount
    layout.addBlock(
      name: "y_sigma", prior: components.prior(named: "y_sigma"), slotKeys: [""], pooled: nil,
      poolingSigma: 0.5)
    return o
  }
}
