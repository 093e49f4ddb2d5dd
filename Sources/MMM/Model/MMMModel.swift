import CausalMMMCore
import Inference
import RealModule

/// The Bayesian media-mix model's log posterior on the unconstrained scale, with a hand-assembled gradient.
///
/// Scaled space as PyMC-Marketing: channel inputs divided by their max over dates and geos, the target by
/// its max. For geo g and date t:
///
///     μ_gt = intercept_g + Σ_c sat_c(adstock_c(x̃_gc)_t; θ_gc) + Σ_k γ_k z_gkt + Σ_m γ_m f_m(t) + γ_trend τ_t
///     ỹ_gt ~ Normal(μ_gt, σ)   or   StudentT(ν, μ_gt, σ)
///
/// plus one lift-test likelihood term per `LiftTest`. The value type is immutable and every call works in
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
  let trendStart: Int
  let trendSpan: Int
  let target: [Double]
  let lifts: [ResolvedLift]
  let layout: ParameterLayout
  let offsets: SlotOffsets

  public var dimension: Int { layout.dimension }
  public let parameterNames: [String]

  /// Builds the model from a configuration, a data table and optional lift tests.
  ///
  /// - Throws: `LocatedError` for invalid configuration, data (located at row and column) or lift tests.
  public init(configuration: MMMConfiguration, data: MMMData, liftTests: [LiftTest] = []) throws {
    let components = try ModelComponents.make(configuration: configuration).mapError(file: "<configuration>")
    let panel = try Panel(data: data, configuration: configuration, requireTarget: true)
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
    let trendStart = dates.first!.daysSinceEpoch
    let trendSpan = max(1, dates.last!.daysSinceEpoch - trendStart)
    self.trendStart = trendStart
    self.trendSpan = trendSpan
    inputs = ScaledInputs(
      panel: panel, configuration: configuration, channelScales: resolvedScales, trendStart: trendStart,
      trendSpan: trendSpan)
    target = panel.target.map { $0 / yScale }
    var layout = ParameterLayout()
    let offsets = try SlotOffsets.build(
      into: &layout, components: components, geoNames: panel.geoNames, hasGeo: panel.hasGeo, panel: panel)
    self.offsets = offsets
    // Standardise the tightly identified coordinates so that the sampler's initial unit metric fits them:
    // the centred intercepts near each geo's mean target with scale sd/√T, and log σ with scale 0.1.
    let scaledTarget = panel.target.map { $0 / yScale }
    for (i, coordinate) in layout.coordinates.enumerated() {
      if coordinate.name.hasPrefix("intercept_centered") {
        let g =
          offsets.interceptVariesByGeo
          ? panel.geoNames.firstIndex { coordinate.name == "intercept_centered[\($0)]" }! : nil
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
      let base = layout.dimension + layout.derivedSlots.count
      let intercepts = self.intercepts(slots: v)
      for k in 0..<(parameterNames.count - base) { values[base + k] = intercepts[k] }
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

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    // Dispatch once per call to a version specialised for the concrete saturation, so that the inner
    // loops call it directly (no existential dispatch per observation).
    switch components.saturation {
    case let s as LogisticSaturation: return evaluate(s, at: position, gradient: gradient)
    case let s as MichaelisMentenSaturation: return evaluate(s, at: position, gradient: gradient)
    case let s as HillSaturation: return evaluate(s, at: position, gradient: gradient)
    case let s as TanhSaturation: return evaluate(s, at: position, gradient: gradient)
    case let s as RootSaturation: return evaluate(s, at: position, gradient: gradient)
    default: return evaluate(components.saturation, at: position, gradient: gradient)
    }
  }

  @inline(__always)
  func evaluate<S: Saturation>(
    _ saturation: S, at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let o = offsets
    let S = layout.slotCount
    let T = inputs.dateCount
    let C = o.channelCount
    let taps = components.adstock.tapCount
    let Ja = o.adstockParameterCount
    let Js = o.saturationParameterCount
    let scratchSize =
      2 * S + T * C * (2 + Js) + 4 * T + C * taps * (1 + Ja) + 2 * taps + 3 * Js + taps * (1 + Ja)
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: scratchSize) { scratch -> Double in
      var cursor = scratch.baseAddress!
      func take(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
        defer { cursor += n }
        return UnsafeMutableBufferPointer(start: cursor, count: n)
      }
      let v = take(S)
      let dv = take(S)
      let stored = take(T * C)  // adstocked input (adstock first) or saturated input (saturation first)
      let slope = take(T * C)  // ∂s/∂(input) per date
      let paramGrad = take(T * C * Js)  // ∂s/∂θ per date
      let mu = take(T)
      let gmu = take(T)
      let work = take(T)
      let upstream = take(T)
      let weights = take(C * taps)
      let jacobian = take(C * taps * Ja)
      let dw = take(taps)
      let dw2 = take(taps)
      let satGrad0 = take(Js)
      let satGrad1 = take(Js)
      let satAccum = take(Js)
      let liftWeights = take(taps)
      let liftJacobian = take(taps * Ja)
      for i in 0..<S { dv[i] = 0 }
      var total = layout.priorLogDensity(position, gradient: gradient)
      layout.slotValues(position, into: v)
      total += likelihood(
        saturation, v: v, dv: dv, stored: stored, slope: slope, paramGrad: paramGrad, mu: mu, gmu: gmu,
        work: work,
        upstream: upstream,
        weights: weights, jacobian: jacobian, dw: dw)
      for lift in lifts {
        total += liftLogDensity(
          lift, saturation, v: v, dv: dv, weights: liftWeights, jacobian: liftJacobian, dw: dw2, g0: satGrad0,
          g1: satGrad1,
          accum: satAccum)
      }
      layout.pullBack(position, slotGradient: dv, into: gradient)
      return total.isNaN ? -.infinity : total
    }
  }

  // The data likelihood: forward pass per geo, residual gradient, backward pass. Accumulates into dv.
  @inline(__always)
  func likelihood<S: Saturation>(
    _ saturation: S, v: UnsafeMutableBufferPointer<Double>, dv: UnsafeMutableBufferPointer<Double>,
    stored: UnsafeMutableBufferPointer<Double>, slope: UnsafeMutableBufferPointer<Double>,
    paramGrad: UnsafeMutableBufferPointer<Double>, mu: UnsafeMutableBufferPointer<Double>,
    gmu: UnsafeMutableBufferPointer<Double>, work: UnsafeMutableBufferPointer<Double>,
    upstream: UnsafeMutableBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>,
    dw: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let o = offsets
    let T = inputs.dateCount
    let C = o.channelCount
    let K = o.controlCount
    let F = inputs.featureCount
    let G = geoNames.count
    let taps = components.adstock.tapCount
    let Ja = o.adstockParameterCount
    let Js = o.saturationParameterCount
    let adstock = components.adstock
    let adstockFirst = configuration.adstockFirst
    let sigma = v[o.sigma]
    let studentT = configuration.likelihood.dist == "StudentT"
    let nu = configuration.likelihood.nu
    var total = 0.0
    var dSigma = 0.0
    inputs.channels.withUnsafeBufferPointer { xAll in
      inputs.controls.withUnsafeBufferPointer { zAll in
        inputs.features.withUnsafeBufferPointer { fAll in
          target.withUnsafeBufferPointer { yAll in
            for g in 0..<G {
              let intercept = v[o.intercept + (o.interceptVariesByGeo ? g : 0)]
              for t in 0..<T { mu[t] = intercept }
              for k in 0..<K {
                let gamma = v[o.control + k]
                let base = (g * K + k) * T
                for t in 0..<T { mu[t] += gamma * zAll[base + t] }
              }
              for f in 0..<F {
                let gamma = v[o.feature + f]
                for t in 0..<T { mu[t] += gamma * fAll[f * T + t] }
              }
              var channelSum = 0.0
              for c in 0..<C {
                let gc = g * C + c
                let pa = UnsafeBufferPointer(rebasing: v[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)])
                let ps = UnsafeBufferPointer(
                  rebasing: v[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
                let w = UnsafeMutableBufferPointer(rebasing: weights[(c * taps)..<((c + 1) * taps)])
                let jac = UnsafeMutableBufferPointer(
                  rebasing: jacobian[(c * taps * Ja)..<((c + 1) * taps * Ja)])
                adstock.weights(parameters: pa, weights: w, jacobian: jac)
                let x = UnsafeBufferPointer(rebasing: xAll[(gc * T)..<((gc + 1) * T)])
                let st = UnsafeMutableBufferPointer(rebasing: stored[(c * T)..<((c + 1) * T)])
                if adstockFirst {
                  Convolution.forward(x, weights: UnsafeBufferPointer(w), into: st)
                  saturation.valuesAndGradients(
                    UnsafeBufferPointer(st), parameters: ps, values: work,
                    derivatives: UnsafeMutableBufferPointer(rebasing: slope[(c * T)..<((c + 1) * T)]),
                    parameterGradients: UnsafeMutableBufferPointer(
                      rebasing: paramGrad[(c * T * Js)..<((c + 1) * T * Js)]))
                  for t in 0..<T {
                    mu[t] += work[t]
                    channelSum += work[t]
                  }
                } else {
                  for t in 0..<T {
                    let pg = UnsafeMutableBufferPointer(
                      start: paramGrad.baseAddress! + (c * T + t) * Js, count: Js)
                    let r = saturation.valueAndGradient(x[t], parameters: ps, parameterGradient: pg)
                    st[t] = r.value
                    slope[c * T + t] = r.derivative
                  }
                  Convolution.forward(UnsafeBufferPointer(st), weights: UnsafeBufferPointer(w), into: work)
                  for t in 0..<T {
                    mu[t] += work[t]
                    channelSum += work[t]
                  }
                }
              }
              // Centred intercept: μ uses m_g − mean channel contribution; the prior sees the derived intercept.
              var interceptPriorSlope = 0.0
              if o.centeredIntercept {
                let channelMean = channelSum / Double(T)
                for t in 0..<T { mu[t] -= channelMean }
                let (lp, slope) = o.interceptPrior.logDensityAndDerivative(intercept - channelMean)
                total += lp
                interceptPriorSlope = slope
                dv[o.intercept + (o.interceptVariesByGeo ? g : 0)] += slope
              }
              // Likelihood and its derivative in μ and σ.
              if studentT {
                let constant =
                  Double.logGamma((nu + 1) / 2) - Double.logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi)
                  - Double.log(sigma)
                for t in 0..<T {
                  let r = yAll[g * T + t] - mu[t]
                  let q = nu * sigma * sigma + r * r
                  total += constant - (nu + 1) / 2 * Double.log(onePlus: r * r / (nu * sigma * sigma))
                  gmu[t] = (nu + 1) * r / q
                  dSigma += -1 / sigma + (nu + 1) * r * r / (sigma * q)
                }
              } else {
                var squares = 0.0
                let inv = 1 / (sigma * sigma)
                for t in 0..<T {
                  let r = yAll[g * T + t] - mu[t]
                  squares += r * r
                  gmu[t] = r * inv
                }
                total += -Double(T) * (0.918_938_533_204_672_7 + Double.log(sigma)) - 0.5 * squares * inv
                dSigma += -Double(T) / sigma + squares * inv / sigma
              }
              // Backward pass.
              var sumG = 0.0
              for t in 0..<T { sumG += gmu[t] }
              dv[o.intercept + (o.interceptVariesByGeo ? g : 0)] += sumG
              let shift = o.centeredIntercept ? (sumG + interceptPriorSlope) / Double(T) : 0
              for t in 0..<T { upstream[t] = gmu[t] - shift }
              for k in 0..<K {
                var acc = 0.0
                let base = (g * K + k) * T
                for t in 0..<T { acc += gmu[t] * zAll[base + t] }
                dv[o.control + k] += acc
              }
              for f in 0..<F {
                var acc = 0.0
                for t in 0..<T { acc += gmu[t] * fAll[f * T + t] }
                dv[o.feature + f] += acc
              }
              for c in 0..<C {
                let gc = g * C + c
                let w = UnsafeBufferPointer(rebasing: weights[(c * taps)..<((c + 1) * taps)])
                let x = UnsafeBufferPointer(rebasing: xAll[(gc * T)..<((gc + 1) * T)])
                let satBase = o.saturation + gc * Js
                if adstockFirst {
                  for j in 0..<Js {
                    var acc0 = 0.0
                    var acc1 = 0.0
                    var t = 0
                    while t + 1 < T {
                      acc0 += upstream[t] * paramGrad[(c * T + t) * Js + j]
                      acc1 += upstream[t + 1] * paramGrad[(c * T + t + 1) * Js + j]
                      t += 2
                    }
                    if t < T { acc0 += upstream[t] * paramGrad[(c * T + t) * Js + j] }
                    dv[satBase + j] += acc0 + acc1
                  }
                  for t in 0..<T { work[t] = upstream[t] * slope[c * T + t] }
                  Convolution.weightAdjoint(x, upstream: UnsafeBufferPointer(work), into: dw)
                } else {
                  let st = UnsafeBufferPointer(rebasing: stored[(c * T)..<((c + 1) * T)])
                  Convolution.weightAdjoint(st, upstream: UnsafeBufferPointer(upstream), into: dw)
                  Convolution.inputAdjoint(UnsafeBufferPointer(upstream), weights: w, into: work)
                  for t in 0..<T {
                    let gs = work[t]
                    let pg = (c * T + t) * Js
                    for j in 0..<Js { dv[satBase + j] += gs * paramGrad[pg + j] }
                  }
                }
                let adBase = o.adstock + gc * Ja
                for j in 0..<Ja {
                  var acc = 0.0
                  for l in 0..<taps { acc += dw[l] * jacobian[c * taps * Ja + j * taps + l] }
                  dv[adBase + j] += acc
                }
              }
            }
          }
        }
      }
    }
    dv[o.sigma] += dSigma
    return total
  }

  // One lift-test term; accumulates into dv.
  @inline(__always)
  func liftLogDensity<S: Saturation>(
    _ lift: ResolvedLift, _ saturation: S, v: UnsafeMutableBufferPointer<Double>,
    dv: UnsafeMutableBufferPointer<Double>,
    weights: UnsafeMutableBufferPointer<Double>, jacobian: UnsafeMutableBufferPointer<Double>,
    dw: UnsafeMutableBufferPointer<Double>, g0: UnsafeMutableBufferPointer<Double>,
    g1: UnsafeMutableBufferPointer<Double>, accum: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let o = offsets
    let C = o.channelCount
    let Js = o.saturationParameterCount
    let Ja = o.adstockParameterCount
    let gc = lift.geo * C + lift.channel
    let ps = UnsafeBufferPointer(rebasing: v[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
    var raw = 0.0
    for j in 0..<Js { accum[j] = 0 }
    let taps = components.adstock.tapCount
    if let window = lift.window {
      let pa = UnsafeBufferPointer(rebasing: v[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)])
      components.adstock.weights(parameters: pa, weights: weights, jacobian: jacobian)
      for l in 0..<taps { dw[l] = 0 }
      let T = inputs.dateCount
      inputs.channels.withUnsafeBufferPointer { xAll in
        let x = UnsafeBufferPointer(rebasing: xAll[(gc * T)..<((gc + 1) * T)])
        let m = Double(window.count)
        for t in window {
          var a = 0.0
          let upper = min(taps - 1, t)
          for l in 0...upper { a += weights[l] * x[t - l] }
          var cumulative = 0.0
          for l in 0...min(taps - 1, t - window.lowerBound) { cumulative += weights[l] }
          let shifted = a + lift.deltaX * cumulative
          let r1 = saturation.valueAndGradient(shifted, parameters: ps, parameterGradient: g1)
          let r0 = saturation.valueAndGradient(a, parameters: ps, parameterGradient: g0)
          raw += (r1.value - r0.value) / m
          for j in 0..<Js { accum[j] += (g1[j] - g0[j]) / m }
          for l in 0...upper {
            let extra = l <= t - window.lowerBound ? lift.deltaX : 0
            dw[l] += (r1.derivative * (x[t - l] + extra) - r0.derivative * x[t - l]) / m
          }
        }
      }
    } else {
      let r1 = saturation.valueAndGradient(lift.x + lift.deltaX, parameters: ps, parameterGradient: g1)
      let r0 = saturation.valueAndGradient(lift.x, parameters: ps, parameterGradient: g0)
      raw = r1.value - r0.value
      for j in 0..<Js { accum[j] = g1[j] - g0[j] }
    }
    let sign = raw >= 0 ? 1.0 : -1.0
    let mean = abs(raw)
    let value: Double
    let dMean: Double
    if lift.gammaLikelihood {
      (value, dMean) = SpecialFunctions.gammaMeanLogDensity(lift.deltaY, mean: mean, sd: lift.sigma)
    } else {
      let z = (lift.deltaY - mean) / lift.sigma
      value = -0.918_938_533_204_672_7 - Double.log(lift.sigma) - 0.5 * z * z
      dMean = z / lift.sigma
    }
    let d = dMean * sign
    for j in 0..<Js { dv[o.saturation + gc * Js + j] += d * accum[j] }
    if lift.window != nil {
      for j in 0..<Ja {
        var acc = 0.0
        for l in 0..<taps { acc += dw[l] * jacobian[j * taps + l] }
        dv[o.adstock + gc * Ja + j] += d * acc
      }
    }
    return value
  }
}

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

  static func build(
    into layout: inout ParameterLayout, components: ModelComponents, geoNames: [String], hasGeo: Bool,
    panel: Panel
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
        throw LocatedError(file: "<configuration>", column: name, "varies by geo but the data has no geo column")
      }
      return (byGeo && hasGeo, pooled && hasGeo)
    }
    // Transform parameters: slots ordered (g, c, j). Blocks are added parameter by parameter, so we add
    // per-slot sources directly in (g, c, j) order with one shared coordinate map per parameter.
    func addTransformSlots(prefix: String, names: [String], defaults: [Prior]) throws -> Bool {
      var anyByGeo = false
      var coordinateIndex: [String: Int] = [:]
      var spreadIndex: [String: (Int, Int)] = [:]
      let prior = names.indices.map { components.prior(named: prefix + names[$0]) }
      let variation = try names.map { try varies(prefix + $0, defaultByGeo: false) }
      for g in geoNames.indices {
        for c in channels.indices {
          for j in names.indices {
            let name = prefix + names[j]
            let (byGeo, pooled) = variation[j]
            anyByGeo = anyByGeo || byGeo
            let transform = prior[j].support
            let full = "\(geoNames[g]),\(channels[c])"
            if pooled {
              let key = name + "|" + channels[c]
              if spreadIndex[key] == nil {
                let pop = layout.addCoordinate("\(name)[\(channels[c])]", prior[j], transform)
                let sigma = settings(name)?.poolingSigma ?? 0.5
                let spread = layout.addCoordinate(
                  "\(name)_sigma[\(channels[c])]", .halfNormal(sigma: sigma), .positive)
                spreadIndex[key] = (pop, spread)
              }
              let (pop, spread) = spreadIndex[key]!
              let offset = layout.addCoordinate(
                "\(name)_offset[\(full)]", .normal(mu: 0, sigma: 1), .identity)
              layout.sources.append(.pooled(population: pop, spread: spread, offset: offset))
              layout.slotTransforms.append(transform)
              layout.derivedNames.append("\(name)[\(full)]")
              layout.derivedSlots.append(layout.sources.count - 1)
            } else {
              let label = byGeo ? "\(name)[\(full)]" : "\(name)[\(channels[c])]"
              if coordinateIndex[label] == nil {
                coordinateIndex[label] = layout.addCoordinate(label, prior[j], transform)
              }
              layout.sources.append(.direct(coordinateIndex[label]!))
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
    o.sigma = layout.slotCount
    layout.addBlock(
      name: "y_sigma", prior: components.prior(named: "y_sigma"), slotKeys: [""], pooled: nil,
      poolingSigma: 0.5)
    return o
  }
}

/// Scaled model inputs on a (geo × date) grid.
struct ScaledInputs: Sendable {
  let dateCount: Int
  let geoCount: Int
  /// `channels[(g * C + c) * T + t]`, divided by the channel scales.
  let channels: [Double]
  /// `controls[(g * K + k) * T + t]`, unscaled (as PyMC-Marketing).
  let controls: [Double]
  /// Fourier modes (sin_1..sin_n, cos_1..cos_n) then the trend, `features[f * T + t]`.
  let features: [Double]
  let featureCount: Int

  init(
    panel: Panel, configuration: MMMConfiguration, channelScales: [Double], trendStart: Int, trendSpan: Int
  ) {
    let T = panel.dateCount
    let C = channelScales.count
    dateCount = T
    geoCount = panel.geoCount
    var x = panel.channels
    for g in 0..<panel.geoCount {
      for c in 0..<C {
        for t in 0..<T { x[(g * C + c) * T + t] /= channelScales[c] }
      }
    }
    channels = x
    controls = panel.controls
    var features: [Double] = []
    let n = configuration.yearlySeasonality
    for kind in 0..<(n > 0 ? 2 : 0) {
      for k in 1...max(n, 1) {
        for date in panel.dates {
          let angle = 2 * Double.pi * Double(k) * Double(date.dayOfYear) / 365.25
          features.append(kind == 0 ? Double.sin(angle) : Double.cos(angle))
        }
      }
    }
    if configuration.trend {
      for date in panel.dates {
        features.append(Double(date.daysSinceEpoch - trendStart) / Double(trendSpan))
      }
    }
    self.features = features
    featureCount = features.count / max(T, 1)
  }
}

/// A lift test mapped into the model: indices and scaled quantities.
struct ResolvedLift: Sendable {
  let channel: Int
  let geo: Int
  let x: Double
  let deltaX: Double
  /// |Δy| / c_y
  let deltaY: Double
  let sigma: Double
  let window: ClosedRange<Int>?
  let gammaLikelihood: Bool

  init(
    _ test: LiftTest, configuration: MMMConfiguration, geoNames: [String], hasGeo: Bool,
    dates: [CalendarDate],
    channelScales: [Double], targetScale: Double, geoVarying: Bool
  ) throws {
    func fail(_ column: String?, _ message: String) -> LocatedError {
      LocatedError(file: test.sourceName, line: test.line, column: column, message)
    }
    guard let c = configuration.channelColumns.firstIndex(of: test.channel) else {
      throw fail(
        "channel",
        "unknown channel '\(test.channel)'\(didYouMean(test.channel, configuration.channelColumns))")
    }
    guard test.sigma > 0 else { throw fail("sigma", "sigma must be > 0, got \(test.sigma)") }
    guard test.deltaX * test.deltaY >= 0 else {
      throw fail("delta_y", "delta_x * delta_y must be >= 0 (a lift test cannot be non-monotonic)")
    }
    guard test.x >= 0, test.x + test.deltaX >= 0 else {
      throw fail("x", "spend x and x + delta_x must be >= 0")
    }
    let gamma = configuration.liftTestLikelihood != "normal"
    if gamma && test.deltaY == 0 {
      throw fail(
        "delta_y",
        "delta_y is 0, which the Gamma lift likelihood cannot take (use lift_test_likelihood: normal)")
    }
    var g = 0
    if let geo = test.geo {
      guard hasGeo else { throw fail("geo", "the model has no geo column") }
      guard let index = geoNames.firstIndex(of: geo) else {
        throw fail("geo", "unknown geo '\(geo)'\(didYouMean(geo, geoNames))")
      }
      g = index
    } else if hasGeo && geoNames.count > 1 && geoVarying {
      throw fail("geo", "missing geo: this model's parameters vary by geo")
    }
    if test.isWindowed {
      guard configuration.adstockFirst else {
        throw fail("start", "adstock-aware lift tests need adstock_first: true")
      }
      let start = test.start!
      let end = test.end!
      guard start <= end else { throw fail("end", "end \(end) is before start \(start)") }
      guard let i = dates.firstIndex(where: { $0 >= start }), let j = dates.lastIndex(where: { $0 <= end }),
        i <= j
      else { throw fail("start", "no model date within \(start)...\(end)") }
      window = i...j
    } else {
      window = nil
    }
    channel = c
    geo = g
    x = test.x / channelScales[c]
    deltaX = test.deltaX / channelScales[c]
    deltaY = abs(test.deltaY) / targetScale
    sigma = test.sigma / targetScale
    gammaLikelihood = gamma
  }
}
