import CausalMMMCore
import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

/// A known smooth multiplier averaging 1 over `weeks` weeks.
func knownMultiplier(_ t: Int, weeks: Int) -> Double {
  let s = Double(t) / Double(weeks)
  return 1 + 0.3 * Double.sin(2 * Double.pi * s) + 0.15 * Double.cos(4 * Double.pi * s)
}

/// One channel with a small effect on a baseline 2 × p(t), p the known multiplier, weekly.
func smoothBaselineData(weeks: Int, seed: UInt64) -> (data: MMMData, multiplier: [Double]) {
  var rng = TestRandom(state: seed)
  let start = CalendarDate(year: 2021, month: 1, day: 4)!
  var dates: [CalendarDate] = []
  var x: [Double] = []
  var y: [Double] = []
  var multiplier: [Double] = []
  for t in 0..<weeks {
    dates.append(start.adding(days: 7 * t))
    multiplier.append(knownMultiplier(t, weeks: weeks))
    x.append(0.2 + 0.8 * rng.uniform())
    y.append(2 * multiplier[t] + 0.02 * x[t] + 0.05 * rng.normal())
  }
  return (try! MMMData(dates: dates, columns: ["x": x, "y": y]), multiplier)
}

/// p(t) = softplus(f) − mean softplus(f) + 1 at the training dates, f from the closed-form basis and
/// spectral density (PyMC's HSGP, non-centred, first basis function kept), for a model's coordinates.
func expectedMultiplier(
  _ model: MMMModel, _ u: [Double], term: TimeVaryingTerm, geo: String? = nil, cov: HSGPCovariance,
  m: Int, L: Double
) -> [Double] {
  let names = model.parameterNames
  let p = term.parameterPrefix
  let eta = Double.exp(u[names.firstIndex(of: "\(p)_eta")!])
  let ell = Double.exp(u[names.firstIndex(of: "\(p)_ls")!])
  let z = (0..<m).map { j in
    u[names.firstIndex(of: "\(p)_hsgp_coefs_offset[\(geo.map { "\($0)," } ?? "")\(j)]")!]
  }
  let T = model.dates.count
  let softplus = (0..<T).map { t -> Double in
    let x = Double(t) - Double(T - 1) / 2
    var f = 0.0
    for j in 1...m {
      let w = Double.pi * Double(j) / (2 * L)
      let q = ell * ell * w * w
      let s: Double
      switch cov {
      case .expquad: s = eta * eta * (2 * Double.pi).squareRoot() * ell * Double.exp(-q / 2)
      case .matern52: s = eta * eta * 16.0 / 3.0 * Double.pow(5.0, 2.5) * ell / Double.pow(5 + q, 3)
      case .matern32: s = eta * eta * 4 * Double.pow(3.0, 1.5) * ell / Double.pow(3 + q, 2)
      }
      f +=
        (1 / L).squareRoot() * Double.sin(Double.pi * Double(j) * (x + L) / (2 * L)) * s.squareRoot()
        * z[j - 1]
    }
    return Double.log(1 + Double.exp(f))
  }
  let mean = softplus.reduce(0, +) / Double(T)
  return softplus.map { $0 - mean + 1 }
}

@Suite struct LatentMultiplierTests {
  static func configuration(
    m: Int, cov: HSGPCovariance = .expquad, geo: Bool = false, lsMu: Double = 20, intercept: Bool = true,
    media: Bool = false, centredIntercept: Bool = true
  ) -> MMMConfiguration {
    var c = MMMConfiguration(
      channelColumns: geo ? ["channel_1", "channel_2"] : ["x"], geoColumn: geo ? "geo" : nil,
      adstock: .init(type: .geometric, lMax: 4), saturation: .init(type: .logistic),
      yearlySeasonality: geo ? 1 : 0, trend: geo)
    let settings = MMMConfiguration.TimeVaryingSettings(
      m: m, etaLam: 1, lsMu: lsMu, lsSigma: 10, covFunc: cov)
    if intercept { c.interceptTVPConfig = settings }
    if media { c.mediaTVPConfig = settings }
    // A positive intercept prior is sampled directly; the default Normal one is sampled centred.
    if !centredIntercept { c.priors["intercept"] = .init(dist: .halfNormal, parameters: ["sigma": 2]) }
    return c
  }

  @Test func parameterNamesPriorsAndDefaultLFollowPyMCMarketing() throws {
    let (data, _) = smoothBaselineData(weeks: 30, seed: 1)
    let model = try MMMModel(configuration: Self.configuration(m: 5, media: true), data: data)
    for term in TimeVaryingTerm.allCases {
      let p = term.parameterPrefix
      #expect(model.parameterNames.contains("\(p)_eta"))
      #expect(model.parameterNames.contains("\(p)_ls"))
      #expect(model.parameterNames.contains("\(p)_hsgp_coefs_offset[4]"))
      #expect(model.parameterNames.contains("\(p)_hsgp_coefs[0]"))
      let ls = try #require(model.layout.coordinates.first { $0.name == "\(p)_ls" })
      #expect(ls.prior == .inverseGamma(alpha: 2 + 4, beta: 20 * (1 + 4)))
    }
    #expect(TimeVaryingTerm.intercept.parameterPrefix == "intercept_temporal_latent_multiplier_raw")
    #expect(TimeVaryingTerm.media.parameterPrefix == "media_temporal_latent_multiplier_raw")
    let basis = try #require(model.interceptMultiplier?.basis)
    // PyMC-Marketing: L = time_index_mid + 365.25 / resolution = 15 + 365.25 / 7.
    #expect(abs(basis.L - (15 + 365.25 / 7)) < 1e-12)
    #expect(basis.point(model.dates[0]) == -14.5 && basis.point(model.dates[29]) == 14.5)
    // Without the flags the layout is the one of the plain model.
    var plain = Self.configuration(m: 5)
    plain.interceptTVPConfig = nil
    let plainModel = try MMMModel(configuration: plain, data: data)
    #expect(model.dimension == plainModel.dimension + 2 * (2 + 5))
    #expect(plainModel.parameterNames.allSatisfy { !$0.contains("temporal_latent_multiplier") })
    // With geos: one process per geo, shared hyperparameters (PyMC-Marketing's dims ("date", "geo")).
    let geo = try MMMModel(
      configuration: Self.configuration(m: 3, geo: true, media: true),
      data: geoWorkload(geos: 2, weeks: 20))
    let prefix = TimeVaryingTerm.media.parameterPrefix
    #expect(geo.parameterNames.filter { $0.hasPrefix(prefix + "_eta") }.count == 1)
    #expect(geo.parameterNames.contains("\(prefix)_hsgp_coefs_offset[geo_01,2]"))
    #expect(geo.parameterNames.filter { $0.hasPrefix(prefix + "_hsgp_coefs_offset") }.count == 6)
  }

  /// μ_t = intercept × p(t) + channels: the difference from the constant model's mean at the same
  /// point is intercept × (p(t) − 1), p computed independently from the closed forms; p averages 1.
  @Test("the support point reads as PyMC's initial point: lengthscale at its InverseGamma mean, eta 1, z 0")
  func supportPointIsPyMCsInitialPoint() throws {
    let (data, _) = smoothBaselineData(weeks: 30, seed: 1)
    let model = try MMMModel(configuration: Self.configuration(m: 5, lsMu: 7), data: data)
    let values = Dictionary(
      uniqueKeysWithValues: zip(model.parameterNames, model.constrained(model.supportPoint)))
    let prefix = TimeVaryingTerm.intercept.parameterPrefix
    #expect(abs((values[prefix + "_ls"] ?? .nan) - 7) < 1e-12)
    #expect(abs((values[prefix + "_eta"] ?? .nan) - 1) < 1e-12)
    for j in 0..<5 { #expect(values[prefix + "_hsgp_coefs_offset[\(j)]"] == 0) }
    #expect(abs((values["saturation_lam[x]"] ?? .nan) - Prior.gamma(alpha: 3, beta: 1).supportPoint) < 1e-12)
  }

  @Test func theInterceptIsTheBaselineTimesASoftplusProcessAveragingOne() throws {
    let (data, _) = smoothBaselineData(weeks: 26, seed: 2)
    let config = Self.configuration(m: 6, cov: .matern52, centredIntercept: false)
    let model = try MMMModel(configuration: config, data: data)
    var plain = config
    plain.interceptTVPConfig = nil
    let plainModel = try MMMModel(configuration: plain, data: data)
    let u = pseudoRandomPoint(model.dimension, seed: 9)
    let v = model.slotValues(u)
    let mean = model.meanAndContributions(slots: v, inputs: model.inputs).mean
    let names = model.parameterNames
    let plainU = plainModel.parameterNames.prefix(plainModel.dimension).map { u[names.firstIndex(of: $0)!] }
    let plainMean = plainModel.meanAndContributions(
      slots: plainModel.slotValues(plainU), inputs: plainModel.inputs
    )
    .mean
    let intercept = model.intercepts(slots: v)[0]
    let p = expectedMultiplier(model, u, term: .intercept, cov: .matern52, m: 6, L: 13 + 365.25 / 7)
    #expect(abs(p.reduce(0, +) / 26 - 1) < 1e-12)
    for t in 0..<26 {
      #expect(abs(mean[t] - plainMean[t] - intercept * (p[t] - 1)) < 1e-12, "t = \(t)")
    }
  }

  /// The hot path's softplus (no library calls) against the C library's log1p and exp, and its slope
  /// against the logistic function, from deep in the tails to the middle.
  @Test func softplusMatchesTheLibraryFunctions() {
    for e in stride(from: 0.0, through: 1.0, by: 1.0 / 1024) + [1e-300, 1e-20, 1e-8] {
      let expected = Double.log(onePlus: e)
      #expect(abs(LatentMultiplier.logOnePlus(e) - expected) <= 4e-16 * expected, "e = \(e)")
    }
    for f in stride(from: -40.0, through: 40.0, by: 0.37) {
      let (value, slope) = LatentMultiplier.softplus(f)
      let expected = f > 0 ? f + Double.log(onePlus: Double.exp(-f)) : Double.log(onePlus: Double.exp(f))
      #expect(abs(value - expected) <= 1e-15 * max(1, expected), "softplus(\(f))")
      #expect(abs(slope - 1 / (1 + Double.exp(-f))) <= 1e-15, "slope at \(f)")
    }
  }

  /// Response curves and the optimizer read the media multiplier too: at multiplier 1 a training curve is
  /// the channel's contribution (which includes M), and a forward curve equals the intervention on a
  /// forward table with its carry-over tail (where M is the HSGP's extrapolation).
  @Test(arguments: [true, false])
  func curvesIncludeTheMediaMultiplier(adstockFirst: Bool) throws {
    var config = Self.configuration(m: 5, geo: true, intercept: false, media: true)
    config.adstockFirst = adstockFirst
    let data = geoWorkload(geos: 2, weeks: 30)
    let model = try MMMModel(configuration: config, data: data)
    let fit = FittedMMM(
      model: model,
      unconstrainedDraws: [
        pseudoRandomPoint(model.dimension, seed: 41), pseudoRandomPoint(model.dimension, seed: 42),
      ])
    let curves = try fit.responseCurves(multipliers: [0, 1])
    let contributions = fit.contributions()
    for (c, curve) in curves.curves.enumerated() {
      let total = contributions[c].totalDraws.reduce(0, +) / 2
      #expect(abs(curve.points[1].incremental.mean - total) <= 1e-10 * abs(total), "\(curve.channel)")
    }
    let last = data.dates.last!
    let forward = try fit.responseCurves(
      channels: ["channel_1"], multipliers: [2], start: last.adding(days: 7), periods: 3)
    let dates = (1...3).map { last.adding(days: 7 * $0) }
    let geos = ["geo_00", "geo_00", "geo_00", "geo_01", "geo_01", "geo_01"]
    let recent = (0..<2).flatMap { g in data.columns["channel_1"]![(g * 30 + 27)..<(g * 30 + 30)] }
    let other = [Double](repeating: 0.5, count: 6)
    let zero = try MMMData(
      dates: dates + dates, geos: geos,
      columns: ["channel_1": [Double](repeating: 0, count: 6), "channel_2": other])
    let scaled = try MMMData(
      dates: dates + dates, geos: geos, columns: ["channel_1": recent.map { 2 * $0 }, "channel_2": other])
    let effect = try fit.intervene(counterfactual: scaled, baseline: zero, includeCarryoverTail: true)
    let got = forward.curves[0].points[0].incremental.mean
    #expect(abs(got - effect.total.mean) <= 1e-10 * abs(effect.total.mean), "\(got) vs \(effect.total.mean)")
  }

  /// The sensitivity analysis' linearisation carries the intercept's time variation as one regressor,
  /// intercept × (p(t) − 1), at the fit's parameters.
  @Test func theLinearisationCarriesTheInterceptsTimeVariation() throws {
    let (data, _) = smoothBaselineData(weeks: 26, seed: 2)
    let model = try MMMModel(
      configuration: Self.configuration(m: 6, cov: .matern52, centredIntercept: false), data: data)
    let u = pseudoRandomPoint(model.dimension, seed: 9)
    let fit = FittedMMM(model: model, unconstrainedDraws: [u])
    let term = try #require(fit.linearisation().seasonality.last)
    #expect(term.name == "intercept_time_varying")
    let intercept = model.intercepts(slots: model.slotValues(u))[0]
    let p = expectedMultiplier(model, u, term: .intercept, cov: .matern52, m: 6, L: 13 + 365.25 / 7)
    for t in 0..<26 { #expect(abs(term.values[t] - intercept * (p[t] - 1)) < 1e-12) }
  }

  /// μ_t = intercept + M(t) × Σ_c contribution_c(t): every channel's contribution is scaled by M.
  @Test func theMediaMultiplierScalesEveryChannelsContribution() throws {
    let data = geoWorkload(geos: 2, weeks: 24)
    let config = Self.configuration(m: 5, geo: true, intercept: false, media: true, centredIntercept: false)
    let model = try MMMModel(configuration: config, data: data)
    var plain = config
    plain.mediaTVPConfig = nil
    let plainModel = try MMMModel(configuration: plain, data: data)
    let u = pseudoRandomPoint(model.dimension, seed: 3)
    let names = model.parameterNames
    let plainU = plainModel.parameterNames.prefix(plainModel.dimension).map { u[names.firstIndex(of: $0)!] }
    let tvp = model.meanAndContributions(slots: model.slotValues(u), inputs: model.inputs)
    let constant = plainModel.meanAndContributions(
      slots: plainModel.slotValues(plainU), inputs: plainModel.inputs)
    let T = 24
    for (g, geo) in ["geo_00", "geo_01"].enumerated() {
      let M = expectedMultiplier(model, u, term: .media, geo: geo, cov: .expquad, m: 5, L: 12 + 365.25 / 7)
      for t in 0..<T {
        for c in 0..<2 {
          let i = (g * 2 + c) * T + t
          #expect(abs(tvp.contributions[i] - M[t] * constant.contributions[i]) < 1e-12)
        }
        let media = constant.contributions[(g * 2) * T + t] + constant.contributions[(g * 2 + 1) * T + t]
        #expect(abs(tvp.mean[g * T + t] - constant.mean[g * T + t] - (M[t] - 1) * media) < 1e-12)
      }
    }
  }

  /// The hand gradient of the whole log density against central differences: every covariance, the
  /// intercept's and the media's process, centred and direct intercepts, with geos on 1 and 2 threads.
  @Test func wholeModelGradientMatchesFiniteDifferences() throws {
    let (data, _) = smoothBaselineData(weeks: 24, seed: 3)
    for cov in HSGPCovariance.allCases {
      for centred in [true, false] {
        let model = try MMMModel(
          configuration: Self.configuration(m: 7, cov: cov, lsMu: 8, media: true, centredIntercept: centred),
          data: data)
        checkGradient(model, at: pseudoRandomPoint(model.dimension, seed: 4), label: "tvp \(cov) \(centred)")
      }
    }
    let media = try MMMModel(
      configuration: Self.configuration(m: 6, cov: .matern32, intercept: false, media: true), data: data)
    checkGradient(media, at: pseudoRandomPoint(media.dimension, seed: 12), label: "media only")
    var demeaned = Self.configuration(m: 6, media: true)
    demeaned.interceptTVPConfig?.demeanedBasis = true
    let demeanedModel = try MMMModel(configuration: demeaned, data: data)
    checkGradient(demeanedModel, at: pseudoRandomPoint(demeanedModel.dimension, seed: 8), label: "demeaned")
    let workload = geoWorkload(geos: 3, weeks: 20, withControl: false)
    for centred in [true, false] {
      let geo = try MMMModel(
        configuration: Self.configuration(
          m: 5, cov: .matern52, geo: true, lsMu: 6, media: true, centredIntercept: centred),
        data: workload)
      checkGradient(geo, at: pseudoRandomPoint(geo.dimension, seed: 5), label: "geo \(centred)")
      let u = pseudoRandomPoint(geo.dimension, seed: 6)
      checkGradient(geo.withGradientThreads(2), at: u, label: "geo 2 threads \(centred)")
      // Bit-identical whatever the thread count, fixed or taken from the sampler's share (2 cores, no chain
      // running yet: 2 threads).
      #expect(geo.valueAndGradient(u) == geo.withGradientThreads(2).valueAndGradient(u))
      #expect(geo.valueAndGradient(u) == geo.sharingCores(CoreShare(cores: 2)).valueAndGradient(u))
    }
  }

  /// `demeaned_basis: true` (PyMC-Marketing's HSGP option): every basis column averages zero over the
  /// training dates, and later dates are shifted by the same training mean.
  @Test func demeanedBasisColumnsAverageZeroOnTheTrainingDates() throws {
    let (data, _) = smoothBaselineData(weeks: 30, seed: 6)
    var config = Self.configuration(m: 6)
    config.interceptTVPConfig?.demeanedBasis = true
    let model = try MMMModel(configuration: config, data: data)
    let basis = try #require(model.interceptMultiplier?.basis)
    let rows = basis.rows(at: model.inputs.times)
    for j in 0..<6 {
      let column = (0..<30).map { rows[$0 * 6 + j] }
      #expect(abs(column.reduce(0, +)) < 1e-12, "column \(j) sums to \(column.reduce(0, +))")
      let L = 15 + 365.25 / 7
      let plain = (0..<30).map {
        (1 / L).squareRoot() * Double.sin(Double.pi * Double(j + 1) * (Double($0) - 14.5 + L) / (2 * L))
      }
      #expect(abs(basis.columnShifts[j] - plain.reduce(0, +) / 30) < 1e-14)
    }
    let read = try MMMConfiguration.parse(
      text:
        "channel_columns: [x]\ntime_varying_intercept: true\nintercept_tvp_config: {demeaned_basis: true}\n",
      name: "m.yaml")
    #expect(read.interceptTVPConfig?.demeanedBasis == true)
  }

  /// A GP-only model (one channel with a tiny effect) recovers a known smooth multiplier: the posterior
  /// of the intercept over time, intercept × p(t) (`timeVaryingPaths`), covers 2 × the truth on most
  /// dates and follows it closely on average (noise sd 0.05, the curve's range 1.8).
  @Test func recoversAKnownSmoothMultiplier() throws {
    let (data, truth) = smoothBaselineData(weeks: 104, seed: 11)
    let model = try MMMModel(configuration: Self.configuration(m: 20, lsMu: 20), data: data)
    var sampler = SamplerConfiguration()
    sampler.chains = 2
    sampler.tune = 300
    sampler.draws = 200
    sampler.seed = 5
    let fit = try FittedMMM.fit(model, sampler: sampler)
    let path = try #require(try fit.timeVaryingPaths().first { $0.term == .intercept })
    // The channel's small effect (0.02 x) trades with the level, whatever the baseline's shape: the
    // shape is checked after aligning the level, the level within 0.1, the band with that much slack.
    let bias = (0..<104).map { path.summaries[$0].mean - 2 * truth[$0] }.reduce(0, +) / 104
    var shapeError = 0.0
    var covered = 0
    for t in 0..<104 {
      let summary = path.summaries[t]
      let expected = 2 * truth[t]
      shapeError += abs(summary.mean - bias - expected) / 104
      if summary.hdiLower - abs(bias) <= expected && expected <= summary.hdiUpper + abs(bias) { covered += 1 }
    }
    #expect(shapeError < 0.04, "mean absolute error after aligning the level \(shapeError)")
    #expect(abs(bias) < 0.1, "level offset \(bias)")
    #expect(covered >= 90, "the 94% band covers the truth on \(covered) of 104 dates")
    let divergences = fit.posterior?.divergences ?? 0
    #expect(divergences < 20, "\(divergences) divergences")
  }

  /// Forward tables: inside the training dates the forward path is the fitted one; past them each draw's
  /// HSGP extrapolates, so the band of the baseline and of the media multiplier widens.
  @Test func forwardPathsReproduceTheFitAndWidenPastTheTrainingDates() throws {
    let (data, _) = smoothBaselineData(weeks: 52, seed: 21)
    let model = try MMMModel(configuration: Self.configuration(m: 12, lsMu: 10, media: true), data: data)
    var sampler = SamplerConfiguration()
    sampler.chains = 2
    sampler.tune = 200
    sampler.draws = 150
    sampler.seed = 3
    let fit = try FittedMMM.fit(model, sampler: sampler)
    let training = try fit.timeVaryingPaths()
    // The training dates again, then 26 weeks past them.
    let dates = (0..<78).map { model.dates[0].adding(days: 7 * $0) }
    let x = data.columns["x"]! + [Double](repeating: 0.5, count: 26)
    let table = try MMMData(dates: dates, columns: ["x": x])
    let forward = try fit.timeVaryingPaths(for: table)
    #expect(forward.map(\.term) == [.intercept, .media])
    for (inside, path) in zip(training, forward) {
      // The same draws through the same formula (summed in another order): equal to rounding.
      for t in 0..<52 {
        let (a, b) = (path.summaries[t], inside.summaries[t])
        let tolerance = 1e-12 * max(1, abs(b.mean))
        #expect(abs(a.mean - b.mean) < tolerance && abs(a.hdiUpper - b.hdiUpper) < tolerance)
        #expect(abs(a.hdiLower - b.hdiLower) < tolerance)
      }
      let width = { (s: DrawSummary) in s.hdiUpper - s.hdiLower }
      let insideWidth = path.summaries[0..<52].map(width).reduce(0, +) / 52
      let farWidth = path.summaries[65..<78].map(width).reduce(0, +) / 13
      #expect(
        farWidth > 1.5 * insideWidth, "\(path.term): width \(farWidth) past the dates vs \(insideWidth)")
    }
    // `predict` runs the same terms: on the training dates (same inputs) its mean is the fitted mean.
    let prediction = try fit.predict(data: table)
    let fitted = try fit.predict(data: data)
    for t in 0..<52 {
      #expect(abs(prediction.expected[0][t].mean - fitted.expected[0][t].mean) < 1e-9)
    }
  }
}

@Suite struct TimeVaryingConfigurationTests {
  func error(_ text: String) -> LocatedError? {
    do { _ = try MMMConfiguration.parse(text: text, name: "m.yaml") } catch let e as LocatedError {
      return e
    } catch {}
    return nil
  }

  @Test func readsPyMCMarketingKeys() throws {
    let c = try MMMConfiguration.parse(
      text: """
        channel_columns: [x]
        time_varying_intercept: true
        intercept_tvp_config:
          m: 50
          L: 120.5
          eta_lam: 2
          ls_mu: 15
          ls_sigma: 4
          cov_func: expquad
        time_varying_media: true
        media_tvp_config: {m: 30, ls_mu: 52, cov_func: matern32}
        """, name: "m.yaml")
    #expect(
      c.interceptTVPConfig == .init(m: 50, L: 120.5, etaLam: 2, lsMu: 15, lsSigma: 4, covFunc: .expquad))
    #expect(c.mediaTVPConfig == .init(m: 30, lsMu: 52, covFunc: .matern32))
    let defaults = try MMMConfiguration.parse(
      text: "channel_columns: [x]\ntime_varying_intercept: true\ntime_varying_media: true\n", name: "m.yaml")
    #expect(defaults.interceptTVPConfig == .init() && defaults.mediaTVPConfig == .init())
    let nulls = try MMMConfiguration.parse(
      text:
        "channel_columns: [x]\ntime_varying_intercept: true\nintercept_tvp_config: {L: null, cov_func: null}\n",
      name: "m.yaml")
    #expect(nulls.interceptTVPConfig == .init() && nulls.mediaTVPConfig == nil)
    let off = try MMMConfiguration.parse(
      text: "channel_columns: [x]\ntime_varying_intercept: false\ntime_varying_media: false\n", name: "m.yaml"
    )
    #expect(off.interceptTVPConfig == nil && off.mediaTVPConfig == nil)
    // The saved JSON form round-trips.
    let saved = try MMMConfiguration.decodingJSON(Data(c.jsonText().utf8))
    #expect(saved == c)
  }

  @Test func invalidSettingsAreLocated() {
    for term in TimeVaryingTerm.allCases {
      let key = term.configurationKey
      let head = "channel_columns: [x]\n\(term.flag): true\n\(key):\n"
      let m = error(head + "  m: 0\n")
      #expect(m?.line == 4 && m?.column == "\(key).m", "\(String(describing: m))")
      for name in ["ls_mu", "ls_sigma", "eta_lam"] {
        let e = error(head + "  \(name): -1\n")
        #expect(e?.line == 4 && e?.column == "\(key).\(name)", "\(name): \(String(describing: e))")
        #expect(e?.message.contains("> 0") == true)
      }
      let zero = error(head + "  ls_sigma: 0\n")
      #expect(zero?.column == "\(key).ls_sigma")
      let cov = error(head + "  cov_func: matern25\n")
      #expect(
        cov?.line == 4 && cov?.message.contains("did you mean 'matern52'") == true,
        "\(String(describing: cov))")
      let unknown = error(head + "  ls_sigm: 3\n")
      #expect(unknown?.line == 4 && unknown?.message.contains("did you mean 'ls_sigma'") == true)
      let noFlag = error("channel_columns: [x]\n\(key):\n  m: 10\n")
      #expect(
        noFlag?.column == key && noFlag?.message.contains(term.flag) == true, "\(String(describing: noFlag))")
      #expect(noFlag?.line == 2, "the key's line")
      let flagFalse = error("channel_columns: [x]\n\(term.flag): false\n\(key): {m: 10}\n")
      #expect(flagFalse?.column == key && flagFalse?.line == 3, "\(String(describing: flagFalse))")
    }
  }

  @Test func codeBuiltSettingsAreValidated() {
    for term in TimeVaryingTerm.allCases {
      var c = MMMConfiguration(channelColumns: ["x"])
      func set(_ settings: MMMConfiguration.TimeVaryingSettings) {
        if term == .intercept { c.interceptTVPConfig = settings } else { c.mediaTVPConfig = settings }
      }
      for (settings, key) in [
        (MMMConfiguration.TimeVaryingSettings(m: 0), "m"), (.init(lsMu: 0), "ls_mu"),
        (.init(lsSigma: -2), "ls_sigma"), (.init(L: -3), "L"),
      ] {
        set(settings)
        #expect(throws: LocatedError.self) { try c.validated() }
        do { _ = try c.validated() } catch let e as LocatedError {
          #expect(e.column == "\(term.configurationKey).\(key)", "\(e)")
        } catch {}
      }
    }
  }
}
