import CausalMMMCore
import Inference
import RealModule

extension MMMModel {
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
    guard test.deltaX != 0 else {
      throw fail("delta_x", "delta_x is 0: the test did not change the channel, so it says nothing about it")
    }
    guard test.deltaX * test.deltaY >= 0 else {
      throw fail("delta_y", "delta_x * delta_y must be >= 0 (a lift test cannot be non-monotonic)")
    }
    guard test.x >= 0, test.x + test.deltaX >= 0 else {
      throw fail("x", "spend x and x + delta_x must be >= 0")
    }
    let gamma = configuration.liftTestLikelihood != .normal
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
    if let start = test.start, let end = test.end {
      guard configuration.adstockFirst else {
        throw fail("start", "adstock-aware lift tests need adstock_first: true")
      }
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
