import CausalMMMCore
import Inference
import RealModule

/// The Bayesian media-mix model's log posterior on the unconstrained scale, with a hand-assembled gradient.
///
/// Scaled space as PyMC-Marketing: channel inputs divided by their max over dates and geos, the target by
/// its max. For geo g and date t:
///
///     μ_gt = intercept_g p_gt + M_gt Σ_c sat_c(adstock_c(x̃_gc)_t; θ_gc) + Σ_k γ_k z_gkt + Σ_m γ_m f_m(t)
///            + γ_trend τ_t
///     ỹ_gt ~ Normal(μ_gt, σ)   or   StudentT(ν, μ_gt, σ)
///
/// where p (`time_varying_intercept`) and M (`time_varying_media`) are `LatentMultiplier`s (1 when the term
/// is constant), plus one lift-test likelihood term per `LiftTest`. The value type is immutable and every call works in
/// its own temporary scratch, so `logDensity(at:gradient:)` is safe to call from several threads at once.
public struct MMMModel: LogDensity {
  /// The specification this model was built from.
  public let configuration: MMMConfiguration
  let components: ModelComponents
  /// Geo labels (sorted); `[""]` without a geo column.
  public let geoNames: [String]
  /// Whether the data had a geo column.
  public let hasGeo: Bool
  /// The training dates.
  public let dates: [CalendarDate]
  /// Channel scales c_c (max spend over dates and geos), in `configuration.channelColumns` order.
  public let channelScales: [Double]
  /// Target scale c_y (max |y|).
  public let targetScale: Double
  /// The calibration rows, validated.
  public let liftTests: [LiftTest]

  let inputs: ScaledInputs
  /// The training channels four at a time, interleaved by date, for the log density's four-channel kernel:
  /// channel 4q + k of geo g at date t is `channelQuads[((g * Q + q) * T + t) * 4 + k]`, Q = ⌊C / 4⌋.
  let channelQuads: [Double]
  /// PyMC-Marketing's time index on the training grid (`ScaledInputs.times`).
  let timeIndex: TimeIndex
  /// The time-varying intercept's and media's multipliers, nil for a constant term.
  let interceptMultiplier: LatentMultiplier?
  let mediaMultiplier: LatentMultiplier?
  let trendStart: Int
  let trendSpan: Int
  let target: [Double]
  let lifts: [ResolvedLift]
  let layout: ParameterLayout
  let offsets: SlotOffsets

  /// Threads over which one gradient evaluation splits the geos (1: the calling thread only). The value
  /// and gradient are bit-identical for any count; set it with `withGradientThreads(_:)`.
  public internal(set) var gradientThreads: Int? = nil
  /// Without `gradientThreads`, the sampler's share of the cores (`sharingCores`), asked at each
  /// evaluation; neither: one thread.
  var coreShare: CoreShare? = nil

  public var dimension: Int { layout.dimension }
  public let parameterNames: [String]
  /// With parameters pooled over geos or a time-varying (HSGP) term: one block of every coordinate
  /// that is neither indexed by a geo nor an HSGP weight (population means and spreads, the HSGP's
  /// amplitude and lengthscale, shared adstock and saturation, noise, seasonality), whose posterior
  /// correlations a `.blockDiagonal` metric adapts (a channel's pooled `saturation_lam` against its
  /// `saturation_beta`, whose product the data identify far better than either; the lengthscale
  /// against the amplitude and the intercept); else none.
  public let metricBlocks: [[Int]]

  /// Builds the model from a configuration, a data table and optional lift tests.
  ///
  /// - Throws: `LocatedError` for invalid configuration, data (located at row and column) or lift tests.
  public init(configuration unchecked: MMMConfiguration, data: MMMData, liftTests: [LiftTest] = []) throws {
    let validated: MMMConfiguration
    do {
      validated = try unchecked.validated()
    } catch let error as LocatedError {
      throw error.located(in: "<configuration>")
    }
    let panel = try Panel(data: data, configuration: validated, requireTarget: true)
    // The one place a prior's `cost_share` becomes numbers: each channel's share of this training data's
    // spend. `configuration` (saved with a fit, read back by predict, merge, ...) holds the numbers.
    let configuration: MMMConfiguration
    do {
      configuration = try validated.resolvingCostShare(totalSpend: panel.totalSpendByChannel)
    } catch let error as LocatedError {
      throw error.located(in: "<configuration>")
    }
    let components = try ModelComponents.make(configuration: configuration).mapError(file: "<configuration>")
    if let first = panel.target.first, panel.target.allSatisfy({ $0 == first }) {
      throw LocatedError(
        file: data.sourceName, column: configuration.targetColumn,
        "the target is constant (every value is \(formatDecimal(first))): there is no variation to attribute")
    }
    if panel.dateCount < configuration.adstock.lMax {
      throw LocatedError(
        file: data.sourceName,
        "\(panel.dateCount) dates are fewer than the adstock's l_max = \(configuration.adstock.lMax) periods of "
          + "carry-over it needs; use more dates or a smaller l_max")
    }
    self.configuration = configuration
    self.components = components
    geoNames = panel.geoNames
    hasGeo = panel.hasGeo
    dates = panel.dates
    let C = configuration.channelColumns.count
    let G = panel.geoCount
    let T = panel.dateCount
    var scales = [Double](repeating: 0, count: C)
    for g in 0..<G {
      for c in 0..<C {
        for t in 0..<T { scales[c] = max(scales[c], panel.channels[(g * C + c) * T + t]) }
      }
    }
    let resolvedScales = scales.map { $0 > 0 ? $0 : 1 }
    channelScales = resolvedScales
    let yMax = panel.target.map(abs).max() ?? 1
    let yScale = yMax > 0 ? yMax : 1
    targetScale = yScale
    let trendStart = dates.first?.daysSinceEpoch ?? 0
    let trendSpan = max(1, (dates.last?.daysSinceEpoch ?? trendStart) - trendStart)
    self.trendStart = trendStart
    self.trendSpan = trendSpan
    let timeIndex = TimeIndex(dates: panel.dates)
    self.timeIndex = timeIndex
    var timeBases: [TimeVaryingTerm: TimeVaryingBasis] = [:]
    for term in TimeVaryingTerm.allCases {
      if let settings = configuration.timeVaryingSettings(term) {
        timeBases[term] = TimeVaryingBasis(settings: settings, dates: panel.dates)
      }
    }
    let inputs = ScaledInputs(
      panel: panel, configuration: configuration, channelScales: resolvedScales, trendStart: trendStart,
      trendSpan: trendSpan, timeIndex: timeIndex)
    self.inputs = inputs
    channelQuads = ScaledInputs.quads(inputs.channels, geoCount: inputs.geoCount, dateCount: inputs.dateCount)
    target = panel.target.map { $0 / yScale }
    var layout = ParameterLayout()
    let offsets = try SlotOffsets.build(
      into: &layout, components: components, geoNames: panel.geoNames, hasGeo: panel.hasGeo, panel: panel,
      timeBases: timeBases)
    self.offsets = offsets
    func multiplier(_ term: TimeVaryingTerm) -> LatentMultiplier? {
      guard let basis = timeBases[term], let slot = offsets.processSlots[term] else { return nil }
      return LatentMultiplier(
        term: term, basis: basis, trainingTimes: inputs.times, slot: slot)
    }
    interceptMultiplier = multiplier(.intercept)
    mediaMultiplier = multiplier(.media)
    // Standardise the tightly identified coordinates so that the sampler's initial unit metric fits them:
    // the centred intercepts near each geo's mean target with scale sd/√T, and log σ with scale 0.1.
    let scaledTarget = panel.target.map { $0 / yScale }
    for (i, coordinate) in layout.coordinates.enumerated() {
      if coordinate.name.hasPrefix("intercept_centered") {
        let g =
          offsets.interceptVariesByGeo
          ? panel.geoNames.firstIndex { coordinate.name == "intercept_centered[\($0)]" } : nil
        let values = g.map { Array(scaledTarget[($0 * T)..<(($0 + 1) * T)]) } ?? scaledTarget
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        layout.standardise(i, shift: mean, scale: max(sd, 1e-3) / Double(T).squareRoot())
      } else if coordinate.name == "y_sigma" {
        let mean = scaledTarget.reduce(0, +) / Double(scaledTarget.count)
        let sd = (scaledTarget.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scaledTarget.count))
          .squareRoot()
        layout.standardise(i, shift: Double.log(max(sd, 1e-3)), scale: 0.1)
      }
    }
    self.layout = layout
    metricBlocks = Self.populationBlocks(layout, geoNames: hasGeo ? panel.geoNames : [])
    parameterNames =
      layout.parameterNames
      + (offsets.centeredIntercept
        ? (offsets.interceptVariesByGeo ? panel.geoNames.map { "intercept[\($0)]" } : ["intercept"]) : [])
    self.liftTests = liftTests
    let (panelDates, liftScales) = (panel.dates, resolvedScales)
    lifts = try liftTests.map {
      try ResolvedLift(
        $0, configuration: configuration, geoNames: panel.geoNames, hasGeo: panel.hasGeo, dates: panelDates,
        channelScales: liftScales, targetScale: yScale,
        geoVarying: offsets.saturationVariesByGeo || (offsets.adstockVariesByGeo && $0.isWindowed))
    }
  }

  /// Channel, control and seasonality names in model order.
  public var channelNames: [String] { configuration.channelColumns }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    for i in 0..<layout.dimension { values[i] = layout.constrained(position, i) }
    guard !layout.derivedSlots.isEmpty || offsets.centeredIntercept else { return }
    let v = slotValues(Array(position))
    for (k, slot) in layout.derivedSlots.enumerated() { values[layout.dimension + k] = v[slot] }
    if offsets.centeredIntercept {
      let intercepts = self.intercepts(slots: v)
      for (k, i) in interceptValueIndices.enumerated() { values[i] = intercepts[k] }
    }
  }

  /// Where `constrain` reports the intercepts of the centred parametrisation: after the coordinates and
  /// the derived slots, to the end of `parameterNames`.
  var interceptValueIndices: Range<Int> {
    (layout.dimension + layout.derivedSlots.count)..<parameterNames.count
  }

  /// Each coordinate's prior support point on the sampler's scale (`Prior.supportPoint`); the centre of
  /// its standardisation for a coordinate without a prior of its own or standardised to the data (the
  /// centred intercepts, log σ).
  public var supportPoint: [Double] {
    layout.coordinates.map { coordinate in
      guard let prior = coordinate.prior, coordinate.scale == 1, coordinate.shift == 0 else { return 0 }
      let u = coordinate.transform.unconstrain(prior.supportPoint)
      return u.isFinite ? u : 0
    }
  }

  /// Natural slot values (every geo × channel parameter, intercepts, ...) for an unconstrained point.
  func slotValues(_ position: [Double]) -> [Double] {
    var v = [Double](repeating: 0, count: layout.slotCount)
    position.withUnsafeBufferPointer { u in
      v.withUnsafeMutableBufferPointer { layout.slotValues(u, into: $0) }
    }
    return v
  }
}

extension MMMModel {
  // The population-level coordinates of a model with geo-pooled parameters or HSGP terms (see
  // `metricBlocks`): those that are not HSGP weights and whose label (`name[a,b]`) names no geo.
  static func populationBlocks(_ layout: ParameterLayout, geoNames: [String]) -> [[Int]] {
    let pooled = layout.sources.contains {
      switch $0 {
      case .pooled, .centred, .rotated: return true
      default: return false
      }
    }
    let weights = Set(layout.spectralGroups.flatMap(\.weights))
    guard (pooled && !geoNames.isEmpty) || !weights.isEmpty else { return [] }
    let geos = Set(geoNames)
    let population = layout.coordinates.indices.filter { i in
      guard !weights.contains(i) else { return false }
      let labels = CmdStanCSV.splitIndexedName(layout.coordinates[i].name)?.1 ?? []
      return !labels.contains(where: geos.contains)
    }
    return population.count > 1 ? [population] : []
  }
}
