// swift-format-ignore-file: NeverForceUnwrap

// Hot kernels on buffers whose sizes the model guarantees (T dates, at least one tap, the layout's
// slots): their base addresses exist, and unwrapping them once per call keeps the loops branch-free.
import Dispatch
import Inference
import RealModule

/// Buffers handed to the gradient's worker threads. Each worker writes only the slots and partial rows of
/// its own geos, so the unchecked sendability is sound.
struct SharedBuffer: @unchecked Sendable {
  let base: UnsafeMutablePointer<Double>
  let count: Int
  var buffer: UnsafeMutableBufferPointer<Double> { UnsafeMutableBufferPointer(start: base, count: count) }
}

extension MMMModel {
  /// A copy whose gradient evaluations split the geos over `threads` worker threads (at least 1).
  ///
  /// Per-geo terms are computed independently and their shared sums added in geo order, so the log
  /// density and gradient are bit-identical whatever the count; use it when cores are free, e.g. fewer
  /// chains than cores.
  public func withGradientThreads(_ threads: Int) -> MMMModel {
    var copy = self
    copy.gradientThreads = max(1, threads)
    return copy
  }

  /// Unless `withGradientThreads` fixed the count, gradients split the geos over the threads the
  /// sampler's share gives each chain at that moment (bit-identical for any count).
  public func sharingCores(_ share: CoreShare) -> MMMModel {
    var copy = self
    copy.coreShare = share
    return copy
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

  /// Doubles per geo of the partial sums that several geos share: log density, ∂/∂σ, ∂/∂(shared
  /// intercept), ∂/∂γ_control (K), ∂/∂γ_feature (F).
  var sharedPartialWidth: Int { 3 + offsets.controlCount + inputs.featureCount }

  @inline(__always)
  func evaluate<S: Saturation>(
    _ saturation: S, at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let S = layout.slotCount
    let taps = components.adstock.tapCount
    let Ja = offsets.adstockParameterCount
    let Js = offsets.saturationParameterCount
    let G = geoNames.count
    let W = sharedPartialWidth
    let scratchSize = 2 * S + G * W + 3 * Js + taps * (2 + Ja)
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: scratchSize) { scratch -> Double in
      var cursor = scratch.baseAddress!
      func take(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
        defer { cursor += n }
        return UnsafeMutableBufferPointer(start: cursor, count: n)
      }
      let v = take(S)
      let dv = take(S)
      let partials = take(G * W)
      let dw2 = take(taps)
      let satGrad0 = take(Js)
      let satGrad1 = take(Js)
      let satAccum = take(Js)
      let liftWeights = take(taps)
      let liftJacobian = take(taps * Ja)
      for i in 0..<S { dv[i] = 0 }
      var total = layout.priorLogDensity(position, gradient: gradient)
      layout.slotValues(position, into: v)
      total += likelihood(saturation, v: UnsafeBufferPointer(v), dv: dv, partials: partials)
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

  /// The data likelihood: every geo's terms (on `gradientThreads` threads), then the shared partial sums
  /// added in geo order, so the result does not depend on the number of threads. Accumulates into dv.
  @inline(__always)
  func likelihood<S: Saturation>(
    _ saturation: S, v: UnsafeBufferPointer<Double>, dv: UnsafeMutableBufferPointer<Double>,
    partials: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let o = offsets
    let G = geoNames.count
    let W = sharedPartialWidth
    let workers = min(max(gradientThreads ?? coreShare?.threadsPerChain ?? 1, 1), G)
    if workers == 1 {
      geoTerms(saturation, geos: 0..<G, v: v, dv: dv, partials: partials)
    } else {
      let vShared = SharedBuffer(base: UnsafeMutablePointer(mutating: v.baseAddress!), count: v.count)
      let dvShared = SharedBuffer(base: dv.baseAddress!, count: dv.count)
      let partialShared = SharedBuffer(base: partials.baseAddress!, count: partials.count)
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        geoTerms(
          saturation, geos: (w * G / workers)..<((w + 1) * G / workers),
          v: UnsafeBufferPointer(vShared.buffer), dv: dvShared.buffer, partials: partialShared.buffer)
      }
    }
    var total = 0.0
    var dSigma = 0.0
    var dIntercept = 0.0
    for g in 0..<G {
      let row = g * W
      total += partials[row]
      dSigma += partials[row + 1]
      dIntercept += partials[row + 2]
      for k in 0..<o.controlCount { dv[o.control + k] += partials[row + 3 + k] }
      for f in 0..<inputs.featureCount { dv[o.feature + f] += partials[row + 3 + o.controlCount + f] }
    }
    if !o.interceptVariesByGeo { dv[o.intercept] += dIntercept }
    dv[o.sigma] += dSigma
    return total
  }

  /// The likelihood terms of geos `geos`: forward pass per (geo, channel) over contiguous dates, residual
  /// gradient, backward pass. Writes the geo's own slots of `dv` (transform parameters, a per-geo
  /// intercept) and its row of `partials`; allocates one scratch block per call, nothing per geo.
  @inline(__always)
  func geoTerms<S: Saturation>(
    _ saturation: S, geos: Range<Int>, v: UnsafeBufferPointer<Double>, dv: UnsafeMutableBufferPointer<Double>,
    partials: UnsafeMutableBufferPointer<Double>
  ) {
    let o = offsets
    let T = inputs.dateCount
    let C = o.channelCount
    let K = o.controlCount
    let F = inputs.featureCount
    let W = sharedPartialWidth
    let taps = components.adstock.tapCount
    let Ja = o.adstockParameterCount
    let Js = o.saturationParameterCount
    let adstock = components.adstock
    let geometric = adstock as? GeometricAdstock
    let adstockFirst = configuration.adstockFirst
    // Logistic saturation after a geometric adstock (the common case) runs one fused kernel per series:
    // recursion, vectorised exponentials, then three dot products in the backward pass.
    let fusedLogistic = S.self == LogisticSaturation.self && adstockFirst && geometric != nil
    let sigma = v[o.sigma]
    let studentT = configuration.likelihood.dist == .studentT
    let nu = configuration.likelihood.nu
    let studentNoise = StudentTNoise(nu: nu, sigma: sigma)
    let interceptProcess = interceptMultiplier
    let mediaProcess = mediaMultiplier
    let scratchSize = T * C * (2 + Ja + Js) + 14 * T + C * taps * (1 + Ja) + taps
    withUnsafeTemporaryAllocation(of: Double.self, capacity: scratchSize) { scratch in
      var cursor = scratch.baseAddress!
      func take(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
        defer { cursor += n }
        return UnsafeMutableBufferPointer(start: cursor, count: n)
      }
      let stored = take(T * C)  // adstocked input (adstock first) or saturated input (saturation first)
      let tangent = take(T * C * Ja)  // geometric recursion: ∂(adstocked series)/∂α per date
      let slope = take(T * C)  // ∂s/∂(input) per date
      let paramGrad = take(T * C * Js)  // ∂s/∂θ per date
      let mu = take(T)
      let gmu = take(T)
      let work = take(T)
      let upstream = take(T)
      let weights = take(C * taps)
      let jacobian = take(C * taps * Ja)
      let dw = take(taps)
      // The time-varying terms: p and σ(f) of the intercept's and the media's process, the summed channel
      // contributions before the media multiplier, and the processes' upstream gradient.
      let interceptP = take(T)
      let interceptSlope = take(T)
      let mediaP = take(T)
      let mediaSlope = take(T)
      let media = take(T)
      let processUpstream = take(T)
      let laneScale = take(4 * T)  // −λ of each value's channel: one channel's T, or a quad's 4T interleaved
      // Channels add into μ directly, or into `media` when a multiplier scales them.
      let sink = mediaProcess == nil ? mu : media
      let vBase = v.baseAddress!
      let dvBase = dv.baseAddress!
      channelQuads.withUnsafeBufferPointer { quadBuffer in
        let quadInputs = quadBuffer.baseAddress
        inputs.channels.withUnsafeBufferPointer { xAll in
          inputs.controls.withUnsafeBufferPointer { zAll in
            inputs.features.withUnsafeBufferPointer { fAll in
              target.withUnsafeBufferPointer { yAll in
                for g in geos {
                  let row = g * W
                  for i in 0..<W { partials[row + i] = 0 }
                  let interceptSlot = o.intercept + (o.interceptVariesByGeo ? g : 0)
                  let intercept = v[interceptSlot]
                  if let process = interceptProcess {
                    process.forward(
                      beta: vBase + process.slot + g * process.m, p: interceptP.baseAddress!,
                      slope: interceptSlope.baseAddress!)
                    for t in 0..<T { mu[t] = intercept * interceptP[t] }
                  } else {
                    for t in 0..<T { mu[t] = intercept }
                  }
                  if mediaProcess != nil { for t in 0..<T { media[t] = 0 } }
                  for k in 0..<K {
                    let gamma = v[o.control + k]
                    let base = (g * K + k) * T
                    for t in 0..<T { mu[t] += gamma * zAll[base + t] }
                  }
                  for f in 0..<F {
                    let gamma = v[o.feature + f]
                    for t in 0..<T { mu[t] += gamma * fAll[f * T + t] }
                  }
                  // Forward pass, one (geo, channel) series at a time.
                  var baseSum = 0.0
                  if o.centeredIntercept { for t in 0..<T { baseSum += mu[t] } }
                  for c in 0..<C {
                    let gc = g * C + c
                    let pa = UnsafeBufferPointer(
                      rebasing: v[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)])
                    let ps = UnsafeBufferPointer(
                      rebasing: v[(o.saturation + gc * Js)..<(o.saturation + (gc + 1) * Js)])
                    let x = UnsafeBufferPointer(rebasing: xAll[(gc * T)..<((gc + 1) * T)])
                    let st = UnsafeMutableBufferPointer(rebasing: stored[(c * T)..<((c + 1) * T)])
                    let tg = UnsafeMutableBufferPointer(rebasing: tangent[(c * T * Ja)..<((c + 1) * T * Ja)])
                    let sl = UnsafeMutableBufferPointer(rebasing: slope[(c * T)..<((c + 1) * T)])
                    let pg = UnsafeMutableBufferPointer(
                      rebasing: paramGrad[(c * T * Js)..<((c + 1) * T * Js)])
                    let recursive = geometric != nil && GeometricAdstock.recursionIsStable(alpha: pa[0])
                    let w = UnsafeMutableBufferPointer(rebasing: weights[(c * taps)..<((c + 1) * taps)])
                    if !recursive {
                      let jac = UnsafeMutableBufferPointer(
                        rebasing: jacobian[(c * taps * Ja)..<((c + 1) * taps * Ja)])
                      adstock.weights(parameters: pa, weights: w, jacobian: jac)
                    }
                    if fusedLogistic, let geometric, recursive {
                      // s_t = β (1 − e_t) / (1 + e_t), e_t = exp(−λ a_t): keeps a_t (st), ∂a_t/∂α (tg), the
                      // shape (pg) and its derivative in λa (sl) for the backward pass. Four channels whose
                      // recursions are all stable run as one interleaved quad when the first of them comes up.
                      let quad = c - c % 4
                      if quadIsInterleaved(quad, geo: g, v: v) {
                        if c == quad {
                          forwardQuad(
                            geometric, quad: quad, geo: g, v: vBase, channels: quadInputs,
                            stored: stored.baseAddress!,
                            tangent: tangent.baseAddress!, slope: slope.baseAddress!,
                            shape: paramGrad.baseAddress!, laneScale: laneScale.baseAddress!,
                            sink: sink.baseAddress!)
                        }
                        continue
                      }
                      geometric.recursion(x, alpha: pa[0], values: st, derivatives: tg)
                      let beta = ps[1]
                      let shape = pg.baseAddress!
                      for t in 0..<T { laneScale[t] = -ps[0] }
                      Self.logisticShapes(
                        T, scale: laneScale.baseAddress!, adstocked: st.baseAddress!, shape: shape,
                        slope: sl.baseAddress!)
                      for t in 0..<T { sink[t] += beta * shape[t] }
                      continue
                    }
                    if adstockFirst {
                      if let geometric, recursive {
                        geometric.recursion(x, alpha: pa[0], values: st, derivatives: tg)
                      } else {
                        Convolution.forward(x, weights: UnsafeBufferPointer(w), into: st)
                      }
                      saturation.valuesAndGradients(
                        UnsafeBufferPointer(st), parameters: ps, values: work, derivatives: sl,
                        parameterGradients: pg)
                    } else {
                      saturation.valuesAndGradients(
                        x, parameters: ps, values: st, derivatives: sl, parameterGradients: pg)
                      if let geometric, recursive {
                        geometric.recursion(
                          UnsafeBufferPointer(st), alpha: pa[0], values: work, derivatives: tg)
                      } else {
                        Convolution.forward(
                          UnsafeBufferPointer(st), weights: UnsafeBufferPointer(w), into: work)
                      }
                    }
                    for t in 0..<T { sink[t] += work[t] }
                  }
                  if let process = mediaProcess {
                    process.forward(
                      beta: vBase + process.slot + g * process.m, p: mediaP.baseAddress!,
                      slope: mediaSlope.baseAddress!)
                    for t in 0..<T { mu[t] += mediaP[t] * media[t] }
                  }
                  // Centred intercept: μ uses m_g − mean channel contribution; the prior sees the derived
                  // intercept.
                  var priorSlope = 0.0
                  var channelMean = 0.0
                  if o.centeredIntercept {
                    var channelSum = -baseSum
                    for t in 0..<T { channelSum += mu[t] }
                    channelMean = channelSum / Double(T)
                    if interceptProcess != nil {
                      for t in 0..<T { mu[t] -= channelMean * interceptP[t] }
                    } else {
                      for t in 0..<T { mu[t] -= channelMean }
                    }
                    let (lp, slope) = o.interceptPrior.logDensityAndDerivative(intercept - channelMean)
                    partials[row] += lp
                    priorSlope = slope
                  }
                  // Likelihood and its derivative in μ and σ.
                  var dSigma = 0.0
                  if studentT {
                    var lp = 0.0
                    for t in 0..<T {
                      let term = studentNoise.term(yAll[g * T + t] - mu[t])
                      lp += term.logDensity
                      gmu[t] = term.dMean
                      dSigma += term.dSigma
                    }
                    partials[row] += lp
                  } else {
                    var squares = 0.0
                    let inv = 1 / (sigma * sigma)
                    for t in 0..<T {
                      let r = yAll[g * T + t] - mu[t]
                      squares += r * r
                      gmu[t] = r * inv
                    }
                    partials[row] +=
                      -Double(T) * (0.918_938_533_204_672_7 + Double.log(sigma)) - 0.5 * squares * inv
                    dSigma = -Double(T) / sigma + squares * inv / sigma
                  }
                  partials[row + 1] = dSigma
                  // Backward pass.
                  var sumG = 0.0
                  if interceptProcess != nil {
                    for t in 0..<T { sumG += gmu[t] * interceptP[t] }
                  } else {
                    for t in 0..<T { sumG += gmu[t] }
                  }
                  let dIntercept = sumG + priorSlope
                  if o.interceptVariesByGeo {
                    dv[interceptSlot] += dIntercept
                  } else {
                    partials[row + 2] = dIntercept
                  }
                  let shift = o.centeredIntercept ? dIntercept / Double(T) : 0
                  for t in 0..<T { upstream[t] = gmu[t] - shift }
                  // The processes: ∂/∂p_t = g_t × (the derived intercept), ∂/∂M_t = u_t × media_t, and the
                  // channels see u_t M_t.
                  if let process = interceptProcess {
                    let baseline = intercept - channelMean
                    for t in 0..<T { processUpstream[t] = gmu[t] * baseline }
                    process.backward(
                      upstream: processUpstream.baseAddress!, slope: interceptSlope.baseAddress!,
                      dBeta: dvBase + process.slot + g * process.m)
                  }
                  if let process = mediaProcess {
                    for t in 0..<T {
                      processUpstream[t] = upstream[t] * media[t]
                      upstream[t] *= mediaP[t]
                    }
                    process.backward(
                      upstream: processUpstream.baseAddress!, slope: mediaSlope.baseAddress!,
                      dBeta: dvBase + process.slot + g * process.m)
                  }
                  for k in 0..<K {
                    var acc = 0.0
                    let base = (g * K + k) * T
                    for t in 0..<T { acc += gmu[t] * zAll[base + t] }
                    partials[row + 3 + k] = acc
                  }
                  for f in 0..<F {
                    var acc = 0.0
                    for t in 0..<T { acc += gmu[t] * fAll[f * T + t] }
                    partials[row + 3 + K + f] = acc
                  }
                  for c in 0..<C {
                    let gc = g * C + c
                    let alpha = v[o.adstock + gc * Ja]
                    let recursive = geometric != nil && GeometricAdstock.recursionIsStable(alpha: alpha)
                    let w = UnsafeBufferPointer(rebasing: weights[(c * taps)..<((c + 1) * taps)])
                    let x = UnsafeBufferPointer(rebasing: xAll[(gc * T)..<((gc + 1) * T)])
                    let satBase = o.saturation + gc * Js
                    let adBase = o.adstock + gc * Ja
                    let sl = slope.baseAddress! + c * T
                    let pg = paramGrad.baseAddress! + c * T * Js
                    let tg = tangent.baseAddress! + c * T * Ja
                    if fusedLogistic && recursive && quadIsInterleaved(c - c % 4, geo: g, v: v) {
                      if c % 4 == 0 {
                        backwardQuad(
                          quad: c, geo: g, v: vBase, dv: dvBase, upstream: upstream.baseAddress!,
                          stored: stored.baseAddress!, tangent: tangent.baseAddress!,
                          slope: slope.baseAddress!,
                          shape: paramGrad.baseAddress!)
                      }
                      continue
                    }
                    if fusedLogistic && recursive {
                      // ∂/∂β = Σ u shape, ∂/∂λ = β Σ u shape' a, ∂/∂α = β λ Σ u shape' ∂a/∂α.
                      let a = stored.baseAddress! + c * T
                      let shape = pg
                      var b0 = 0.0
                      var b1 = 0.0
                      var l0 = 0.0
                      var l1 = 0.0
                      var a0 = 0.0
                      var a1 = 0.0
                      var t = 0
                      while t + 1 < T {
                        let u0 = upstream[t]
                        let u1 = upstream[t + 1]
                        b0 += u0 * shape[t]
                        b1 += u1 * shape[t + 1]
                        let h0 = u0 * sl[t]
                        let h1 = u1 * sl[t + 1]
                        l0 += h0 * a[t]
                        l1 += h1 * a[t + 1]
                        a0 += h0 * tg[t]
                        a1 += h1 * tg[t + 1]
                        t += 2
                      }
                      if t < T {
                        b0 += upstream[t] * shape[t]
                        let h = upstream[t] * sl[t]
                        l0 += h * a[t]
                        a0 += h * tg[t]
                      }
                      let lam = v[satBase]
                      let beta = v[satBase + 1]
                      dv[satBase] += beta * (l0 + l1)
                      dv[satBase + 1] += b0 + b1
                      dv[adBase] += beta * lam * (a0 + a1)
                      continue
                    }
                    if adstockFirst {
                      // ∂/∂θ_sat = Σ_t u_t ∂s_t/∂θ; the adstock sees u_t s'_t.
                      for j in 0..<Js {
                        var acc0 = 0.0
                        var acc1 = 0.0
                        var t = 0
                        while t + 1 < T {
                          acc0 += upstream[t] * pg[t * Js + j]
                          acc1 += upstream[t + 1] * pg[(t + 1) * Js + j]
                          t += 2
                        }
                        if t < T { acc0 += upstream[t] * pg[t * Js + j] }
                        dv[satBase + j] += acc0 + acc1
                      }
                      if recursive {
                        var acc0 = 0.0
                        var acc1 = 0.0
                        var t = 0
                        while t + 1 < T {
                          acc0 += upstream[t] * sl[t] * tg[t]
                          acc1 += upstream[t + 1] * sl[t + 1] * tg[t + 1]
                          t += 2
                        }
                        if t < T { acc0 += upstream[t] * sl[t] * tg[t] }
                        dv[adBase] += acc0 + acc1
                        continue
                      }
                      for t in 0..<T { work[t] = upstream[t] * sl[t] }
                      Convolution.weightAdjoint(x, upstream: UnsafeBufferPointer(work), into: dw)
                    } else {
                      if let geometric, recursive {
                        var acc = 0.0
                        for t in 0..<T { acc += upstream[t] * tg[t] }
                        dv[adBase] += acc
                        geometric.adjointRecursion(UnsafeBufferPointer(upstream), alpha: alpha, into: work)
                      } else {
                        let st = UnsafeBufferPointer(rebasing: stored[(c * T)..<((c + 1) * T)])
                        Convolution.weightAdjoint(st, upstream: UnsafeBufferPointer(upstream), into: dw)
                        Convolution.inputAdjoint(UnsafeBufferPointer(upstream), weights: w, into: work)
                      }
                      for t in 0..<T {
                        let gs = work[t]
                        for j in 0..<Js { dv[satBase + j] += gs * pg[t * Js + j] }
                      }
                      if recursive { continue }
                    }
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
      }
    }
  }

  /// Whether channels quad..<quad + 4 of geo g run as one interleaved four-lane kernel (`forwardQuad`,
  /// `backwardQuad`): four channels exist from `quad` on and all four geometric recursions are stable.
  @inline(__always)
  func quadIsInterleaved(_ quad: Int, geo g: Int, v: UnsafeBufferPointer<Double>) -> Bool {
    let C = offsets.channelCount
    guard quad + 3 < C else { return false }
    let base = offsets.adstock + (g * C + quad) * offsets.adstockParameterCount
    let stride = offsets.adstockParameterCount
    return GeometricAdstock.recursionIsStable(alpha: v[base])
      && GeometricAdstock.recursionIsStable(alpha: v[base + stride])
      && GeometricAdstock.recursionIsStable(alpha: v[base + 2 * stride])
      && GeometricAdstock.recursionIsStable(alpha: v[base + 3 * stride])
  }

  /// The fused geometric-logistic forward pass of four channels at once, on their interleaved inputs
  /// (`channelQuads`): each buffer's region of channels quad..<quad + 4 (4T doubles) holds
  /// lane k of date t at 4t + k, so the exponentials and the shape run as flat loops over 4T values (the
  /// compiler's full vector width). The arithmetic per value is the one-channel path's, so the values are
  /// bit-identical to it, and the contributions are added into `sink` in channel order.
  @inline(__always)
  func forwardQuad(
    _ geometric: GeometricAdstock, quad: Int, geo g: Int, v: UnsafePointer<Double>,
    channels: UnsafePointer<Double>?, stored: UnsafeMutablePointer<Double>,
    tangent: UnsafeMutablePointer<Double>, slope: UnsafeMutablePointer<Double>,
    shape: UnsafeMutablePointer<Double>, laneScale: UnsafeMutablePointer<Double>,
    sink: UnsafeMutablePointer<Double>
  ) {
    let o = offsets
    let T = inputs.dateCount
    guard let channels, T > 0 else { return }
    let C = o.channelCount
    let Js = o.saturationParameterCount
    let ja = o.adstockParameterCount
    let alphaBase = o.adstock + (g * C + quad) * ja
    let alphas = SIMD4(v[alphaBase], v[alphaBase + ja], v[alphaBase + 2 * ja], v[alphaBase + 3 * ja])
    let satBase = o.saturation + (g * C + quad) * Js
    let a = stored + quad * T
    let e = slope + quad * T
    let s = shape + quad * T * Js
    geometric.recursionInterleaved4(
      channels + (g * (C / 4) + quad / 4) * T * 4, count: T, alphas: alphas, values: a,
      derivatives: tangent + quad * T)
    for t in 0..<T {
      for k in 0..<4 { laneScale[4 * t + k] = -v[satBase + k * Js] }
    }
    Self.logisticShapes(4 * T, scale: laneScale, adstocked: a, shape: s, slope: e)
    let b0 = v[satBase + 1]
    let b1 = v[satBase + Js + 1]
    let b2 = v[satBase + 2 * Js + 1]
    let b3 = v[satBase + 3 * Js + 1]
    for t in 0..<T {
      var m = sink[t]
      m += b0 * s[4 * t]
      m += b1 * s[4 * t + 1]
      m += b2 * s[4 * t + 2]
      m += b3 * s[4 * t + 3]
      sink[t] = m
    }
  }

  /// The logistic curve's shape (1 − e)/(1 + e) and its derivative in λa, 2e/(1 + e)², at n adstocked values
  /// a with e = exp(scale · a) (scale = −λ of each value's channel), into `shape` and `slope`: two flat loops,
  /// the exponentials first, so that both vectorise. The one-channel and the four-channel paths share it.
  @inline(__always)
  static func logisticShapes(
    _ n: Int, scale: UnsafePointer<Double>, adstocked a: UnsafePointer<Double>,
    shape: UnsafeMutablePointer<Double>, slope e: UnsafeMutablePointer<Double>
  ) {
    for i in 0..<n { e[i] = branchFreeExp(scale[i] * a[i]) }
    for i in 0..<n {
      let inverse = 1 / (1 + e[i])
      let value = (1 - e[i]) * inverse
      shape[i] = value
      e[i] = 2 * e[i] * inverse * inverse
    }
  }

  /// The backward pass of `forwardQuad`: per lane ∂/∂β = Σ u shape, ∂/∂λ = β Σ u shape' a and
  /// ∂/∂α = β λ Σ u shape' ∂a/∂α, summed over even and odd dates separately as the one-channel path does
  /// (bit-identical), added into `dv`.
  @inline(__always)
  func backwardQuad(
    quad: Int, geo g: Int, v: UnsafePointer<Double>, dv: UnsafeMutablePointer<Double>,
    upstream: UnsafePointer<Double>, stored: UnsafePointer<Double>, tangent: UnsafePointer<Double>,
    slope: UnsafePointer<Double>, shape: UnsafePointer<Double>
  ) {
    let o = offsets
    let T = inputs.dateCount
    let C = o.channelCount
    let Js = o.saturationParameterCount
    let ja = o.adstockParameterCount
    let width = MemoryLayout<SIMD4<Double>>.stride
    let a = UnsafeRawPointer(stored + quad * T)
    let da = UnsafeRawPointer(tangent + quad * T)
    let e = UnsafeRawPointer(slope + quad * T)
    let s = UnsafeRawPointer(shape + quad * T * Js)
    // Two dates per eight-lane vector: its low half sums the even dates, its high half the odd ones, the
    // one-channel path's two accumulators.
    @inline(__always) func pair(_ p: UnsafeRawPointer, _ t: Int) -> SIMD8<Double> {
      p.loadUnaligned(fromByteOffset: t * width, as: SIMD8<Double>.self)
    }
    @inline(__always) func lanes(_ p: UnsafeRawPointer, _ t: Int) -> SIMD4<Double> {
      p.loadUnaligned(fromByteOffset: t * width, as: SIMD4<Double>.self)
    }
    var b = SIMD8<Double>()
    var l = SIMD8<Double>()
    var d = SIMD8<Double>()
    var t = 0
    while t + 1 < T {
      let u = SIMD8(lowHalf: SIMD4(repeating: upstream[t]), highHalf: SIMD4(repeating: upstream[t + 1]))
      b += u * pair(s, t)
      let h = u * pair(e, t)
      l += h * pair(a, t)
      d += h * pair(da, t)
      t += 2
    }
    var b0 = b.lowHalf
    let b1 = b.highHalf
    var l0 = l.lowHalf
    let l1 = l.highHalf
    var a0 = d.lowHalf
    let a1 = d.highHalf
    if t < T {
      let u = SIMD4(repeating: upstream[t])
      b0 += u * lanes(s, t)
      let h = u * lanes(e, t)
      l0 += h * lanes(a, t)
      a0 += h * lanes(da, t)
    }
    for k in 0..<4 {
      let satBase = o.saturation + (g * C + quad + k) * Js
      let adBase = o.adstock + (g * C + quad + k) * ja
      let lam = v[satBase]
      let beta = v[satBase + 1]
      dv[satBase] += beta * (l0[k] + l1[k])
      dv[satBase + 1] += b0[k] + b1[k]
      dv[adBase] += beta * lam * (a0[k] + a1[k])
    }
  }
}
