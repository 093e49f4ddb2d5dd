import Inference
import RealModule

extension MMMModel {
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
    let studentT = configuration.likelihood.dist == .studentT
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

}
