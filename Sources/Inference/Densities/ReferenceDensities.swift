import RealModule

// Posteriors with known answers, used to validate and benchmark the sampler
// (the same targets as Stan's and posteriordb's standard checks).

/// Independent normals N(mean_i, scale_i²) on ℝ^d; reported values are the coordinates `x[i]`.
public struct IndependentNormalDensity: LogDensity {
  /// Means of the coordinates.
  public let means: [Double]
  /// Standard deviations of the coordinates.
  public let scales: [Double]
  /// Coordinates are named `x[1]`, `x[2]`, ...
  public let parameterNames: [String]

  /// A d-dimensional normal with the given means and standard deviations (same length).
  public init(means: [Double], scales: [Double]) {
    precondition(means.count == scales.count && scales.allSatisfy { $0 > 0 })
    self.means = means
    self.scales = scales
    parameterNames = (1...max(means.count, 1)).prefix(means.count).map { "x[\($0)]" }
  }

  /// A standard normal on ℝ^`dimension`.
  public init(dimension: Int) {
    self.init(means: Array(repeating: 0, count: dimension), scales: Array(repeating: 1, count: dimension))
  }

  public var dimension: Int { means.count }

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    var value = 0.0
    for i in 0..<means.count {
      let precision = 1 / (scales[i] * scales[i])
      let deviation = position[i] - means[i]
      value -= 0.5 * deviation * deviation * precision
      gradient[i] = -deviation * precision
    }
    return value
  }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    for i in 0..<means.count { values[i] = position[i] }
  }
}

/// A multivariate normal N(mean, covariance); reported values are the coordinates `x[i]`.
public struct MultivariateNormalDensity: LogDensity {
  /// The mean vector.
  public let mean: [Double]
  /// The covariance matrix, row-major.
  public let covariance: [Double]
  /// Row-major inverse of the covariance.
  let precision: [Double]
  /// Coordinates are named `x[1]`, `x[2]`, ...
  public let parameterNames: [String]

  /// A normal with the given mean and symmetric positive-definite covariance (row-major d×d).
  public init(mean: [Double], covariance: [Double]) {
    let n = mean.count
    precondition(covariance.count == n * n)
    self.mean = mean
    self.covariance = covariance
    precision = Self.inverse(covariance, n)
    parameterNames = (0..<n).map { "x[\($0 + 1)]" }
  }

  /// The bivariate normal with unit variances and correlation `rho`.
  public static func correlatedPair(rho: Double) -> MultivariateNormalDensity {
    MultivariateNormalDensity(mean: [0, 0], covariance: [1, rho, rho, 1])
  }

  public var dimension: Int { mean.count }

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let n = mean.count
    var value = 0.0
    for i in 0..<n {
      var row = 0.0
      for j in 0..<n { row += precision[i * n + j] * (position[j] - mean[j]) }
      gradient[i] = -row
      value -= 0.5 * (position[i] - mean[i]) * row
    }
    return value
  }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    for i in 0..<mean.count { values[i] = position[i] }
  }

  // Gauss–Jordan inverse with partial pivoting (set-up only).
  static func inverse(_ matrix: [Double], _ n: Int) -> [Double] {
    var a = matrix
    var result = [Double](repeating: 0, count: n * n)
    for i in 0..<n { result[i * n + i] = 1 }
    for column in 0..<n {
      var pivot = column
      for row in column..<n where abs(a[row * n + column]) > abs(a[pivot * n + column]) { pivot = row }
      if pivot != column {
        for k in 0..<n {
          a.swapAt(column * n + k, pivot * n + k)
          result.swapAt(column * n + k, pivot * n + k)
        }
      }
      let scale = 1 / a[column * n + column]
      for k in 0..<n {
        a[column * n + k] *= scale
        result[column * n + k] *= scale
      }
      for row in 0..<n where row != column {
        let factor = a[row * n + column]
        if factor == 0 { continue }
        for k in 0..<n {
          a[row * n + k] -= factor * a[column * n + k]
          result[row * n + k] -= factor * result[column * n + k]
        }
      }
    }
    return result
  }
}

/// Rubin's eight schools, non-centred: μ ~ N(0, 5²), τ ~ half-Cauchy(0, 5),
/// θ̃_j ~ N(0, 1), y_j ~ N(μ + τ θ̃_j, σ_j²). Unconstrained coordinates: μ, log τ, θ̃_1…θ̃_8.
/// Reported: `mu`, `tau`, `theta_tilde[school_j]`, `theta[school_j]` (θ_j = μ + τ θ̃_j).
public struct EightSchoolsNonCentredDensity: LogDensity {
  /// Observed treatment effects.
  public static let effects: [Double] = [28, 8, -3, 7, -1, 1, 18, 12]
  /// Their standard errors.
  public static let standardErrors: [Double] = [15, 10, 16, 11, 9, 11, 10, 18]

  /// Creates the model with Rubin's data.
  public init() {}

  public var dimension: Int { 10 }

  public var parameterNames: [String] {
    ["mu", "tau"] + (1...8).map { "theta_tilde[school_\($0)]" } + (1...8).map { "theta[school_\($0)]" }
  }

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let mu = position[0]
    let logTau = position[1]
    let tau = Double.exp(logTau)
    let scaledTau = tau / 5
    // μ prior, half-Cauchy on τ plus log-Jacobian log τ (constants dropped).
    var value = -0.5 * mu * mu / 25 - Double.log(onePlus: scaledTau * scaledTau) + logTau
    var gradientMu = -mu / 25
    var gradientLogTau = 1 - 2 * scaledTau * scaledTau / (1 + scaledTau * scaledTau)
    for j in 0..<8 {
      let thetaTilde = position[2 + j]
      let sigma = Self.standardErrors[j]
      let residual = (Self.effects[j] - mu - tau * thetaTilde) / sigma
      value -= 0.5 * thetaTilde * thetaTilde + 0.5 * residual * residual
      gradientMu += residual / sigma
      gradientLogTau += residual * thetaTilde * tau / sigma
      gradient[2 + j] = residual * tau / sigma - thetaTilde
    }
    gradient[0] = gradientMu
    gradient[1] = gradientLogTau
    return value
  }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    let tau = Double.exp(position[1])
    values[0] = position[0]
    values[1] = tau
    for j in 0..<8 {
      values[2 + j] = position[2 + j]
      values[10 + j] = position[0] + tau * position[2 + j]
    }
  }
}

/// Neal's funnel, non-centred: v ~ N(0, 3²), z_i ~ N(0, 1), x_i = exp(v/2) z_i, so that
/// x_i | v ~ N(0, e^v). Unconstrained coordinates: v, z_1…z_k. Reported: `v`, `z[i]`, `x[i]`.
public struct NealsFunnelNonCentredDensity: LogDensity {
  /// Number of funnel coordinates x_i (Neal uses 9).
  public let width: Int

  /// A funnel with `width` coordinates below the scale parameter v.
  public init(width: Int = 9) { self.width = width }

  public var dimension: Int { width + 1 }

  public var parameterNames: [String] {
    ["v"] + (1...max(width, 1)).prefix(width).map { "z[\($0)]" }
      + (1...max(width, 1)).prefix(width).map { "x[\($0)]" }
  }

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let v = position[0]
    var value = -v * v / 18
    gradient[0] = -v / 9
    for i in 1...width {
      value -= 0.5 * position[i] * position[i]
      gradient[i] = -position[i]
    }
    return value
  }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    let scale = Double.exp(position[0] / 2)
    values[0] = position[0]
    for i in 1...width {
      values[i] = position[i]
      values[width + i] = scale * position[i]
    }
  }
}
