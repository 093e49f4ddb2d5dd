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
  /// lower bound (`[(g - lower) * T + t]`; the same arithmetic per geo).
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
    var mean = [Double](repeating: 0, count: G * T)
    var contributions = [Double](repeating: 0, count: G * C * T)
    withChannelSeries(slots: v, inputs: inputs) { series in
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
          let contribution = series(geoSlot * C + c, inputGeo * C + c)
          for t in 0..<T {
            let value = contribution[t] * (multiplier?[t] ?? 1)
            contributions[(g * C + c) * T + t] = value
            mean[g * T + t] += value
          }
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
  /// `v`: the same arithmetic as `meanAndContributions`, for one geo.
  func channelContributions(slots v: [Double], geo g: Int, into out: inout [Double]) {
    let T = inputs.dateCount
    let C = offsets.channelCount
    let multiplier = mediaMultiplier?.values(slots: v, process: hasGeo ? g : 0, at: inputs.times)
    withChannelSeries(slots: v, inputs: inputs) { series in
      for c in 0..<C {
        let contribution = series(g * C + c, g * C + c)
        for t in 0..<T { out[c * T + t] = contribution[t] * (multiplier?[t] ?? 1) }
      }
    }
  }

  /// Runs `body` with a function `series(gc, i)`: the transformed series (adstock then saturation, or the
  /// reverse) of input series i (`inputs.channels[i * T..<(i + 1) * T]`) under the parameters of (geo,
  /// channel) slot gc, in a buffer valid until the next call. The arithmetic of `Adstock.apply` and
  /// `Saturation.value` (the adstock's weights, the causal convolution, the curve value by value), with one
  /// scratch allocation per call of this function rather than several per series.
  func withChannelSeries<R>(
    slots v: [Double], inputs: ScaledInputs,
    _ body: (_ series: (_ gc: Int, _ input: Int) -> UnsafeBufferPointer<Double>) -> R
  ) -> R {
    let o = offsets
    let T = inputs.dateCount
    let Ja = o.adstockParameterCount
    let Js = o.saturationParameterCount
    let taps = components.adstock.tapCount
    let adstockFirst = configuration.adstockFirst
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * T + taps * (1 + Ja)) { scratch in
      let out = UnsafeMutableBufferPointer(rebasing: scratch[0..<T])
      let work = UnsafeMutableBufferPointer(rebasing: scratch[T..<(2 * T)])
      let weights = UnsafeMutableBufferPointer(rebasing: scratch[(2 * T)..<(2 * T + taps)])
      let jacobian = UnsafeMutableBufferPointer(rebasing: scratch[(2 * T + taps)...])
      return v.withUnsafeBufferPointer { vp in
        inputs.channels.withUnsafeBufferPointer { all in
          body { gc, input in
            let pa = UnsafeBufferPointer(rebasing: vp[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)])
            let ps = UnsafeBufferPointer(
              rebasing: vp[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
            let x = UnsafeBufferPointer(rebasing: all[(input * T)..<((input + 1) * T)])
            components.adstock.weights(parameters: pa, weights: weights, jacobian: jacobian)
            if adstockFirst {
              Convolution.forward(x, weights: UnsafeBufferPointer(weights), into: work)
              Self.saturate(components.saturation, UnsafeBufferPointer(work), parameters: ps, into: out)
            } else {
              Self.saturate(components.saturation, x, parameters: ps, into: work)
              Convolution.forward(UnsafeBufferPointer(work), weights: UnsafeBufferPointer(weights), into: out)
            }
            return UnsafeBufferPointer(out)
          }
        }
      }
    }
  }

  /// The curve's value at every point of `x` (one dispatch on the curve per series, not per value).
  static func saturate<S: Saturation>(
    _ saturation: S, _ x: UnsafeBufferPointer<Double>, parameters: UnsafeBufferPointer<Double>,
    into out: UnsafeMutableBufferPointer<Double>
  ) {
    for t in 0..<x.count { out[t] = saturation.value(x[t], parameters: parameters) }
  }

  /// Natural slot values for each kept draw (chains concatenated).
  func slotDraws(_ posterior: Posterior) -> [[Double]] {
    posterior.chains.flatMap { $0.unconstrained.map { slotValues($0) } }
  }

  /// Each draw's intercepts as `constrain` reported them with the centred intercept (the same computation
  /// as `intercepts(slots:)`, made while sampling), draws in `slotDraws` order; nil without it.
  func reportedIntercepts(_ posterior: Posterior) -> [[Double]]? {
    guard offsets.centeredIntercept else { return nil }
    let indices = interceptValueIndices
    return posterior.chains.flatMap { chain in chain.values.map { Array($0[indices]) } }
  }
}
