import Inference
import RealModule

/// A univariate prior by name, with its log density and the density's derivative.
///
/// Parametrisations follow PyMC: `Gamma(alpha, beta)` has rate beta; `gamma(mean:sd:)` converts
/// PyMC's `Gamma(mu=, sigma=)`. Outside the support `logDensity` is `-infinity`.
public enum Prior: Sendable, Hashable {
  case normal(mu: Double, sigma: Double)
  case halfNormal(sigma: Double)
  case logNormal(mu: Double, sigma: Double)
  case gamma(alpha: Double, beta: Double)
  case beta(alpha: Double, beta: Double)
  case exponential(lam: Double)
  case laplace(mu: Double, b: Double)
  case studentT(nu: Double, mu: Double, sigma: Double)
  case truncatedNormal(mu: Double, sigma: Double, lower: Double, upper: Double)
  /// PyMC's `InverseGamma(alpha, beta)`: density β^α / Γ(α) x^(−α−1) exp(−β/x) on x > 0.
  case inverseGamma(alpha: Double, beta: Double)

  /// PyMC's `Gamma(mu=mean, sigma=sd)`: shape mean²/sd², rate mean/sd².
  public static func gamma(mean: Double, sd: Double) -> Prior {
    .gamma(alpha: mean * mean / (sd * sd), beta: mean / (sd * sd))
  }

  /// PyMC's `InverseGamma(mu=mean, sigma=sd)` (moment matching, as `pm.InverseGamma` converts it):
  /// α = 2 + mean²/sd², β = mean (1 + mean²/sd²).
  public static func inverseGamma(mean: Double, sd: Double) -> Prior {
    let ratio = mean * mean / (sd * sd)
    return .inverseGamma(alpha: 2 + ratio, beta: mean * (1 + ratio))
  }

  /// PyMC's `support_point` (the initial point of `jitter+adapt_diag`): the mean where PyMC uses it
  /// (Gamma, Beta, Exponential, LogNormal, InverseGamma with α > 1, else its mode), loc + σ for the
  /// HalfNormal, the location for the symmetric ones, and a TruncatedNormal's μ moved inside its bounds.
  public var supportPoint: Double {
    switch self {
    case .normal(let mu, _), .laplace(let mu, _), .studentT(_, let mu, _): return mu
    case .halfNormal(let sigma): return sigma
    case .logNormal(let mu, let sigma): return Double.exp(mu + 0.5 * sigma * sigma)
    case .gamma(let alpha, let beta): return alpha / beta
    case .beta(let a, let b): return a / (a + b)
    case .exponential(let lam): return 1 / lam
    case .inverseGamma(let alpha, let beta): return alpha > 1 ? beta / (alpha - 1) : beta / (alpha + 1)
    case .truncatedNormal(let mu, _, let lower, let upper):
      if mu > lower && mu < upper { return mu }
      if lower.isFinite && upper.isFinite { return 0.5 * (lower + upper) }
      return lower.isFinite ? lower + 1 : upper - 1
    }
  }

  /// The transform that maps ℝ onto the support, used by the sampler.
  public var support: ParameterTransform {
    switch self {
    case .normal, .laplace, .studentT: return .identity
    case .halfNormal, .logNormal, .gamma, .exponential, .inverseGamma: return .positive
    case .beta: return .unitInterval
    case .truncatedNormal(_, _, let lower, let upper):
      switch (lower.isFinite, upper.isFinite) {
      case (true, true): return .interval(lower: lower, upper: upper)
      case (true, false): return .lowerBound(lower)
      case (false, true): return .upperBound(upper)
      case (false, false): return .identity
      }
    }
  }

  /// The log density at `x`.
  @inlinable
  public func logDensity(_ x: Double) -> Double {
    logDensityAndDerivative(x).value
  }

  /// The log density at `x` and its derivative in `x`.
  @inlinable
  public func logDensityAndDerivative(_ x: Double) -> (value: Double, derivative: Double) {
    let halfLogTwoPi = 0.918_938_533_204_672_7
    switch self {
    case .normal(let mu, let sigma):
      let z = (x - mu) / sigma
      return (-halfLogTwoPi - Double.log(sigma) - 0.5 * z * z, -z / sigma)
    case .halfNormal(let sigma):
      guard x >= 0 else { return (-.infinity, 0) }
      let z = x / sigma
      return (Double.log(2) - halfLogTwoPi - Double.log(sigma) - 0.5 * z * z, -z / sigma)
    case .logNormal(let mu, let sigma):
      guard x > 0 else { return (-.infinity, 0) }
      let logX = Double.log(x)
      let z = (logX - mu) / sigma
      return (
        -halfLogTwoPi - Double.log(sigma) - logX - 0.5 * z * z, -(1 + z / sigma) / x
      )
    case .gamma(let alpha, let beta):
      guard x > 0 else { return (-.infinity, 0) }
      return (
        alpha * Double.log(beta) - Double.logGamma(alpha) + (alpha - 1) * Double.log(x) - beta * x,
        (alpha - 1) / x - beta
      )
    case .beta(let a, let b):
      guard x > 0, x < 1 else { return (-.infinity, 0) }
      let logBeta = Double.logGamma(a) + Double.logGamma(b) - Double.logGamma(a + b)
      return (
        (a - 1) * Double.log(x) + (b - 1) * Double.log(onePlus: -x) - logBeta,
        (a - 1) / x - (b - 1) / (1 - x)
      )
    case .exponential(let lam):
      guard x >= 0 else { return (-.infinity, 0) }
      return (Double.log(lam) - lam * x, -lam)
    case .laplace(let mu, let b):
      let d = x - mu
      return (-Double.log(2 * b) - abs(d) / b, d > 0 ? -1 / b : (d < 0 ? 1 / b : 0))
    case .studentT(let nu, let mu, let sigma):
      let z = (x - mu) / sigma
      let constant =
        Double.logGamma((nu + 1) / 2) - Double.logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi)
        - Double.log(sigma)
      return (
        constant - (nu + 1) / 2 * Double.log(onePlus: z * z / nu),
        -(nu + 1) * z / (sigma * (nu + z * z))
      )
    case .truncatedNormal(let mu, let sigma, let lower, let upper):
      guard x >= lower, x <= upper else { return (-.infinity, 0) }
      let z = (x - mu) / sigma
      let mass =
        SpecialFunctions.normalCDF((upper - mu) / sigma) - SpecialFunctions.normalCDF((lower - mu) / sigma)
      return (-halfLogTwoPi - Double.log(sigma) - 0.5 * z * z - Double.log(mass), -z / sigma)
    case .inverseGamma(let alpha, let beta):
      guard x > 0 else { return (-.infinity, 0) }
      return (
        alpha * Double.log(beta) - Double.logGamma(alpha) - (alpha + 1) * Double.log(x) - beta / x,
        -(alpha + 1) / x + beta / (x * x)
      )
    }
  }

  /// PyMC's distribution name (`"Gamma"`, `"HalfNormal"`, ...).
  public var distributionName: String {
    switch self {
    case .normal: return "Normal"
    case .halfNormal: return "HalfNormal"
    case .logNormal: return "LogNormal"
    case .gamma: return "Gamma"
    case .beta: return "Beta"
    case .exponential: return "Exponential"
    case .laplace: return "Laplace"
    case .studentT: return "StudentT"
    case .truncatedNormal: return "TruncatedNormal"
    case .inverseGamma: return "InverseGamma"
    }
  }

  /// The parameters as PyMC names them.
  public var parameters: [String: Double] {
    switch self {
    case .normal(let mu, let sigma): return ["mu": mu, "sigma": sigma]
    case .halfNormal(let sigma): return ["sigma": sigma]
    case .logNormal(let mu, let sigma): return ["mu": mu, "sigma": sigma]
    case .gamma(let alpha, let beta): return ["alpha": alpha, "beta": beta]
    case .beta(let alpha, let beta): return ["alpha": alpha, "beta": beta]
    case .exponential(let lam): return ["lam": lam]
    case .laplace(let mu, let b): return ["mu": mu, "b": b]
    case .studentT(let nu, let mu, let sigma): return ["nu": nu, "mu": mu, "sigma": sigma]
    case .truncatedNormal(let mu, let sigma, let lower, let upper):
      return ["mu": mu, "sigma": sigma, "lower": lower, "upper": upper]
    case .inverseGamma(let alpha, let beta): return ["alpha": alpha, "beta": beta]
    }
  }

  /// The distributions this type knows, by PyMC name.
  public static var distributionNames: [String] { PriorDistribution.names }

  /// Builds a prior from PyMC's name and parameters, or explains what is wrong.
  ///
  /// - Returns: the prior, or a message naming the missing/unknown parameter or invalid value.
  static func make(name: String, parameters p: [String: Double]) -> Result<Prior, MessageError> {
    PriorDistribution.parse(name).flatMap { make($0, parameters: p) }
  }

  /// Builds a prior from a distribution and PyMC's parameter names, or explains what is wrong.
  static func make(_ distribution: PriorDistribution, parameters p: [String: Double]) -> Result<
    Prior, MessageError
  > {
    let name = distribution.rawValue
    func need(_ keys: [String], optional: [String: Double] = [:]) -> Result<[String: Double], MessageError> {
      for key in p.keys where !keys.contains(key) && optional[key] == nil {
        let known = keys + optional.keys.sorted()
        return .failure(MessageError("unknown parameter '\(key)' for \(name)\(didYouMean(key, known))"))
      }
      var out = optional
      for key in keys {
        guard let v = p[key] else { return .failure(MessageError("\(name) needs parameter '\(key)'")) }
        out[key] = v
      }
      for (k, v) in p { out[k] = v }
      return .success(out)
    }
    func positive(_ values: [String: Double], _ keys: [String]) -> MessageError? {
      for key in keys {
        let value = values[key, default: .nan]
        if !(value > 0) { return MessageError("\(name) parameter '\(key)' must be > 0, got \(value)") }
      }
      return nil
    }
    let result: Result<Prior, MessageError>
    switch distribution {
    case .normal:
      result = need(["mu", "sigma"], optional: ["mu": 0]).map {
        .normal(mu: $0["mu", default: .nan], sigma: $0["sigma", default: .nan])
      }
    case .halfNormal:
      result = need(["sigma"]).map { .halfNormal(sigma: $0["sigma", default: .nan]) }
    case .logNormal:
      result = need(["mu", "sigma"], optional: ["mu": 0]).map {
        .logNormal(mu: $0["mu", default: .nan], sigma: $0["sigma", default: .nan])
      }
    case .gamma:
      if p["mu"] != nil || p["sigma"] != nil {
        result = need(["mu", "sigma"]).flatMap { v in
          positive(v, ["mu", "sigma"]).map { .failure($0) }
            ?? .success(.gamma(mean: v["mu", default: .nan], sd: v["sigma", default: .nan]))
        }
      } else {
        result = need(["alpha", "beta"]).map {
          .gamma(alpha: $0["alpha", default: .nan], beta: $0["beta", default: .nan])
        }
      }
    case .beta:
      result = need(["alpha", "beta"]).map {
        .beta(alpha: $0["alpha", default: .nan], beta: $0["beta", default: .nan])
      }
    case .exponential:
      result = need(["lam"]).map { .exponential(lam: $0["lam", default: .nan]) }
    case .laplace:
      result = need(["mu", "b"], optional: ["mu": 0]).map {
        .laplace(mu: $0["mu", default: .nan], b: $0["b", default: .nan])
      }
    case .studentT:
      result = need(["nu", "mu", "sigma"], optional: ["mu": 0]).map {
        .studentT(nu: $0["nu", default: .nan], mu: $0["mu", default: .nan], sigma: $0["sigma", default: .nan])
      }
    case .truncatedNormal:
      result = need(["mu", "sigma"], optional: ["mu": 0, "lower": -.infinity, "upper": .infinity]).map {
        .truncatedNormal(
          mu: $0["mu", default: .nan], sigma: $0["sigma", default: .nan], lower: $0["lower", default: .nan],
          upper: $0["upper", default: .nan])
      }
    case .inverseGamma:
      if p["mu"] != nil || p["sigma"] != nil {
        result = need(["mu", "sigma"]).flatMap { v in
          positive(v, ["mu", "sigma"]).map { .failure($0) }
            ?? .success(.inverseGamma(mean: v["mu", default: .nan], sd: v["sigma", default: .nan]))
        }
      } else {
        result = need(["alpha", "beta"]).map {
          .inverseGamma(alpha: $0["alpha", default: .nan], beta: $0["beta", default: .nan])
        }
      }
    }
    return result.flatMap { prior in
      let v = prior.parameters
      let scaleKeys = ["sigma", "alpha", "beta", "lam", "b", "nu"].filter { v[$0] != nil }
      if let error = positive(v, scaleKeys) { return .failure(error) }
      if case .truncatedNormal(_, _, let lower, let upper) = prior, !(lower < upper) {
        return .failure(MessageError("TruncatedNormal needs lower < upper"))
      }
      return .success(prior)
    }
  }
}

/// A plain message, used inside the module before a location is attached.
struct MessageError: Error, Equatable {
  let message: String
  init(_ message: String) { self.message = message }
}

/// Special functions the densities need beyond RealModule.
public enum SpecialFunctions {
  /// The standard normal CDF Φ(z).
  @inlinable
  public static func normalCDF(_ z: Double) -> Double {
    0.5 * Double.erfc(-z / 2.0.squareRoot())
  }

  /// The digamma function ψ(x) = d lnΓ(x)/dx for x > 0 (recurrence to x ≥ 10, then the asymptotic series).
  @inlinable
  public static func digamma(_ x: Double) -> Double {
    var x = x
    var result = 0.0
    while x < 10 {
      result -= 1 / x
      x += 1
    }
    let inv = 1 / x
    let inv2 = inv * inv
    result += Double.log(x) - 0.5 * inv
    result -=
      inv2
      * (1.0 / 12 - inv2
        * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * 691.0 / 32760)))))
    return result
  }

  /// Gamma(mean = mu, sd = sigma) log density of `y` and its derivative with respect to `mu`
  /// (the lift-test likelihood): shape a = μ²/σ², rate b = μ/σ².
  @inlinable
  public static func gammaMeanLogDensity(_ y: Double, mean mu: Double, sd sigma: Double) -> (
    value: Double, derivativeMean: Double
  ) {
    let s2 = sigma * sigma
    let a = mu * mu / s2
    let b = mu / s2
    let logB = Double.log(b)
    let logY = Double.log(y)
    let value = a * logB - Double.logGamma(a) + (a - 1) * logY - b * y
    // ∂/∂a = ln b - ψ(a) + ln y ; ∂/∂b = a/b - y ; da/dμ = 2μ/σ², db/dμ = 1/σ².
    let derivative = (logB - digamma(a) + logY) * 2 * mu / s2 + (a / b - y) / s2
    return (value, derivative)
  }
}

/// ` (did you mean 'x'?)` for the closest candidate within a small edit distance, or "".
func didYouMean(_ word: String, _ candidates: [String]) -> String {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var current = [i] + [Int](repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where !b.isEmpty {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
  let source = Array(word.lowercased())
  let best = candidates.map { ($0, distance(source, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
  guard let (candidate, d) = best, d <= max(2, word.count / 3) else { return "" }
  return " (did you mean '\(candidate)'?)"
}
