import CausalMMMCore
import Inference
import RealModule

/// A fitted model: the model with its posterior, and the queries analysts ask of it.
public struct FittedMMM: Sendable {
  public let model: MMMModel
  /// The sampler's output (nil when the fit was reloaded from saved unconstrained draws).
  public let posterior: Posterior?
  /// Unconstrained draws, chains concatenated.
  public let unconstrainedDraws: [[Double]]
  /// The posterior's summary per parameter (mean, sd, 94% HDI, R-hat, ESS), computed once: the
  /// warnings, summary.json's checks and the printed table all read it (empty without a posterior).
  public let parameterSummary: [ParameterSummary]
  let slots: [[Double]]
  /// Each draw's intercepts as sampling reported them (nil for a reloaded fit): with the centred intercept
  /// each costs a pass of the model over the training data, which `interceptDraws()` then need not repeat.
  private let reportedIntercepts: [[Double]]?

  /// Pairs a model with draws from `sampleNUTS(model, ...)`.
  public init(model: MMMModel, posterior: Posterior) {
    self.model = model
    self.posterior = posterior
    unconstrainedDraws = posterior.chains.flatMap(\.unconstrained)
    parameterSummary = posterior.summary(hdiProbability: 0.94)
    slots = model.slotDraws(posterior)
    reportedIntercepts = model.reportedIntercepts(posterior)
  }

  /// Rebuilds a fit from saved unconstrained draws (chains concatenated).
  public init(model: MMMModel, unconstrainedDraws: [[Double]]) {
    self.model = model
    posterior = nil
    self.unconstrainedDraws = unconstrainedDraws
    parameterSummary = []
    slots = unconstrainedDraws.map { model.slotValues($0) }
    reportedIntercepts = nil
  }

  /// Each draw's intercepts (`MMMModel.intercepts(slots:)`): those sampling reported, else computed on
  /// every core.
  func interceptDraws() -> [[Double]] {
    if let reportedIntercepts { return reportedIntercepts }
    return parallelMap(slots.count) { model.intercepts(slots: slots[$0]) }
  }

  /// Samples the model with NUTS and returns the fit.
  ///
  /// Unless the configuration sets `sampler.partial_centering: off`, a model with non-centred pooled
  /// offsets or HSGP weights is sampled as a `PartiallyCentredMMM`: each chain starts non-centred and, at
  /// the last but one metric update of warm-up (iteration 450 of 1000), partially centres every such
  /// coordinate as far as its own draws say the data inform it and samples a rotated pair's spreads in
  /// polar coordinates (`PolarSpreads`); the chains report the model's coordinates, so the fit reads as a
  /// non-centred one.
  public static func fit(_ model: MMMModel, sampler: SamplerConfiguration) throws -> FittedMMM {
    guard model.configuration.sampler.partialCentering != .off,
      !PartialCentring.candidates(model.layout).isEmpty
    else {
      return FittedMMM(model: model, posterior: try sampleNUTS(model, configuration: sampler))
    }
    let density = PartiallyCentredMMM(model: model, centring: PartialCentring(entries: []))
    return FittedMMM(model: model, posterior: try sampleNUTS(density, configuration: sampler))
  }

  /// The number of kept draws (all chains).
  public var drawCount: Int { slots.count }

  /// Expected outcome and posterior predictive for a table. A table on the training period grid that
  /// starts after the first training date (possibly past the last one: a forward table) receives the
  /// carry-over of the training periods before it; otherwise adstock starts at its first row.
  ///
  /// - Parameter seed: seeds the observation noise of the predictive draws.
  public func predict(data: MMMData, seed: UInt64 = 1) throws -> PredictionResult {
    try predict(data: data, seed: seed, chunkValues: Self.predictionChunkValues)
  }

  /// `predict` holding whole geos of dates x draws up to `chunkValues` values per summary at once.
  func predict(data: MMMData, seed: UInt64, chunkValues: Int) throws -> PredictionResult {
    let forward = try model.forwardInputs(for: data)
    let panel = forward.panel
    let T = panel.dateCount
    let G = panel.geoCount
    let D = slots.count
    let studentT = model.configuration.likelihood.dist == .studentT
    let nu = model.configuration.likelihood.nu
    let degrees = Int(nu.rounded())
    // One observation's noise; the stream is draw-major over the table's geo * date observations.
    func noise(_ rng: inout Xoshiro256StarStar) -> Double {
      var noise = rng.nextNormal()
      if studentT {
        var chi = 0.0
        for _ in 0..<degrees { let z = rng.nextNormal(); chi += z * z }
        noise /= (chi / nu.rounded()).squareRoot()
      }
      return noise
    }
    // Geos are summarised a chunk at a time (chunk geos x dates x draws values, not every
    // observation's draws). A first pass keeps, per draw, the generator's state at the draw's first
    // observation, so each chunk reads the same noise as a draw-by-draw pass.
    var states: [Xoshiro256StarStar] = []
    states.reserveCapacity(D)
    var rng = Xoshiro256StarStar(seed: seed)
    for _ in slots {
      states.append(rng)
      for _ in 0..<(G * T) { _ = noise(&rng) }
    }
    let intercepts = interceptDraws()
    let chunk = max(1, min(G, chunkValues / max(1, T * D)))
    var expectedDraws = [Double](repeating: 0, count: min(G, chunk) * T * D)  // [(g * T + t) * D + d]
    var predictiveDraws = expectedDraws
    var expected: [[DrawSummary]] = []
    var predictive: [[DrawSummary]] = []
    expected.reserveCapacity(G)
    predictive.reserveCapacity(G)
    for lower in stride(from: 0, to: G, by: chunk) {
      let geos = lower..<min(G, lower + chunk)
      let count = geos.count * T
      // Draws on every core: each writes its own column d of the chunk and its own generator state.
      expectedDraws.withUnsafeMutableBufferPointer { expectedBuffer in
        predictiveDraws.withUnsafeMutableBufferPointer { predictiveBuffer in
          states.withUnsafeMutableBufferPointer { stateBuffer in
            parallelForEach(D) { draws in
              for d in draws {
                let v = slots[d]
                let mean = model.forwardMean(slots: v, forward, intercepts: intercepts[d], geos: geos)
                let sigma = v[model.offsets.sigma]
                var rng = stateBuffer[d]
                for i in 0..<count {
                  expectedBuffer[i * D + d] = mean[i] * model.targetScale
                  let noise = noise(&rng)
                  predictiveBuffer[i * D + d] = (mean[i] + sigma * noise) * model.targetScale
                }
                stateBuffer[d] = rng
              }
            }
          }
        }
      }
      let summaries = parallelMap(count) { i in
        (
          DrawSummary(Array(expectedDraws[(i * D)..<((i + 1) * D)])),
          DrawSummary(Array(predictiveDraws[(i * D)..<((i + 1) * D)]))
        )
      }
      for g in 0..<geos.count {
        expected.append(summaries[(g * T)..<((g + 1) * T)].map(\.0))
        predictive.append(summaries[(g * T)..<((g + 1) * T)].map(\.1))
      }
    }
    return PredictionResult(
      geoNames: panel.geoNames, dates: panel.dates, expected: expected, predictive: predictive,
      timeVarying: try timeVaryingPaths(for: data))
  }

  /// The number of draws `predict` holds at once per summary (expected and predictive): whole geos of
  /// dates x draws up to this many values (at least one geo).
  static let predictionChunkValues = 1 << 22

  /// Channel contributions over the training data, original units.
  ///
  /// Works one geo at a time (draws × channels × dates values in memory, not geos × channels × dates ×
  /// draws), with the same arithmetic and summation order as a draw-by-draw pass, the draws and the
  /// summaries spread over every core.
  public func contributions() -> [ChannelContribution] {
    let T = model.inputs.dateCount
    let G = model.inputs.geoCount
    let C = model.channelNames.count
    let D = slots.count
    var series = [[[DrawSummary]]](repeating: [], count: C)  // [c][g][t]
    var totals = [Double](repeating: 0, count: C * D)  // [c * D + d]
    var perDraw = [Double](repeating: 0, count: C * T * D)  // one geo: [(c * T + t) * D + d]
    for g in 0..<G {
      // Draws on every core, each writing its own column d (and its totals, summed over geos in order).
      perDraw.withUnsafeMutableBufferPointer { perDrawBuffer in
        totals.withUnsafeMutableBufferPointer { totalBuffer in
          parallelForEach(D) { draws in
            var geoSeries = [Double](repeating: 0, count: C * T)
            for d in draws {
              model.channelContributions(slots: slots[d], geo: g, into: &geoSeries)
              for c in 0..<C {
                var total = totalBuffer[c * D + d]
                for t in 0..<T {
                  let value = geoSeries[c * T + t] * model.targetScale
                  perDrawBuffer[(c * T + t) * D + d] = value
                  total += value
                }
                totalBuffer[c * D + d] = total
              }
            }
          }
        }
      }
      let summaries = parallelMap(C * T) { i in DrawSummary(Array(perDraw[(i * D)..<((i + 1) * D)])) }
      for c in 0..<C { series[c].append(Array(summaries[(c * T)..<((c + 1) * T)])) }
    }
    return (0..<C).map { c in
      ChannelContribution(
        channel: model.channelNames[c], series: series[c], totalDraws: Array(totals[(c * D)..<((c + 1) * D)]))
    }
  }

  /// Per channel, the total contribution over geos and dates of every draw (original units): the
  /// `totalDraws` of `contributions()` without the per-date summaries.
  func contributionTotals() -> [[Double]] {
    let T = model.inputs.dateCount
    let C = model.channelNames.count
    var totals = [[Double]](repeating: [Double](repeating: 0, count: slots.count), count: C)
    var geoSeries = [Double](repeating: 0, count: C * T)
    for g in 0..<model.inputs.geoCount {
      for (d, v) in slots.enumerated() {
        model.channelContributions(slots: v, geo: g, into: &geoSeries)
        for c in 0..<C {
          var total = totals[c][d]
          for t in 0..<T { total += geoSeries[c * T + t] * model.targetScale }
          totals[c][d] = total
        }
      }
    }
    return totals
  }

  /// ROAS per channel over the training data: total contribution / total spend (original units).
  public func roas() -> [ChannelROAS] { roas(totals: nil) }

  /// `roas()` from per-channel contribution totals per draw (`contributions()`'s `totalDraws`, the
  /// same values as `contributionTotals()`), computed here when nil.
  func roas(totals: [[Double]]?) -> [ChannelROAS] {
    let spends = channelSpends()
    return (totals ?? contributionTotals()).enumerated().map { c, totalDraws in
      let spend = spends[c]
      return ChannelROAS(
        channel: model.channelNames[c], spend: spend, contribution: DrawSummary(totalDraws),
        roas: DrawSummary(totalDraws.map { spend > 0 ? $0 / spend : .nan }))
    }
  }

  /// Per channel, the total spend over the training data (original units): `roas()`'s `spend`.
  func channelSpends() -> [Double] {
    let T = model.inputs.dateCount
    let G = model.inputs.geoCount
    let C = model.channelNames.count
    return (0..<C).map { c in
      var spend = 0.0
      for g in 0..<G {
        for t in 0..<T { spend += model.inputs.channels[(g * C + c) * T + t] * model.channelScales[c] }
      }
      return spend
    }
  }

  /// The posterior of the outcome difference when the inputs are replaced by `counterfactual`
  /// (e.g. a channel set to 0 on a date range, or scaled). See `intervene(counterfactual:baseline:includeCarryoverTail:)`
  /// in Decisions/ForwardScenario+Intervention.swift for forward tables and the carry-over tail.
  ///
  /// - Throws: `LocatedError` when the table is invalid or its dates are not training dates.
  public func intervene(counterfactual: MMMData) throws -> InterventionResult {
    try intervene(counterfactual: counterfactual, baseline: nil, includeCarryoverTail: false)
  }

  /// Each lift test read by the model, with the z-score of the measurement against the posterior mean.
  public func liftChecks() -> [LiftCheck] {
    let o = model.offsets
    let C = o.channelCount
    let Js = o.saturationParameterCount
    let Ja = o.adstockParameterCount
    return zip(model.liftTests, model.lifts).map { test, lift in
      let gc = lift.geo * C + lift.channel
      let draws = slots.map { v -> Double in
        let ps = Array(v[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
        let s = model.components.saturation
        if let window = lift.window {
          let pa = Array(v[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)])
          let T = model.inputs.dateCount
          let x = Array(model.inputs.channels[(gc * T)..<((gc + 1) * T)])
          var shifted = x
          for t in window { shifted[t] += lift.deltaX }
          let a0 = model.components.adstock.apply(x, parameters: pa)
          let a1 = model.components.adstock.apply(shifted, parameters: pa)
          let sum = window.reduce(0.0) {
            $0 + s.value(a1[$1], parameters: ps) - s.value(a0[$1], parameters: ps)
          }
          return abs(sum / Double(window.count)) * model.targetScale
        }
        return abs(s.value(lift.x + lift.deltaX, parameters: ps) - s.value(lift.x, parameters: ps))
          * model.targetScale
      }
      let summary = DrawSummary(draws)
      return LiftCheck(test: test, modelLift: summary, zScore: (summary.mean - abs(test.deltaY)) / test.sigma)
    }
  }

  /// Saturation curves per (geo, channel) on a grid of original-unit spend, with HDI bands (original units).
  public func saturationCurves(points: Int = 50, upTo maximumFraction: Double = 1.2) -> [CurveBand] {
    let o = model.offsets
    let C = o.channelCount
    let Js = o.saturationParameterCount
    var bands: [CurveBand] = []
    for (g, geo) in model.geoNames.enumerated() {
      for c in 0..<C {
        let gc = g * C + c
        let grid = (0..<points).map { Double($0) / Double(points - 1) * maximumFraction }
        let band = grid.map { x in
          DrawSummary(
            slots.map { v in
              let ps = Array(v[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
              return model.components.saturation.value(x, parameters: ps) * model.targetScale
            })
        }
        bands.append(
          CurveBand(
            channel: model.channelNames[c], geo: geo, x: grid.map { $0 * model.channelScales[c] }, band: band)
        )
      }
    }
    return bands
  }

  /// Adstock weights per (geo, channel) over lag, with HDI bands.
  public func adstockCurves() -> [CurveBand] {
    let o = model.offsets
    let C = o.channelCount
    let Ja = o.adstockParameterCount
    var bands: [CurveBand] = []
    for (g, geo) in model.geoNames.enumerated() {
      for c in 0..<C {
        let gc = g * C + c
        let weights = slots.map {
          model.components.adstock.weights(Array($0[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)]))
        }
        let taps = model.components.adstock.tapCount
        bands.append(
          CurveBand(
            channel: model.channelNames[c], geo: geo, x: (0..<taps).map(Double.init),
            band: (0..<taps).map { l in DrawSummary(weights.map { $0[l] }) }))
      }
    }
    return bands
  }

  func checkGeos(_ panel: Panel) throws {
    for geo in panel.geoNames where !model.geoNames.contains(geo) {
      throw LocatedError(
        column: model.configuration.geoColumn, "unknown geo '\(geo)'\(didYouMean(geo, model.geoNames))")
    }
  }
}
