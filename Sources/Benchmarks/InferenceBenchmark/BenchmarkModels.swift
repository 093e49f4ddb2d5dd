import CausalMMMCore
import Inference
import RealModule

/// The SBC model: μ ~ N(0, 1), τ ~ half-normal(1), θ_j = μ + τ z_j with z_j ~ N(0, 1), and
/// `perGroup` observations y_jk ~ N(θ_j, 1) summarised by their group means.
/// Unconstrained: μ, log τ, z_1…z_J. Reported: `mu`, `tau`, `theta[group_j]`.
struct HierarchicalNormalDensity: LogDensity {
  let groupMeans: [Double]
  let perGroup: Double

  var dimension: Int { 2 + groupMeans.count }
  var parameterNames: [String] { ["mu", "tau"] + groupMeans.indices.map { "theta[group_\($0 + 1)]" } }

  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    let mu = position[0]
    let logTau = position[1]
    let tau = Double.exp(logTau)
    var value = -0.5 * mu * mu - 0.5 * tau * tau + logTau
    var gradientMu = -mu
    var gradientLogTau = 1 - tau * tau
    for j in groupMeans.indices {
      let z = position[2 + j]
      let residual = groupMeans[j] - mu - tau * z
      value -= 0.5 * z * z + 0.5 * perGroup * residual * residual
      gradientMu += perGroup * residual
      gradientLogTau += perGroup * residual * z * tau
      gradient[2 + j] = -z + perGroup * residual * tau
    }
    gradient[0] = gradientMu
    gradient[1] = gradientLogTau
    return value
  }

  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    let tau = Double.exp(position[1])
    values[0] = position[0]
    values[1] = tau
    for j in groupMeans.indices { values[2 + j] = position[0] + tau * position[2 + j] }
  }
}

/// A Bayesian linear regression sized like the MMM workload (832 rows, 39 coefficients and a
/// log noise scale: 40 parameters), to time the sampler on a realistic gradient cost.
struct RegressionDensity: LogDensity {
  let rows: Int
  let columns: Int
  let design: [Double]  // row-major rows × columns
  let response: [Double]

  init(rows: Int, columns: Int, seed: UInt64) {
    var generator = Xoshiro256StarStar(seed: seed)
    self.rows = rows
    self.columns = columns
    let design = (0..<(rows * columns)).map { _ in generator.nextNormal() }
    let truth = (0..<columns).map { _ in 0.5 * generator.nextNormal() }
    response = (0..<rows).map { row in
      var mean = 0.0
      for k in 0..<columns { mean += design[row * columns + k] * truth[k] }
      return mean + 0.5 * generator.nextNormal()
    }
    self.design = design
  }

  var dimension: Int { columns + 1 }
  var parameterNames: [String] { (0..<columns).map { "beta[x_\($0 + 1)]" } + ["y_sigma"] }

  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    let logSigma = position[columns]
    let precision = Double.exp(-2 * logSigma)
    var value = 0.0
    for k in 0..<columns {
      value -= 0.5 * position[k] * position[k]
      gradient[k] = -position[k]
    }
    var sumSquares = 0.0
    design.withUnsafeBufferPointer { x in
      for row in 0..<rows {
        var mean = 0.0
        let base = row * columns
        for k in 0..<columns { mean += x[base + k] * position[k] }
        let residual = response[row] - mean
        sumSquares += residual * residual
        let weight = residual * precision
        for k in 0..<columns { gradient[k] += weight * x[base + k] }
      }
    }
    // Half-normal(1) prior on σ with Jacobian, Gaussian likelihood.
    let sigma = Double.exp(logSigma)
    value += -0.5 * sigma * sigma + logSigma - Double(rows) * logSigma - 0.5 * precision * sumSquares
    gradient[columns] = -sigma * sigma + 1 - Double(rows) + precision * sumSquares
    return value
  }

  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    for k in 0..<columns { values[k] = position[k] }
    values[columns] = Double.exp(position[columns])
  }
}
