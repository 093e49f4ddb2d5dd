// swift-format-ignore-file: NeverForceUnwrap

// Hot kernels on buffers whose sizes the model guarantees (T dates, at least one tap, the layout's
// slots): their base addresses exist, and unwrapping them once per call keeps the loops branch-free.
import RealModule

/// A diminishing-returns curve applied to the adstocked, scaled input.
///
/// `valueAndGradient` returns the value and `∂s/∂x` and writes `∂s/∂θ_j` for every parameter; it never
/// allocates, so the model can call it in its inner loop.
public protocol Saturation: Sendable {
  /// Parameter names without prefix, e.g. `["lam", "beta"]`; the model reports `saturation_lam`.
  var parameterNames: [String] { get }
  /// PyMC-Marketing's default prior per parameter, in the order of `parameterNames`.
  var defaultPriors: [Prior] { get }
  /// The curve at `x`.
  func value(_ x: Double, parameters: UnsafeBufferPointer<Double>) -> Double
  /// The curve at `x`, its derivative in `x`, and (written to `parameterGradient`) its derivative
  /// in each parameter.
  func valueAndGradient(
    _ x: Double, parameters: UnsafeBufferPointer<Double>,
    parameterGradient: UnsafeMutableBufferPointer<Double>
  ) -> (value: Double, derivative: Double)
  /// The batched form of `valueAndGradient` over a series: `values[t]`, `derivatives[t]` and
  /// `parameterGradients[t * parameterCount + j]`. A default loops over `valueAndGradient`; curves may
  /// override it to separate the transcendental calls from the arithmetic.
  func valuesAndGradients(
    _ x: UnsafeBufferPointer<Double>, parameters: UnsafeBufferPointer<Double>,
    values: UnsafeMutableBufferPointer<Double>, derivatives: UnsafeMutableBufferPointer<Double>,
    parameterGradients: UnsafeMutableBufferPointer<Double>)
  /// Two positive parameters (indices into `parameterNames`) whose product alone sets the curve's slope at
  /// zero, so that data near the linear regime identify only log θ_first + log θ_second; nil otherwise.
  /// A model pooling both over geos samples that sum and its orthogonal complement (see `ParameterLayout`).
  var slopeProductPair: (first: Int, second: Int)? { get }
}

extension Saturation {
  /// No parameter pair identified only through its product.
  public var slopeProductPair: (first: Int, second: Int)? { nil }

  @inlinable
  public func valuesAndGradients(
    _ x: UnsafeBufferPointer<Double>, parameters: UnsafeBufferPointer<Double>,
    values: UnsafeMutableBufferPointer<Double>, derivatives: UnsafeMutableBufferPointer<Double>,
    parameterGradients: UnsafeMutableBufferPointer<Double>
  ) {
    let count = parameters.count
    for t in 0..<x.count {
      let g = UnsafeMutableBufferPointer(start: parameterGradients.baseAddress! + t * count, count: count)
      let r = valueAndGradient(x[t], parameters: parameters, parameterGradient: g)
      values[t] = r.value
      derivatives[t] = r.derivative
    }
  }

  /// The curve at `x` for parameters given as an array.
  public func value(_ x: Double, parameters: [Double]) -> Double {
    parameters.withUnsafeBufferPointer { value(x, parameters: $0) }
  }

  /// Value, `∂s/∂x` and `∂s/∂θ` for parameters given as an array.
  public func valueAndGradient(_ x: Double, parameters: [Double]) -> (
    value: Double, derivative: Double, parameterGradient: [Double]
  ) {
    var g = [Double](repeating: 0, count: parameters.count)
    let r = parameters.withUnsafeBufferPointer { p in
      g.withUnsafeMutableBufferPointer { valueAndGradient(x, parameters: p, parameterGradient: $0) }
    }
    return (r.value, r.derivative, g)
  }
}

/// Logistic saturation `β (1 - e^{-λx}) / (1 + e^{-λx})`; priors λ ~ Gamma(3, 1), β ~ HalfNormal(2).
public struct LogisticSaturation: Saturation {
  /// Creates the transform.
  public init() {}
  public var parameterNames: [String] { ["lam", "beta"] }
  public var defaultPriors: [Prior] { [.gamma(alpha: 3, beta: 1), .halfNormal(sigma: 2)] }
  /// The slope at zero is λβ/2.
  public var slopeProductPair: (first: Int, second: Int)? { (0, 1) }

  @inlinable
  public func value(_ x: Double, parameters: UnsafeBufferPointer<Double>) -> Double {
    let e = Double.exp(-parameters[0] * x)
    return parameters[1] * (1 - e) / (1 + e)
  }

  @inlinable
  public func valueAndGradient(
    _ x: Double, parameters: UnsafeBufferPointer<Double>,
    parameterGradient: UnsafeMutableBufferPointer<Double>
  ) -> (value: Double, derivative: Double) {
    let lam = parameters[0]
    let beta = parameters[1]
    let e = Double.exp(-lam * x)
    let inverse = 1 / (1 + e)
    let shape = (1 - e) * inverse
    let dShape = 2 * e * inverse * inverse  // d shape / d(λx)
    parameterGradient[0] = beta * dShape * x
    parameterGradient[1] = shape
    return (beta * shape, beta * dShape * lam)
  }

  @inlinable
  public func valuesAndGradients(
    _ x: UnsafeBufferPointer<Double>, parameters: UnsafeBufferPointer<Double>,
    values: UnsafeMutableBufferPointer<Double>, derivatives: UnsafeMutableBufferPointer<Double>,
    parameterGradients: UnsafeMutableBufferPointer<Double>
  ) {
    let lam = parameters[0]
    let beta = parameters[1]
    let n = x.count
    // Pass 1: the exponentials only (branch-free, so the loop vectorises); pass 2: independent arithmetic
    // the CPU can overlap.
    for t in 0..<n { values[t] = branchFreeExp(-lam * x[t]) }
    for t in 0..<n {
      let e = values[t]
      let inverse = 1 / (1 + e)
      let shape = (1 - e) * inverse
      let dShape = 2 * e * inverse * inverse
      parameterGradients[2 * t] = beta * dShape * x[t]
      parameterGradients[2 * t + 1] = shape
      values[t] = beta * shape
      derivatives[t] = beta * dShape * lam
    }
  }
}

/// Michaelis-Menten saturation `α x / (λ + x)`; priors α ~ Gamma(mu=2, sigma=1), λ ~ HalfNormal(1).
public struct MichaelisMentenSaturation: Saturation {
  /// Creates the transform.
  public init() {}
  public var parameterNames: [String] { ["alpha", "lam"] }
  public var defaultPriors: [Prior] { [.gamma(mean: 2, sd: 1), .halfNormal(sigma: 1)] }

  @inlinable
  public func value(_ x: Double, parameters: UnsafeBufferPointer<Double>) -> Double {
    parameters[0] * x / (parameters[1] + x)
  }

  @inlinable
  public func valueAndGradient(
    _ x: Double, parameters: UnsafeBufferPointer<Double>,
    parameterGradient: UnsafeMutableBufferPointer<Double>
  ) -> (value: Double, derivative: Double) {
    let alpha = parameters[0]
    let lam = parameters[1]
    let d = lam + x
    parameterGradient[0] = x / d
    parameterGradient[1] = -alpha * x / (d * d)
    return (alpha * x / d, alpha * lam / (d * d))
  }
}

/// Hill saturation `β x^s / (x^s + κ^s)`; priors s, κ, β ~ HalfNormal(1.5).
public struct HillSaturation: Saturation {
  /// Creates the transform.
  public init() {}
  public var parameterNames: [String] { ["slope", "kappa", "beta"] }
  public var defaultPriors: [Prior] {
    [.halfNormal(sigma: 1.5), .halfNormal(sigma: 1.5), .halfNormal(sigma: 1.5)]
  }

  @inlinable
  public func value(_ x: Double, parameters: UnsafeBufferPointer<Double>) -> Double {
    guard x > 0 else { return 0 }
    let ratio = Double.exp(parameters[0] * (Double.log(parameters[1]) - Double.log(x)))  // (κ/x)^s
    return parameters[2] / (1 + ratio)
  }

  @inlinable
  public func valueAndGradient(
    _ x: Double, parameters: UnsafeBufferPointer<Double>,
    parameterGradient: UnsafeMutableBufferPointer<Double>
  ) -> (value: Double, derivative: Double) {
    let slope = parameters[0]
    let kappa = parameters[1]
    let beta = parameters[2]
    guard x > 0 else {
      parameterGradient[0] = 0
      parameterGradient[1] = 0
      parameterGradient[2] = 0
      return (0, 0)
    }
    let logRatio = Double.log(x) - Double.log(kappa)
    let r = 1 / (1 + Double.exp(-slope * logRatio))  // x^s / (x^s + κ^s)
    let spread = r * (1 - r)
    parameterGradient[0] = beta * spread * logRatio
    parameterGradient[1] = -beta * spread * slope / kappa
    parameterGradient[2] = r
    return (beta * r, beta * spread * slope / x)
  }
}

/// Tanh saturation `b tanh(x / (b c))`; priors b, c ~ HalfNormal(1).
public struct TanhSaturation: Saturation {
  /// Creates the transform.
  public init() {}
  public var parameterNames: [String] { ["b", "c"] }
  public var defaultPriors: [Prior] { [.halfNormal(sigma: 1), .halfNormal(sigma: 1)] }

  @inlinable
  public func value(_ x: Double, parameters: UnsafeBufferPointer<Double>) -> Double {
    parameters[0] * Double.tanh(x / (parameters[0] * parameters[1]))
  }

  @inlinable
  public func valueAndGradient(
    _ x: Double, parameters: UnsafeBufferPointer<Double>,
    parameterGradient: UnsafeMutableBufferPointer<Double>
  ) -> (value: Double, derivative: Double) {
    let b = parameters[0]
    let c = parameters[1]
    let z = x / (b * c)
    let th = Double.tanh(z)
    let sech2 = 1 - th * th
    parameterGradient[0] = th - z * sech2
    parameterGradient[1] = -b * z * sech2 / c
    return (b * th, sech2 / c)
  }
}

/// Root saturation `β x^α`; priors α ~ Beta(1, 2), β ~ Gamma(mu=1, sigma=1).
public struct RootSaturation: Saturation {
  /// Creates the transform.
  public init() {}
  public var parameterNames: [String] { ["alpha", "beta"] }
  public var defaultPriors: [Prior] { [.beta(alpha: 1, beta: 2), .gamma(mean: 1, sd: 1)] }

  @inlinable
  public func value(_ x: Double, parameters: UnsafeBufferPointer<Double>) -> Double {
    x > 0 ? parameters[1] * Double.exp(parameters[0] * Double.log(x)) : 0
  }

  @inlinable
  public func valueAndGradient(
    _ x: Double, parameters: UnsafeBufferPointer<Double>,
    parameterGradient: UnsafeMutableBufferPointer<Double>
  ) -> (value: Double, derivative: Double) {
    let alpha = parameters[0]
    let beta = parameters[1]
    guard x > 0 else {
      parameterGradient[0] = 0
      parameterGradient[1] = 0
      return (0, 0)
    }
    let logX = Double.log(x)
    let power = Double.exp(alpha * logX)
    parameterGradient[0] = beta * power * logX
    parameterGradient[1] = power
    return (beta * power, beta * alpha * power / x)
  }
}
