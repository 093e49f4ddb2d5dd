// swift-format-ignore-file: NeverForceUnwrap

// Hot kernels on buffers whose sizes the model guarantees (T dates, at least one tap, the layout's
// slots): their base addresses exist, and unwrapping them once per call keeps the loops branch-free.
import Inference
import RealModule

/// A carry-over transform `y_t = Σ_{l=0}^{K-1} w_l(θ) x_{t-l}` with `x_{t<0} = 0` (PyMC-Marketing's "After" mode).
///
/// A conforming type supplies its raw tap weights and their partial derivatives with respect to each
/// parameter; normalisation, the convolution and its adjoints are shared (see the extension).
public protocol Adstock: Sendable {
  /// PyMC-Marketing's `l_max`.
  var lMax: Int { get }
  /// Whether the weights are divided by their sum (steady state of a constant input is the input).
  var normalize: Bool { get }
  /// The number of taps K (`lMax`, or `lMax + 1` for the Weibull CDF, PyMC-Marketing's quirk).
  var tapCount: Int { get }
  /// Parameter names without prefix, e.g. `["alpha"]`; the model reports them as `adstock_alpha`.
  var parameterNames: [String] { get }
  /// PyMC-Marketing's default prior per parameter, in the order of `parameterNames`.
  var defaultPriors: [Prior] { get }
  /// Raw (unnormalised) weights and their Jacobian, `jacobian[j * tapCount + l] = ∂w_l/∂θ_j`.
  ///
  /// - Parameters:
  ///   - parameters: `parameterNames.count` values.
  ///   - weights: storage for `tapCount` weights.
  ///   - jacobian: storage for `parameterNames.count * tapCount` partial derivatives.
  func rawWeights(
    parameters: UnsafeBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>)
}

extension Adstock {
  /// Weights after the optional normalisation, and their Jacobian (same layout as `rawWeights`).
  ///
  /// - Complexity: O(parameters × taps), no allocation.
  @inlinable
  public func weights(
    parameters: UnsafeBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>
  ) {
    rawWeights(parameters: parameters, weights: weights, jacobian: jacobian)
    guard normalize else { return }
    let taps = tapCount
    var sum = 0.0
    for l in 0..<taps { sum += weights[l] }
    for l in 0..<taps { weights[l] /= sum }
    for j in 0..<parameters.count {
      var dSum = 0.0
      for l in 0..<taps { dSum += jacobian[j * taps + l] }
      for l in 0..<taps { jacobian[j * taps + l] = (jacobian[j * taps + l] - weights[l] * dSum) / sum }
    }
  }

  /// The (normalised if requested) weights for the given parameters, as an array.
  public func weights(_ parameters: [Double]) -> [Double] {
    weightsAndJacobian(parameters).weights
  }

  /// Weights and Jacobian (`jacobian[j][l] = ∂w_l/∂θ_j`) as arrays, for tests and reports.
  public func weightsAndJacobian(_ parameters: [Double]) -> (weights: [Double], jacobian: [[Double]]) {
    let taps = tapCount
    var w = [Double](repeating: 0, count: taps)
    var jac = [Double](repeating: 0, count: taps * parameters.count)
    parameters.withUnsafeBufferPointer { p in
      w.withUnsafeMutableBufferPointer { wp in
        jac.withUnsafeMutableBufferPointer { jp in weights(parameters: p, weights: wp, jacobian: jp) }
      }
    }
    let rows = (0..<parameters.count).map { Array(jac[($0 * taps)..<(($0 + 1) * taps)]) }
    return (w, rows)
  }

  /// Applies the adstock to a series.
  public func apply(_ x: [Double], parameters: [Double]) -> [Double] {
    let w = weights(parameters)
    var y = [Double](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xp in
      w.withUnsafeBufferPointer { wp in
        y.withUnsafeMutableBufferPointer { Convolution.forward(xp, weights: wp, into: $0) }
      }
    }
    return y
  }
}

/// The causal convolution shared by every adstock, and its two adjoints.
public enum Convolution {
  /// `y_t = Σ_l w_l x_{t-l}` over `x.count` periods.
  ///
  /// Four dates are accumulated at once in registers, so the inner loop has independent chains.
  @inlinable
  public static func forward(
    _ x: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
    into y: UnsafeMutableBufferPointer<Double>
  ) {
    let n = x.count
    let taps = weights.count
    guard n > 0, taps > 0 else { return }
    let xp = x.baseAddress!
    let wp = weights.baseAddress!
    let yp = y.baseAddress!
    // Warm-up dates with fewer than `taps` past inputs.
    var t = 0
    while t < min(taps - 1, n) {
      var s = 0.0
      for l in 0...t { s += wp[l] * xp[t - l] }
      yp[t] = s
      t += 1
    }
    while t + 3 < n {
      var s0 = 0.0
      var s1 = 0.0
      var s2 = 0.0
      var s3 = 0.0
      let base = xp + t
      for l in 0..<taps {
        let w = wp[l]
        s0 += w * base[-l]
        s1 += w * base[1 - l]
        s2 += w * base[2 - l]
        s3 += w * base[3 - l]
      }
      yp[t] = s0
      yp[t + 1] = s1
      yp[t + 2] = s2
      yp[t + 3] = s3
      t += 4
    }
    while t < n {
      var s = 0.0
      for l in 0..<taps { s += wp[l] * xp[t - l] }
      yp[t] = s
      t += 1
    }
  }

  /// Input adjoint: `g_x[s] = Σ_l w_l g_y[s+l]` (the gradient of `Σ_t g_y[t] y_t` with respect to x).
  @inlinable
  public static func inputAdjoint(
    _ upstream: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
    into gx: UnsafeMutableBufferPointer<Double>
  ) {
    let n = upstream.count
    guard n > 0 else { return }
    let gp = upstream.baseAddress!
    let out = gx.baseAddress!
    let w0 = weights[0]
    for s in 0..<n { out[s] = w0 * gp[s] }
    for l in 1..<max(weights.count, 1) where l < n {
      let wl = weights[l]
      for s in 0..<(n - l) { out[s] += wl * gp[s + l] }
    }
  }

  /// Weight adjoint: `g_w[l] = Σ_t g_y[t] x_{t-l}` (the gradient of `Σ_t g_y[t] y_t` with respect to w).
  ///
  /// Four independent partial sums per tap keep the floating-point pipeline busy.
  @inlinable
  public static func weightAdjoint(
    _ x: UnsafeBufferPointer<Double>, upstream: UnsafeBufferPointer<Double>,
    into gw: UnsafeMutableBufferPointer<Double>
  ) {
    let n = x.count
    guard n > 0 else {
      for l in 0..<gw.count { gw[l] = 0 }
      return
    }
    let xp = x.baseAddress!
    let gp = upstream.baseAddress!
    for l in 0..<gw.count {
      var a0 = 0.0
      var a1 = 0.0
      var a2 = 0.0
      var a3 = 0.0
      var t = l
      while t + 3 < n {
        a0 += gp[t] * xp[t - l]
        a1 += gp[t + 1] * xp[t + 1 - l]
        a2 += gp[t + 2] * xp[t + 2 - l]
        a3 += gp[t + 3] * xp[t + 3 - l]
        t += 4
      }
      while t < n {
        a0 += gp[t] * xp[t - l]
        t += 1
      }
      gw[l] = (a0 + a1) + (a2 + a3)
    }
  }
}

/// Geometric adstock: `w_l = α^l`, l = 0..L-1. PyMC-Marketing's `GeometricAdstock` (default prior α ~ Beta(1, 3)).
public struct GeometricAdstock: Adstock {
  public let lMax: Int
  public let normalize: Bool
  /// Creates the transform; PyMC-Marketing's class default is `normalize: true`.
  public init(lMax: Int, normalize: Bool = true) {
    self.lMax = lMax
    self.normalize = normalize
  }
  public var tapCount: Int { lMax }
  public var parameterNames: [String] { ["alpha"] }
  public var defaultPriors: [Prior] { [.beta(alpha: 1, beta: 3)] }

  public func rawWeights(
    parameters: UnsafeBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>
  ) {
    let alpha = parameters[0]
    var power = 1.0  // α^l
    var previous = 0.0  // α^(l-1)
    for l in 0..<lMax {
      weights[l] = power
      jacobian[l] = Double(l) * previous
      previous = power
      power *= alpha
    }
  }
}

/// Delayed adstock: `w_l = α^{(l-θ)^2}`. Default priors α ~ Beta(1, 3), θ ~ HalfNormal(1).
public struct DelayedAdstock: Adstock {
  public let lMax: Int
  public let normalize: Bool
  /// Creates the transform.
  public init(lMax: Int, normalize: Bool = true) {
    self.lMax = lMax
    self.normalize = normalize
  }
  public var tapCount: Int { lMax }
  public var parameterNames: [String] { ["alpha", "theta"] }
  public var defaultPriors: [Prior] { [.beta(alpha: 1, beta: 3), .halfNormal(sigma: 1)] }

  public func rawWeights(
    parameters: UnsafeBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>
  ) {
    let alpha = parameters[0]
    let theta = parameters[1]
    let logAlpha = Double.log(alpha)
    for l in 0..<lMax {
      let d = Double(l) - theta
      let e = d * d
      let w = Double.exp(e * logAlpha)
      weights[l] = w
      jacobian[l] = e == 0 ? 0 : e * w / alpha
      jacobian[lMax + l] = -2 * d * logAlpha * w
    }
  }
}

/// Binomial adstock: `w_l = (1 - l/(L+1))^{1/α - 1}`. Default prior α ~ Beta(1, 3).
public struct BinomialAdstock: Adstock {
  public let lMax: Int
  public let normalize: Bool
  /// Creates the transform.
  public init(lMax: Int, normalize: Bool = true) {
    self.lMax = lMax
    self.normalize = normalize
  }
  public var tapCount: Int { lMax }
  public var parameterNames: [String] { ["alpha"] }
  public var defaultPriors: [Prior] { [.beta(alpha: 1, beta: 3)] }

  public func rawWeights(
    parameters: UnsafeBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>
  ) {
    let alpha = parameters[0]
    let exponent = 1 / alpha - 1
    for l in 0..<lMax {
      let base = Double.log(1 - Double(l) / Double(lMax + 1))
      let w = Double.exp(exponent * base)
      weights[l] = w
      jacobian[l] = -w * base / (alpha * alpha)
    }
  }
}

/// Weibull PDF adstock: `p_l = (k/λ)(t/λ)^{k-1} e^{-(t/λ)^k}` at t = l+1, min-max rescaled to [0, 1].
/// Default priors λ ~ Gamma(mu=2, sigma=1), k ~ Gamma(mu=3, sigma=1).
public struct WeibullPDFAdstock: Adstock {
  public let lMax: Int
  public let normalize: Bool
  /// Creates the transform.
  public init(lMax: Int, normalize: Bool = true) {
    self.lMax = lMax
    self.normalize = normalize
  }
  public var tapCount: Int { lMax }
  public var parameterNames: [String] { ["lam", "k"] }
  public var defaultPriors: [Prior] { [.gamma(mean: 2, sd: 1), .gamma(mean: 3, sd: 1)] }

  public func rawWeights(
    parameters: UnsafeBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>
  ) {
    let lam = parameters[0]
    let k = parameters[1]
    var minIndex = 0
    var maxIndex = 0
    for l in 0..<lMax {
      let t = Double(l + 1)
      let logRatio = Double.log(t / lam)
      let u = Double.exp(k * logRatio)
      let p = (k / lam) * Double.exp((k - 1) * logRatio) * Double.exp(-u)
      weights[l] = p
      jacobian[l] = p * (k * u - k) / lam
      jacobian[lMax + l] = p * (1 / k + logRatio - u * logRatio)
      if p < weights[minIndex] { minIndex = l }
      if p > weights[maxIndex] { maxIndex = l }
    }
    let low = weights[minIndex]
    let range = weights[maxIndex] - low
    for j in 0..<2 {
      let dLow = jacobian[j * lMax + minIndex]
      let dRange = jacobian[j * lMax + maxIndex] - dLow
      for l in 0..<lMax {
        let shifted = weights[l] - low
        jacobian[j * lMax + l] =
          ((jacobian[j * lMax + l] - dLow) * range - shifted * dRange) / (range * range)
      }
    }
    for l in 0..<lMax { weights[l] = (weights[l] - low) / range }
  }
}

/// Weibull CDF adstock: `s_l = e^{-((l+1)/λ)^k}`, `w = cumprod([1, s_0, …, s_{L-1}])`, hence L+1 taps
/// (PyMC-Marketing's convention). Default priors λ, k ~ Gamma(mu=2, sigma=2.5).
public struct WeibullCDFAdstock: Adstock {
  public let lMax: Int
  public let normalize: Bool
  /// Creates the transform.
  public init(lMax: Int, normalize: Bool = true) {
    self.lMax = lMax
    self.normalize = normalize
  }
  public var tapCount: Int { lMax + 1 }
  public var parameterNames: [String] { ["lam", "k"] }
  public var defaultPriors: [Prior] { [.gamma(mean: 2, sd: 2.5), .gamma(mean: 2, sd: 2.5)] }

  public func rawWeights(
    parameters: UnsafeBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>,
    jacobian: UnsafeMutableBufferPointer<Double>
  ) {
    let lam = parameters[0]
    let k = parameters[1]
    let taps = lMax + 1
    var logW = 0.0
    var dLam = 0.0  // ∂ log w / ∂λ
    var dK = 0.0
    weights[0] = 1
    jacobian[0] = 0
    jacobian[taps] = 0
    for m in 1...lMax {
      let logRatio = Double.log(Double(m) / lam)
      let u = Double.exp(k * logRatio)
      logW -= u
      dLam += k * u / lam
      dK -= u * logRatio
      let w = Double.exp(logW)
      weights[m] = w
      jacobian[m] = w * dLam
      jacobian[taps + m] = w * dK
    }
  }
}

extension GeometricAdstock {
  /// Whether `recursion` and `adjointRecursion` apply at `alpha`: for 0 ≤ α ≤ 1 rounding errors of the
  /// recursion decay (or stay bounded) instead of growing like α^t.
  @inlinable
  public static func recursionIsStable(alpha: Double) -> Bool { alpha >= 0 && alpha <= 1 }

  /// The truncated (and, if `normalize`, normalised) geometric adstock `y_t = Σ_{l<L} w_l x_{t-l}` and
  /// its derivative in α, in O(T) instead of the O(T·L) convolution:
  ///
  ///     r_t  = x_t + α r_{t-1} − α^L x_{t-L}
  ///     r'_t = r_{t-1} + α r'_{t-1} − L α^{L-1} x_{t-L}
  ///     y_t  = r_t / S,   ∂y_t/∂α = (r'_t − r_t S'/S) / S,   S = Σ_{l<L} α^l (1 without normalisation)
  ///
  /// It reproduces `Convolution.forward` with `weights(parameters:)` to rounding (about 1e-15 relative)
  /// for `recursionIsStable(alpha:)`; callers fall back to the convolution otherwise.
  ///
  /// - Complexity: O(T + L), no allocation.
  @inlinable
  public func recursion(
    _ x: UnsafeBufferPointer<Double>, alpha: Double, values y: UnsafeMutableBufferPointer<Double>,
    derivatives dy: UnsafeMutableBufferPointer<Double>
  ) {
    let n = x.count
    let L = lMax
    guard n > 0, L > 0 else { return }
    let (inverseSum, relativeSlope, powerL, slopeL) = recursionConstants(alpha: alpha)
    let xp = x.baseAddress!
    let yp = y.baseAddress!
    let dp = dy.baseAddress!
    var r = 0.0
    var dr = 0.0
    var t = 0
    while t < min(L, n) {
      dr = r + alpha * dr
      r = xp[t] + alpha * r
      yp[t] = r * inverseSum
      dp[t] = (dr - r * relativeSlope) * inverseSum
      t += 1
    }
    while t < n {
      let old = xp[t - L]
      dr = r + alpha * dr - slopeL * old
      r = xp[t] + alpha * r - powerL * old
      yp[t] = r * inverseSum
      dp[t] = (dr - r * relativeSlope) * inverseSum
      t += 1
    }
  }

  /// `recursion` on four series at once, stored interleaved: `x[4t + k]` is series k at date t (values and
  /// derivatives likewise). The scalar recursion waits on each step's latency, four interleaved chains do
  /// not, and the lanes load and store whole vectors. Each lane does `recursion`'s arithmetic in its
  /// order, so the results are bit-identical to four `recursion` calls.
  ///
  /// - Complexity: O(T + L), no allocation.
  @inlinable
  public func recursionInterleaved4(
    _ x: UnsafePointer<Double>, count n: Int, alphas alpha: SIMD4<Double>,
    values yp: UnsafeMutablePointer<Double>, derivatives dp: UnsafeMutablePointer<Double>
  ) {
    let L = lMax
    guard n > 0, L > 0 else { return }
    var inverseSum = SIMD4<Double>()
    var relativeSlope = SIMD4<Double>()
    var powerL = SIMD4<Double>()
    var slopeL = SIMD4<Double>()
    for k in 0..<4 {
      (inverseSum[k], relativeSlope[k], powerL[k], slopeL[k]) = recursionConstants(alpha: alpha[k])
    }
    let source = UnsafeRawPointer(x)
    let values = UnsafeMutableRawPointer(yp)
    let derivatives = UnsafeMutableRawPointer(dp)
    let width = MemoryLayout<SIMD4<Double>>.stride
    @inline(__always) func load(_ t: Int) -> SIMD4<Double> {
      source.loadUnaligned(fromByteOffset: t &* width, as: SIMD4<Double>.self)
    }
    var r = SIMD4<Double>()
    var dr = SIMD4<Double>()
    var t = 0
    while t < min(L, n) {
      dr = r + alpha * dr
      r = load(t) + alpha * r
      values.storeBytes(of: r * inverseSum, toByteOffset: t &* width, as: SIMD4<Double>.self)
      derivatives.storeBytes(
        of: (dr - r * relativeSlope) * inverseSum, toByteOffset: t &* width, as: SIMD4<Double>.self)
      t &+= 1
    }
    while t < n {
      let old = load(t &- L)
      dr = r + alpha * dr - slopeL * old
      r = load(t) + alpha * r - powerL * old
      values.storeBytes(of: r * inverseSum, toByteOffset: t &* width, as: SIMD4<Double>.self)
      derivatives.storeBytes(
        of: (dr - r * relativeSlope) * inverseSum, toByteOffset: t &* width, as: SIMD4<Double>.self)
      t &+= 1
    }
  }

  /// The input adjoint of `recursion` (`Convolution.inputAdjoint` with the geometric weights) in O(T):
  /// `g_s = Σ_{l<L} w_l u_{s+l}` by the reverse recursion `h_s = u_s + α h_{s+1} − α^L u_{s+L}`, g = h / S.
  ///
  /// - Complexity: O(T + L), no allocation.
  @inlinable
  public func adjointRecursion(
    _ upstream: UnsafeBufferPointer<Double>, alpha: Double, into gx: UnsafeMutableBufferPointer<Double>
  ) {
    let n = upstream.count
    let L = lMax
    guard n > 0, L > 0 else { return }
    let (inverseSum, _, powerL, _) = recursionConstants(alpha: alpha)
    let up = upstream.baseAddress!
    let out = gx.baseAddress!
    var h = 0.0
    var s = n - 1
    while s >= 0 && s + L >= n {
      h = up[s] + alpha * h
      out[s] = h * inverseSum
      s -= 1
    }
    while s >= 0 {
      h = up[s] + alpha * h - powerL * up[s + L]
      out[s] = h * inverseSum
      s -= 1
    }
  }

  /// 1/S, S'/S, α^L and L α^{L-1} for the recursions (S = 1, S' = 0 without normalisation).
  @inlinable
  func recursionConstants(alpha: Double) -> (
    inverseSum: Double, relativeSlope: Double, powerL: Double, slopeL: Double
  ) {
    var sum = 0.0
    var dSum = 0.0
    var power = 1.0  // α^l
    var previous = 0.0  // α^(l-1)
    for l in 0..<lMax {
      sum += power
      dSum += Double(l) * previous
      previous = power
      power *= alpha
    }
    let slopeL = Double(lMax) * previous
    return normalize ? (1 / sum, dSum / sum, power, slopeL) : (1, 0, power, slopeL)
  }
}
