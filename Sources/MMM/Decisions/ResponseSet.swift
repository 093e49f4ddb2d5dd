import CausalMMMCore
import Dispatch
import Foundation
import Inference

/// Incremental-outcome curves per posterior draw and decision unit (a channel, or a geo × channel),
/// in the form both response curves and the budget optimizer evaluate:
///
///     R_du(b) = c_y Σ_k ω_duk [ s(A_duk + b P_duk; θ_du) − s(A_duk; θ_du) ]
///
/// where `b` is the unit's total spend over the window (original units). With adstock before
/// saturation, k runs over the window's periods (and the carry-over tail): `A` is the adstocked
/// carry-in from spend before the window, `P` the adstocked spend pattern per unit of budget, ω = the
/// media multiplier M at period k (1 without `time_varying_media`). With saturation first, k runs over
/// the window's periods: `A = 0`, `P` the pattern and ω the sum of the adstock weights that land inside
/// the counted periods, each times M at the period where it lands. Because the model is additive over
/// channels and geos, a scenario's expected incremental outcome is Σ_u R_du(b_u) per draw.
struct ResponseSet: Sendable {
  let drawCount: Int
  let unitCount: Int
  let termCount: Int
  let saturation: any Saturation
  let parameterCount: Int
  /// `[(d * U + u) * J + j]`
  let parameters: [Double]
  /// `[(d * U + u) * K + k]`
  let base: [Double]
  let slope: [Double]
  let weight: [Double]
  /// `Σ_k ω s(A)` per `(d * U + u)`.
  let baseline: [Double]
  let targetScale: Double

  init(
    drawCount: Int, unitCount: Int, termCount: Int, saturation: any Saturation, parameters: [Double],
    base: [Double],
    slope: [Double], weight: [Double], targetScale: Double
  ) {
    self.drawCount = drawCount
    self.unitCount = unitCount
    self.termCount = termCount
    self.saturation = saturation
    parameterCount = saturation.parameterNames.count
    self.parameters = parameters
    self.base = base
    self.slope = slope
    self.weight = weight
    self.targetScale = targetScale
    var baseline = [Double](repeating: 0, count: drawCount * unitCount)
    let J = parameterCount
    parameters.withUnsafeBufferPointer { p in
      for i in 0..<(drawCount * unitCount) {
        let theta = UnsafeBufferPointer(rebasing: p[(i * J)..<((i + 1) * J)])
        var sum = 0.0
        for k in 0..<termCount where weight[i * termCount + k] != 0 {
          sum += weight[i * termCount + k] * saturation.value(base[i * termCount + k], parameters: theta)
        }
        baseline[i] = sum
      }
    }
    self.baseline = baseline
  }

  /// Evaluates every draw at the allocation `b` (one value per unit): `totals[d] = Σ_u R_du(b_u)` and
  /// `derivatives[d * U + u] = R'_du(b_u)`. Draws are split over the cores; no allocation per term.
  func evaluate(_ b: [Double], totals: inout [Double], derivatives: inout [Double]) {
    let D = drawCount
    let U = unitCount
    let chunks = min(ProcessInfo.processInfo.activeProcessorCount, max(1, D / 256))
    totals.withUnsafeMutableBufferPointer { totalsBuffer in
      derivatives.withUnsafeMutableBufferPointer { derivativeBuffer in
        // No draws, nothing to sum.
        guard let totalsPointer = totalsBuffer.baseAddress,
          let derivativePointer = derivativeBuffer.baseAddress
        else { return }
        let work = { (chunk: Int) in
          let from = chunk * D / chunks
          let to = (chunk + 1) * D / chunks
          // Concrete types, so the kernel is specialised and the curve inlined.
          switch self.saturation {
          case let s as LogisticSaturation:
            self.evaluate(
              b, draws: from..<to, totals: totalsPointer, derivatives: derivativePointer, saturation: s)
          case let s as MichaelisMentenSaturation:
            self.evaluate(
              b, draws: from..<to, totals: totalsPointer, derivatives: derivativePointer, saturation: s)
          case let s as HillSaturation:
            self.evaluate(
              b, draws: from..<to, totals: totalsPointer, derivatives: derivativePointer, saturation: s)
          case let s as TanhSaturation:
            self.evaluate(
              b, draws: from..<to, totals: totalsPointer, derivatives: derivativePointer, saturation: s)
          case let s as RootSaturation:
            self.evaluate(
              b, draws: from..<to, totals: totalsPointer, derivatives: derivativePointer, saturation: s)
          default:
            self.evaluate(
              b, draws: from..<to, totals: totalsPointer, derivatives: derivativePointer,
              saturation: self.saturation)
          }
        }
        if chunks == 1 {
          work(0)
        } else {
          nonisolated(unsafe) let run = work
          DispatchQueue.concurrentPerform(iterations: chunks) { run($0) }
        }
      }
    }
    _ = U
  }

  private func evaluate<S: Saturation>(
    _ b: [Double], draws: Range<Int>, totals: UnsafeMutablePointer<Double>,
    derivatives: UnsafeMutablePointer<Double>,
    saturation: S
  ) {
    let U = unitCount
    let K = termCount
    let J = parameterCount
    var scratch = (0.0, 0.0, 0.0, 0.0)
    withUnsafeMutableBytes(of: &scratch) { raw in
      let gradient = raw.bindMemory(to: Double.self)
      // swift-format-ignore: NeverForceUnwrap
      // Four doubles of scratch: the base address exists.
      let parameterGradient = UnsafeMutableBufferPointer(start: gradient.baseAddress!, count: J)
      parameters.withUnsafeBufferPointer { p in
        base.withUnsafeBufferPointer { a in
          slope.withUnsafeBufferPointer { s in
            weight.withUnsafeBufferPointer { w in
              for d in draws {
                var total = 0.0
                for u in 0..<U {
                  let i = d * U + u
                  let theta = UnsafeBufferPointer(rebasing: p[(i * J)..<((i + 1) * J)])
                  var value = 0.0
                  var derivative = 0.0
                  let x = b[u]
                  for k in (i * K)..<((i + 1) * K) {
                    let weightK = w[k]
                    if weightK == 0 { continue }
                    let r = saturation.valueAndGradient(
                      a[k] + x * s[k], parameters: theta, parameterGradient: parameterGradient)
                    value += weightK * r.value
                    derivative += weightK * r.derivative * s[k]
                  }
                  let response = (value - baseline[i]) * targetScale
                  derivatives[i] = derivative * targetScale
                  total += response
                }
                totals[d] = total
              }
            }
          }
        }
      }
    }
  }

  /// Response curves in one pass over the terms: for each multiplier `m_j` and draw d,
  /// `values[j * D + d] = Σ_u R_du(m_j S_u)` and `marginal[j * D + d] = Σ_u S_u R'_du(m_j S_u) / Σ_u S_u`
  /// (the derivative with respect to the total spend `m Σ_u S_u`).
  func evaluateGrid(spend: [Double], multipliers: [Double], values: inout [Double], marginal: inout [Double])
  {
    let D = drawCount
    let chunks = min(ProcessInfo.processInfo.activeProcessorCount, max(1, D / 64))
    values.withUnsafeMutableBufferPointer { valueBuffer in
      marginal.withUnsafeMutableBufferPointer { marginalBuffer in
        // No draws, nothing to evaluate.
        guard let valuePointer = valueBuffer.baseAddress, let marginalPointer = marginalBuffer.baseAddress
        else { return }
        let work = { (chunk: Int) in
          let draws = (chunk * D / chunks)..<((chunk + 1) * D / chunks)
          switch self.saturation {
          case is LogisticSaturation where Self.isEvenlySpaced(multipliers):
            self.logisticGrid(spend, multipliers, draws, valuePointer, marginalPointer)
          case let s as LogisticSaturation:
            self.grid(spend, multipliers, draws, valuePointer, marginalPointer, saturation: s)
          case let s as MichaelisMentenSaturation:
            self.grid(spend, multipliers, draws, valuePointer, marginalPointer, saturation: s)
          case let s as HillSaturation:
            self.grid(spend, multipliers, draws, valuePointer, marginalPointer, saturation: s)
          case let s as TanhSaturation:
            self.grid(spend, multipliers, draws, valuePointer, marginalPointer, saturation: s)
          case let s as RootSaturation:
            self.grid(spend, multipliers, draws, valuePointer, marginalPointer, saturation: s)
          default:
            self.grid(spend, multipliers, draws, valuePointer, marginalPointer, saturation: self.saturation)
          }
        }
        if chunks == 1 {
          work(0)
        } else {
          nonisolated(unsafe) let run = work
          DispatchQueue.concurrentPerform(iterations: chunks) { run($0) }
        }
      }
    }
  }

  static func isEvenlySpaced(_ m: [Double]) -> Bool {
    guard m.count >= 3 else { return false }
    let step = m[1] - m[0]
    return step > 0
      && m.indices.allSatisfy { abs(m[$0] - (m[0] + Double($0) * step)) <= 1e-12 * max(1, abs(m[$0])) }
  }

  /// The logistic curve on evenly spaced multipliers m_j = m_0 + jΔ: with x_j = A + m_j S P,
  /// e^{-λ x_j} = e^{-λ x_0} q^j where q = e^{-λ Δ S P}, so two exponentials per term serve every
  /// multiplier (`s = β (1 − e) / (1 + e)`, `ds/dx = 2 β λ e / (1 + e)^2`).
  private func logisticGrid(
    _ spend: [Double], _ multipliers: [Double], _ draws: Range<Int>, _ values: UnsafeMutablePointer<Double>,
    _ marginal: UnsafeMutablePointer<Double>
  ) {
    let U = unitCount
    let K = termCount
    let M = multipliers.count
    let D = drawCount
    let m0 = multipliers[0]
    let step = multipliers[1] - multipliers[0]
    let totalSpend = spend.reduce(0, +)
    var value = [Double](repeating: 0, count: M)
    var derivative = [Double](repeating: 0, count: M)
    parameters.withUnsafeBufferPointer { p in
      base.withUnsafeBufferPointer { a in
        slope.withUnsafeBufferPointer { s in
          weight.withUnsafeBufferPointer { w in
            value.withUnsafeMutableBufferPointer { value in
              derivative.withUnsafeMutableBufferPointer { derivative in
                for d in draws {
                  for j in 0..<M {
                    values[j * D + d] = 0
                    marginal[j * D + d] = 0
                  }
                  for u in 0..<U {
                    let i = d * U + u
                    let lam = p[2 * i]
                    let beta = p[2 * i + 1]
                    for j in 0..<M {
                      value[j] = 0
                      derivative[j] = 0
                    }
                    for k in (i * K)..<((i + 1) * K) {
                      let weightK = w[k]
                      if weightK == 0 { continue }
                      let sk = s[k]
                      var e = Double.exp(-lam * (a[k] + m0 * spend[u] * sk))
                      let q = Double.exp(-lam * step * spend[u] * sk)
                      let scale = weightK * beta
                      let slopeScale = 2 * scale * lam * sk
                      for j in 0..<M {
                        let inverse = 1 / (1 + e)
                        value[j] += scale * (1 - e) * inverse
                        derivative[j] += slopeScale * e * inverse * inverse
                        e *= q
                      }
                    }
                    for j in 0..<M {
                      values[j * D + d] += (value[j] - baseline[i]) * targetScale
                      marginal[j * D + d] += spend[u] * derivative[j] * targetScale
                    }
                  }
                  for j in 0..<M {
                    marginal[j * D + d] = totalSpend > 0 ? marginal[j * D + d] / totalSpend : 0
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  private func grid<S: Saturation>(
    _ spend: [Double], _ multipliers: [Double], _ draws: Range<Int>, _ values: UnsafeMutablePointer<Double>,
    _ marginal: UnsafeMutablePointer<Double>, saturation: S
  ) {
    let U = unitCount
    let K = termCount
    let J = parameterCount
    let M = multipliers.count
    let D = drawCount
    let totalSpend = spend.reduce(0, +)
    var scratch = (0.0, 0.0, 0.0, 0.0)
    var value = [Double](repeating: 0, count: M)
    var derivative = [Double](repeating: 0, count: M)
    withUnsafeMutableBytes(of: &scratch) { raw in
      // swift-format-ignore: NeverForceUnwrap
      // Four doubles of scratch: the base address exists.
      let parameterGradient = UnsafeMutableBufferPointer(
        start: raw.bindMemory(to: Double.self).baseAddress!, count: J)
      parameters.withUnsafeBufferPointer { p in
        base.withUnsafeBufferPointer { a in
          slope.withUnsafeBufferPointer { s in
            weight.withUnsafeBufferPointer { w in
              for d in draws {
                for j in 0..<M {
                  values[j * D + d] = 0
                  marginal[j * D + d] = 0
                }
                for u in 0..<U {
                  let i = d * U + u
                  let theta = UnsafeBufferPointer(rebasing: p[(i * J)..<((i + 1) * J)])
                  for j in 0..<M {
                    value[j] = 0
                    derivative[j] = 0
                  }
                  for k in (i * K)..<((i + 1) * K) {
                    let weightK = w[k]
                    if weightK == 0 { continue }
                    let ak = a[k]
                    let sk = s[k]
                    for j in 0..<M {
                      let r = saturation.valueAndGradient(
                        ak + multipliers[j] * spend[u] * sk, parameters: theta,
                        parameterGradient: parameterGradient)
                      value[j] += weightK * r.value
                      derivative[j] += weightK * r.derivative * sk
                    }
                  }
                  for j in 0..<M {
                    values[j * D + d] += (value[j] - baseline[i]) * targetScale
                    marginal[j * D + d] += spend[u] * derivative[j] * targetScale
                  }
                }
                for j in 0..<M { marginal[j * D + d] = totalSpend > 0 ? marginal[j * D + d] / totalSpend : 0 }
              }
            }
          }
        }
      }
    }
  }

  /// Per draw, `R_du(b)` and `R'_du(b)` for one unit at one spend (response curves).
  func unitResponse(_ u: Int, spend b: Double, values: inout [Double], derivatives: inout [Double]) {
    var allocation = [Double](repeating: 0, count: unitCount)
    allocation[u] = b
    var totals = [Double](repeating: 0, count: drawCount)
    var all = [Double](repeating: 0, count: drawCount * unitCount)
    evaluate(allocation, totals: &totals, derivatives: &all)
    for d in 0..<drawCount {
      // Other units at zero spend contribute exactly zero.
      values[d] = totals[d]
      derivatives[d] = all[d * unitCount + u]
    }
  }
}

/// The window of a decision: the periods whose spend is chosen, with the carry-over in and out.
struct DecisionWindow: Sendable {
  /// Grid index of the first period (0 = the first training date; the training count = right after).
  let start: Int
  let periods: Int
  /// Whether the carry-over tail (tapCount − 1 periods after the window) is counted.
  let includeTail: Bool
  /// Whether the training spend before `start` carries over into the window.
  let carryIn: Bool
}

extension FittedMMM {
  /// The response set for the units `units` (`(geo index, channel index)` pairs) over `window`, each
  /// unit spending along `pattern[u]` (scaled spend per period per unit of original spend; sums to
  /// 1 / channel scale).
  func responseSet(units: [(geo: Int, channel: Int)], window: DecisionWindow, patterns: [[Double]])
    -> ResponseSet
  {
    let m = model
    let o = m.offsets
    let C = o.channelCount
    let Ja = o.adstockParameterCount
    let Js = o.saturationParameterCount
    let taps = m.components.adstock.tapCount
    let tail = window.includeTail ? taps - 1 : 0
    let N = window.periods
    let T0 = m.inputs.dateCount
    let adstockFirst = m.configuration.adstockFirst
    let K = adstockFirst ? N + tail : N
    let D = slots.count
    let U = units.count
    var parameters = [Double](repeating: 0, count: D * U * Js)
    var base = [Double](repeating: 0, count: D * U * K)
    var slope = [Double](repeating: 0, count: D * U * K)
    var weight = [Double](repeating: 0, count: D * U * K)
    let historyCount = window.carryIn ? min(window.start, taps - 1, T0) : 0
    // `time_varying_media`: the multiplier M at the counted periods scales each term (its weight).
    let grid = m.periodGrid
    let times = (0..<(N + tail)).map { m.timeIndex.point(grid.date(at: window.start + $0)) }
    for (d, v) in slots.enumerated() {
      for (u, unit) in units.enumerated() {
        let gc = unit.geo * C + unit.channel
        let i = d * U + u
        let multiplier =
          m.mediaMultiplier?.values(slots: v, process: m.hasGeo ? unit.geo : 0, at: times)
          ?? [Double](repeating: 1, count: N + tail)
        for j in 0..<Js { parameters[i * Js + j] = v[o.saturation + gc * Js + j] }
        let w = m.components.adstock.weights(Array(v[(o.adstock + gc * Ja)..<(o.adstock + (gc + 1) * Ja)]))
        let pattern = patterns[u]
        if adstockFirst {
          // History spend at window offsets -historyCount..<0.
          var history = [Double](repeating: 0, count: historyCount)
          for h in 0..<historyCount {
            let t = window.start - historyCount + h
            if t >= 0 && t < T0 { history[h] = m.inputs.channels[gc * T0 + t] }
          }
          for k in 0..<K {
            var a = 0.0
            var p = 0.0
            for l in 0..<taps {
              let s = k - l
              if s >= 0 {
                if s < N { p += w[l] * pattern[s] }
              } else if -s <= historyCount {
                a += w[l] * history[historyCount + s]
              }
            }
            base[i * K + k] = a
            slope[i * K + k] = p
            weight[i * K + k] = p == 0 ? 0 : multiplier[k]
          }
        } else {
          for k in 0..<K {
            var reach = 0.0
            for l in 0..<taps where k + l < N + tail { reach += w[l] * multiplier[k + l] }
            slope[i * K + k] = pattern[k]
            weight[i * K + k] = pattern[k] == 0 ? 0 : reach
          }
        }
      }
    }
    return ResponseSet(
      drawCount: D, unitCount: U, termCount: K, saturation: m.components.saturation, parameters: parameters,
      base: base,
      slope: slope, weight: weight, targetScale: m.targetScale)
  }

  /// Each unit's spend per period (original units) over the training periods `range`.
  func trainingSpend(geo: Int, channel: Int, range: Range<Int>) -> [Double] {
    let C = model.channelNames.count
    let T0 = model.inputs.dateCount
    return range.map { model.inputs.channels[(geo * C + channel) * T0 + $0] * model.channelScales[channel] }
  }
}
