import CausalMMMCore
import RealModule

/// The shape of the mass matrix (Euclidean metric) used by the sampler.
public enum MetricKind: Sendable, Hashable {
  /// A diagonal inverse mass matrix, adapted to the posterior variances (Stan's `diag_e`).
  case diagonal
  /// A full inverse mass matrix, adapted to the posterior covariance (Stan's `dense_e`).
  case dense
}

// The Euclidean metric of the Hamiltonian H(q, p) = -log π(q) + ½ pᵀ M⁻¹ p, stored as the
// inverse mass matrix M⁻¹ (diagonal, or dense with its lower Cholesky factor). Storage is
// allocated once; every method works on caller storage and allocates nothing.
final class EuclideanMetric {
  let dimension: Int
  let kind: MetricKind
  // Diagonal of M⁻¹ (diagonal metric) or the full row-major M⁻¹ (dense metric).
  let inverse: UnsafeMutablePointer<Double>
  // Lower Cholesky factor L of M⁻¹ (dense metric only), row-major.
  let choleskyLower: UnsafeMutablePointer<Double>

  init(dimension: Int, kind: MetricKind) {
    self.dimension = dimension
    self.kind = kind
    let count = kind == .diagonal ? dimension : dimension * dimension
    inverse = .allocate(capacity: max(count, 1))
    choleskyLower = .allocate(capacity: kind == .dense ? max(count, 1) : 1)
    setIdentity()
  }

  deinit {
    inverse.deallocate()
    choleskyLower.deallocate()
  }

  func setIdentity() {
    switch kind {
    case .diagonal:
      inverse.update(repeating: 1, count: dimension)
    case .dense:
      inverse.update(repeating: 0, count: dimension * dimension)
      choleskyLower.update(repeating: 0, count: dimension * dimension)
      for i in 0..<dimension {
        inverse[i * dimension + i] = 1
        choleskyLower[i * dimension + i] = 1
      }
    }
  }

  // Replaces M⁻¹ by `values` (d entries for diagonal, d² row-major for dense). A dense matrix
  // that is not numerically positive definite keeps the previous metric and returns false.
  @discardableResult
  func setInverse(_ values: UnsafePointer<Double>) -> Bool {
    switch kind {
    case .diagonal:
      for i in 0..<dimension where !(values[i] > 0 && values[i].isFinite) { return false }
      inverse.update(from: values, count: dimension)
      return true
    case .dense:
      let n = dimension
      let lower = UnsafeMutablePointer<Double>.allocate(capacity: n * n)
      defer { lower.deallocate() }
      lower.update(repeating: 0, count: n * n)
      for j in 0..<n {
        var diagonal = values[j * n + j]
        for k in 0..<j { diagonal -= lower[j * n + k] * lower[j * n + k] }
        guard diagonal > 0, diagonal.isFinite else { return false }
        let root = diagonal.squareRoot()
        lower[j * n + j] = root
        for i in (j + 1)..<max(n, j + 1) {
          var sum = values[i * n + j]
          for k in 0..<j { sum -= lower[i * n + k] * lower[j * n + k] }
          lower[i * n + j] = sum / root
        }
      }
      inverse.update(from: values, count: n * n)
      choleskyLower.update(from: lower, count: n * n)
      return true
    }
  }

  // The diagonal of M⁻¹ (the reported inverse metric for a diagonal metric).
  var inverseDiagonal: [Double] {
    (0..<dimension).map { kind == .diagonal ? inverse[$0] : inverse[$0 * dimension + $0] }
  }

  // All of M⁻¹: d entries (diagonal) or d² row-major entries (dense).
  var inverseEntries: [Double] {
    Array(UnsafeBufferPointer(start: inverse, count: kind == .diagonal ? dimension : dimension * dimension))
  }

  // velocity = M⁻¹ p (Stan's dtau_dp, the "p sharp" of the no-U-turn criterion).
  @inline(__always)
  func velocity(_ p: UnsafePointer<Double>, into velocity: UnsafeMutablePointer<Double>) {
    let n = dimension
    switch kind {
    case .diagonal:
      for i in 0..<n { velocity[i] = inverse[i] * p[i] }
    case .dense:
      for i in 0..<n {
        var sum = 0.0
        let row = inverse + i * n
        for j in 0..<n { sum += row[j] * p[j] }
        velocity[i] = sum
      }
    }
  }

  // ½ pᵀ M⁻¹ p, given the velocity M⁻¹ p already computed.
  @inline(__always)
  func kineticEnergy(momentum p: UnsafePointer<Double>, velocity: UnsafePointer<Double>) -> Double {
    var sum = 0.0
    for i in 0..<dimension { sum += p[i] * velocity[i] }
    return 0.5 * sum
  }

  // Draws p ~ N(0, M). Diagonal: p_i = z_i / sqrt(M⁻¹_ii). Dense: with M⁻¹ = L Lᵀ, solving
  // Lᵀ p = z gives Cov(p) = L⁻ᵀ L⁻¹ = (L Lᵀ)⁻¹ = M.
  @inline(__always)
  func sampleMomentum(into p: UnsafeMutablePointer<Double>, using generator: inout Xoshiro256StarStar) {
    let n = dimension
    switch kind {
    case .diagonal:
      for i in 0..<n { p[i] = generator.nextNormal() / inverse[i].squareRoot() }
    case .dense:
      for i in 0..<n { p[i] = generator.nextNormal() }
      var i = n - 1
      while i >= 0 {
        var sum = p[i]
        for k in (i + 1)..<max(n, i + 1) { sum -= choleskyLower[k * n + i] * p[k] }
        p[i] = sum / choleskyLower[i * n + i]
        i -= 1
      }
    }
  }
}
