import CausalMMMCore
import Foundation
import Inference

/// A distribution for exogenous noise and random per-period coefficients.
public enum Distribution: Sendable, Hashable {
  /// Normal with mean `mean` and standard deviation `sd`.
  case normal(mean: Double, sd: Double)
  /// Uniform on `[lower, upper)`.
  case uniform(lower: Double, upper: Double)
  /// Gamma parametrised by its mean and standard deviation (as PreliZ's `Gamma(mu=, sigma=)`).
  case gamma(mean: Double, sd: Double)
  /// Beta with shape parameters `alpha` and `beta` (small shapes give spiky, U-shaped draws).
  case beta(alpha: Double, beta: Double)

  /// The distribution's mean.
  public var mean: Double {
    switch self {
    case .normal(let mean, _): return mean
    case .uniform(let lower, let upper): return (lower + upper) / 2
    case .gamma(let mean, _): return mean
    case .beta(let alpha, let beta): return alpha / (alpha + beta)
    }
  }

  /// The distribution's variance.
  public var variance: Double {
    switch self {
    case .normal(_, let sd): return sd * sd
    case .uniform(let lower, let upper): return (upper - lower) * (upper - lower) / 12
    case .gamma(_, let sd): return sd * sd
    case .beta(let a, let b): return a * b / ((a + b) * (a + b) * (a + b + 1))
    }
  }

  /// Why the parameters are invalid, or `nil` when they are valid.
  func invalidParameter() -> (name: String, value: Double, requirement: String)? {
    switch self {
    case .normal(let mean, let sd):
      if !mean.isFinite { return ("mean", mean, "finite") }
      if !(sd >= 0) || !sd.isFinite { return ("sd", sd, "finite and >= 0") }
    case .uniform(let lower, let upper):
      if !lower.isFinite || !upper.isFinite || !(upper > lower) {
        return ("upper", upper, "finite and greater than lower = \(lower)")
      }
    case .gamma(let mean, let sd):
      if !(mean > 0) || !mean.isFinite { return ("mean", mean, "finite and > 0") }
      if !(sd > 0) || !sd.isFinite { return ("sd", sd, "finite and > 0") }
    case .beta(let a, let b):
      if !(a > 0) || !a.isFinite { return ("alpha", a, "finite and > 0") }
      if !(b > 0) || !b.isFinite { return ("beta", b, "finite and > 0") }
    }
    return nil
  }

  /// One draw from the distribution.
  public func draw(using generator: inout Xoshiro256StarStar) -> Double {
    switch self {
    case .normal(let mean, let sd):
      return mean + sd * generator.nextNormal()
    case .uniform(let lower, let upper):
      return lower + (upper - lower) * generator.nextUniform()
    case .gamma(let mean, let sd):
      let shape = mean * mean / (sd * sd)
      let scale = sd * sd / mean
      return exp(Self.logGamma(shape: shape, using: &generator)) * scale
    case .beta(let a, let b):
      // Beta = X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), computed from logarithms so that
      // tiny shapes (Beta(0.015, 0.05)) neither underflow to 0/0 nor lose the spikes at 0 and 1.
      let logX = Self.logGamma(shape: a, using: &generator)
      let logY = Self.logGamma(shape: b, using: &generator)
      return 1 / (1 + exp(logY - logX))
    }
  }

  /// `n` independent draws.
  public func draws(_ n: Int, using generator: inout Xoshiro256StarStar) -> [Double] {
    (0..<n).map { _ in draw(using: &generator) }
  }

  /// The logarithm of a unit-scale Gamma(shape) draw: Marsaglia and Tsang (2000) for shape >= 1;
  /// below 1, Gamma(shape + 1) * U^(1/shape), kept on the log scale.
  static func logGamma(shape: Double, using generator: inout Xoshiro256StarStar) -> Double {
    if shape < 1 {
      let boosted = logGamma(shape: shape + 1, using: &generator)
      let u = 1 - generator.nextUniform()  // in (0, 1]
      return boosted + log(u) / shape
    }
    let d = shape - 1.0 / 3.0
    let c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double
      var v: Double
      repeat {
        x = generator.nextNormal()
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = 1 - generator.nextUniform()
      if u < 1 - 0.0331 * x * x * x * x { return log(d * v) }
      if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return log(d * v) }
    }
  }
}
