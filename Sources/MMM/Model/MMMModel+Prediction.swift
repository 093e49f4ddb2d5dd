import Inference
import RealModule

extension MMMModel {
  /// Scaled inputs for another table with this model's scales (same channels and controls).
  func scaledInputs(for data: MMMData) throws -> (ScaledInputs, Panel) {
    let panel = try Panel(data: data, configuration: configuration, requireTarget: false)
    let inputs = ScaledInputs(
      panel: panel, configuration: configuration, channelScales: channelScales, trendStart: trendStart,
      trendSpan: trendSpan, timeIndex: timeIndex)
    return (inputs, panel)
  }

  /// The model's intercept per geo (one entry without geo variation), scaled units. With the centred
  /// parametrisation it is m_g minus the mean channel contribution over the training data.
  func intercepts(slots v: [Double]) -> [Double] {
    let o = offsets
    let count = o.interceptVariesByGeo ? geoNames.count : 1
    let raw = (0..<count).map { v[o.intercept + $0] }
    guard o.centeredIntercept else { return raw }
    let T = inputs.dateCount
    let C = o.channelCount
    let contributions = meanAndContributions(slots: v, inputs: inputs, intercepts: raw).contributions
    return (0..<count).map { g in
      var sum = 0.0
      for c in 0..<C { for t in 0..<T { sum += contributions[(g * C + c) * T + t] } }
      return raw[g] - sum / Double(T)
    }
  }

  /// The mean μ (`[g * T + t]`) and channel contributions (`[(g * C + c) * T + t]`), scaled units,
  /// for natural slot values `v`. With `geos`, only the inputs' geos in that range, indexed from its
  /// lower bound (`[(g - lower) * T + t]`; the same arithmetic per geo). Not a hot path: allocates freely.
  func meanAndContributions(
    slots v: [Double], inputs: ScaledInputs, geoIndices: [Int]? = nil, intercepts given: [Double]? = nil,
    geos: Range<Int>? = nil
  ) -> (mean: [Double], contributions: [Double]) {
    let intercept = given ?? intercepts(slots: v)
    let o = offsets
    let T = inputs.dateCount
    let range = geos ?? 0..<inputs.geoCount
    let G = range.count
    let C = o.channelCount
    let K = o.controlCount
    let Ja = o.adstockParameterCount
    let Js = o.saturationParameterCount
    var mean = [Double](repeating: 0, count: G * T)
    var contributions = [Double](repeating: 0, count: G * C * T)
    for inputGeo in range {
      let g = inputGeo - range.lowerBound
      let geoSlot = geoIndices?[inputGeo] ?? inputGeo
      let (p, multiplier) = timeVaryingTerms(slots: v, geo: geoSlot, times: inputs.times)
      for t in 0..<T {
        var m = intercept[o.interceptVariesByGeo ? geoSlot : 0] * (p?[t] ?? 1)
        for k in 0..<K { m += v[o.control + k] * inputs.controls[(inputGeo * K + k) * T + t] }
        for f in 0..<inputs.featureCount { m += v[o.feature + f] * inputs.features[f * T + t] }
        mean[g * T + t] = m
      }
      for c in 0..<C {
        let gc = geoSlot * C + c
        let pa = Array(v[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)])
        let ps = Array(v[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
        let x = Array(inputs.channels[((inputGeo * C + c) * T)..<((inputGeo * C + c + 1) * T)])
        let series: [Double]
        if configuration.adstockFirst {
          series = components.adstock.apply(x, parameters: pa).map {
            components.saturation.value($0, parameters: ps)
          }
        } else {
          series = components.adstock.apply(
            x.map { components.saturation.value($0, parameters: ps) }, parameters: pa)
        }
        for t in 0..<T {
          let contribution = series[t] * (multiplier?[t] ?? 1)
          contributions[(g * C + c) * T + t] = contribution
          mean[g * T + t] += contribution
        }
      }
    }
    return (mean, contributions)
  }

  /// The time-varying intercept's multiplier p and the media multiplier M of training geo `g` at the
  /// centred times `times` (nil for a constant term), for natural slot values `v`. Not a hot path.
  func timeVaryingTerms(slots v: [Double], geo g: Int, times: [Double]) -> (
    intercept: [Double]?, media: [Double]?
  ) {
    let process = hasGeo ? g : 0
    return (
      interceptMultiplier?.values(slots: v, process: process, at: times),
      mediaMultiplier?.values(slots: v, process: process, at: times)
    )
  }

  /// Channel contributions of training geo `g` (`out[c * T + t]`, scaled units) for natural slot values
  /// `v`: the same arithmetic as `meanAndContributions`, for one geo. Not a hot path.
  func channelContributions(slots v: [Double], geo g: Int, into out: inout [Double]) {
    let o = offsets
    let T = inputs.dateCount
    let C = o.channelCount
    let Ja = o.adstockParameterCount
    let Js = o.saturationParameterCount
    let multiplier = mediaMultiplier?.values(slots: v, process: hasGeo ? g : 0, at: inputs.times)
    for c in 0..<C {
      let gc = g * C + c
      let pa = Array(v[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)])
      let ps = Array(v[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
      let x = Array(inputs.channels[(gc * T)..<((gc + 1) * T)])
      let series: [Double]
      if configuration.adstockFirst {
        series = components.adstock.apply(x, parameters: pa).map {
          components.saturation.value($0, parameters: ps)
        }
      } else {
        series = components.adstock.apply(
          x.map { components.saturation.value($0, parameters: ps) }, parameters: pa)
      }
      for t in 0..<T { out[c * T + t] = series[t] * (multiplier?[t] ?? 1) }
    }
  }

  /// Natural slot values for each kept draw (chains concatenated).
  func slotDraws(_ posterior: Posterior) -> [[Double]] {
    posterior.chains.flatMap { $0.unconstrained.map { slotValues($0) } }
  }
}
