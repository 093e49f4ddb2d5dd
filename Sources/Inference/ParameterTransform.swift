import RealModule

/// How one parameter's support maps to the real line: samplers move `u ∈ ℝ`, users see `x = f(u)`.
public enum ParameterTransform: Sendable, Hashable {
  /// x = u, support ℝ.
  case identity
  /// x = exp(u), support (0, ∞).
  case positive
  /// x = logistic(u), support (0, 1).
  case unitInterval
  /// x = lower + exp(u), support (lower, ∞).
  case lowerBound(Double)
  /// x = upper - exp(u), support (-∞, upper).
  case upperBound(Double)
  /// x = lower + (upper - lower) logistic(u), support (lower, upper).
  case interval(lower: Double, upper: Double)

  /// The constrained value x = f(u).
  @inlinable
  public func constrain(_ u: Double) -> Double {
    switch self {
    case .identity: return u
    case .positive: return Double.exp(u)
    case .unitInterval: return Self.logistic(u)
    case .lowerBound(let lower): return lower + Double.exp(u)
    case .upperBound(let upper): return upper - Double.exp(u)
    case .interval(let lower, let upper): return lower + (upper - lower) * Self.logistic(u)
    }
  }

  /// The unconstrained value u = f⁻¹(x).
  @inlinable
  public func unconstrain(_ x: Double) -> Double {
    switch self {
    case .identity: return x
    case .positive: return Double.log(x)
    case .unitInterval: return Double.log(x) - Double.log(1 - x)
    case .lowerBound(let lower): return Double.log(x - lower)
    case .upperBound(let upper): return Double.log(upper - x)
    case .interval(let lower, let upper):
      let p = (x - lower) / (upper - lower)
      return Double.log(p) - Double.log(1 - p)
    }
  }

  /// log |dx/du|, the term added to the log density on the unconstrained scale.
  @inlinable
  public func logJacobian(_ u: Double) -> Double {
    switch self {
    case .identity: return 0
    case .positive, .lowerBound, .upperBound: return u
    case .unitInterval: return -Self.softplus(-u) - Self.softplus(u)
    case .interval(let lower, let upper):
      return Double.log(upper - lower) - Self.softplus(-u) - Self.softplus(u)
    }
  }

  /// d log|dx/du| / du.
  @inlinable
  public func logJacobianDerivative(_ u: Double) -> Double {
    switch self {
    case .identity: return 0
    case .positive, .lowerBound, .upperBound: return 1
    case .unitInterval, .interval: return 1 - 2 * Self.logistic(u)
    }
  }

  /// dx/du, to carry a gradient from the constrained to the unconstrained scale.
  @inlinable
  public func derivative(_ u: Double) -> Double {
    switch self {
    case .identity: return 1
    case .positive, .lowerBound: return Double.exp(u)
    case .upperBound: return -Double.exp(u)
    case .unitInterval:
      let p = Self.logistic(u)
      return p * (1 - p)
    case .interval(let lower, let upper):
      let p = Self.logistic(u)
      return (upper - lower) * p * (1 - p)
    }
  }

  /// 1 / (1 + e^{-u}), computed without overflow for large |u|.
  @inlinable
  public static func logistic(_ u: Double) -> Double {
    if u >= 0 { return 1 / (1 + Double.exp(-u)) }
    let e = Double.exp(u)
    return e / (1 + e)
  }

  /// log(1 + e^u), computed without overflow for large |u|.
  @inlinable
  public static func softplus(_ u: Double) -> Double {
    u > 0 ? u + Double.log(onePlus: Double.exp(-u)) : Double.log(onePlus: Double.exp(u))
  }
}
