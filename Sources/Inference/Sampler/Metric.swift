import CausalMMMCore
import RealModule

/// The shape of the mass matrix (Euclidean metric) used by the sampler.
public enum MetricKind: String, CaseIterable, Sendable, Hashable {
  /// A diagonal inverse mass matrix, adapted to the posterior variances (Stan's `diag_e`).
  case diagonal
  /// A full inverse mass matrix, adapted to the posterior covariance (Stan's `dense_e`).
  case dense
  /// Diagonal, except dense blocks over the groups of coordinates the density names in
  /// `LogDensity.metricBlocks` (a hierarchical model's population-level parameters, whose
  /// ridges a diagonal metric cannot follow), adapted to those blocks' covariances.
  case blockDiagonal = "block"
}

// Which coordinates share a dense block of the metric: disjoint groups, every other
// coordinate on the diagonal. Diagonal is no group; dense is one group of every coordinate.
struct MetricBlocks: Sendable, Equatable {
  let dimension: Int
  // Coordinates of block b: indices[starts[b]..<starts[b + 1]], ascending.
  let indices: [Int]
  let starts: [Int]
  // Coordinates in no block.
  let diagonal: [Int]

  init(dimension: Int, kind: MetricKind, densityBlocks: [[Int]]) {
    self.dimension = dimension
    let groups: [[Int]]
    switch kind {
    case .diagonal: groups = []
    case .dense: groups = dimension > 0 ? [Array(0..<dimension)] : []
    case .blockDiagonal: groups = densityBlocks.map { $0.sorted() }.filter { $0.count > 1 }
    }
    var inBlock = [Bool](repeating: false, count: dimension)
    var indices: [Int] = []
    var starts = [0]
    for group in groups {
      for i in group {
        precondition(i >= 0 && i < dimension && !inBlock[i], "metric blocks must be disjoint coordinates")
        inBlock[i] = true
      }
      indices += group
      starts.append(indices.count)
    }
    self.indices = indices
    self.starts = starts
    diagonal = (0..<dimension).filter { !inBlock[$0] }
  }

  var count: Int { starts.count - 1 }
  func size(_ b: Int) -> Int { starts[b + 1] - starts[b] }
  // Offset of block b's k×k matrix in the concatenated row-major block storage.
  var matrixStarts: [Int] {
    var result = [0]
    for b in 0..<count { result.append(result[b] + size(b) * size(b)) }
    return result
  }
}

// The Euclidean metric of the Hamiltonian H(q, p) = -log π(q) + ½ pᵀ M⁻¹ p, stored as the
// inverse mass matrix M⁻¹: a diagonal for the coordinates in no block, and for each dense block
// its row-major k×k inverse with its lower Cholesky factor. Storage is allocated once; every
// method works on caller storage and allocates nothing.
final class EuclideanMetric {
  let dimension: Int
  let kind: MetricKind
  let blocks: MetricBlocks
  // Diagonal of M⁻¹ for every coordinate (for blocked ones, the block's diagonal).
  let inverse: UnsafeMutablePointer<Double>
  // Concatenated row-major block inverses and their lower Cholesky factors.
  let blockInverse: UnsafeMutablePointer<Double>
  let blockCholesky: UnsafeMutablePointer<Double>
  private let matrixStarts: [Int]
  private let scratch: UnsafeMutablePointer<Double>

  init(dimension: Int, kind: MetricKind, blocks densityBlocks: [[Int]] = []) {
    self.dimension = dimension
    self.kind = kind
    let layout = MetricBlocks(dimension: dimension, kind: kind, densityBlocks: densityBlocks)
    blocks = layout
    matrixStarts = layout.matrixStarts
    let matrixCount = matrixStarts.last ?? 0
    inverse = .allocate(capacity: max(dimension, 1))
    blockInverse = .allocate(capacity: max(matrixCount, 1))
    blockCholesky = .allocate(capacity: max(matrixCount, 1))
    let largest = (0..<layout.count).map { layout.size($0) }.max() ?? 1
    // Cholesky work (k²) in setInverse; gathered momenta and their product (2k) in velocity.
    scratch = .allocate(capacity: max(largest * largest, 2 * largest, 1))
    setIdentity()
  }

  deinit {
    inverse.deallocate()
    blockInverse.deallocate()
    blockCholesky.deallocate()
    scratch.deallocate()
  }

  func setIdentity() {
    inverse.update(repeating: 1, count: dimension)
    for b in 0..<blocks.count {
      let k = blocks.size(b)
      let m = blockInverse + matrixStarts[b]
      let l = blockCholesky + matrixStarts[b]
      m.update(repeating: 0, count: k * k)
      l.update(repeating: 0, count: k * k)
      for i in 0..<k {
        m[i * k + i] = 1
        l[i * k + i] = 1
      }
    }
  }

  // Replaces M⁻¹ by `estimate` (the layout of `MetricEstimator`: the d diagonal entries, then the
  // blocks' row-major matrices). A block that is not numerically positive definite keeps its
  // previous matrix; returns false when any entry or block was rejected.
  @discardableResult
  func setInverse(_ estimate: UnsafePointer<Double>) -> Bool {
    var accepted = true
    for i in blocks.diagonal {
      if estimate[i] > 0 && estimate[i].isFinite { inverse[i] = estimate[i] } else { accepted = false }
    }
    for b in 0..<blocks.count {
      let k = blocks.size(b)
      let values = estimate + dimension + matrixStarts[b]
      guard Self.cholesky(values, k, into: scratch) else {
        accepted = false
        continue
      }
      (blockInverse + matrixStarts[b]).update(from: values, count: k * k)
      (blockCholesky + matrixStarts[b]).update(from: scratch, count: k * k)
      for r in 0..<k { inverse[blocks.indices[blocks.starts[b] + r]] = values[r * k + r] }
    }
    return accepted
  }

  // Lower Cholesky factor of the k×k row-major `values`; false unless positive definite.
  private static func cholesky(
    _ values: UnsafePointer<Double>, _ n: Int, into lower: UnsafeMutablePointer<Double>
  )
    -> Bool
  {
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
    return true
  }

  // The diagonal of M⁻¹ (the reported inverse metric unless the metric is dense).
  var inverseDiagonal: [Double] { Array(UnsafeBufferPointer(start: inverse, count: dimension)) }

  // The reported inverse metric: d² row-major entries for a dense metric, else the diagonal.
  var reportedInverse: [Double] {
    kind == .dense
      ? Array(UnsafeBufferPointer(start: blockInverse, count: dimension * dimension)) : inverseDiagonal
  }

  // velocity = M⁻¹ p (Stan's dtau_dp, the "p sharp" of the no-U-turn criterion). A block's momenta
  // are gathered into contiguous scratch and its product accumulated column by column (M⁻¹ is
  // exactly symmetric, so column c is row c): independent lanes that vectorise, each summed in
  // the same order as a row-by-row dot product.
  @inline(__always)
  func velocity(_ p: UnsafePointer<Double>, into velocity: UnsafeMutablePointer<Double>) {
    blocks.diagonal.withUnsafeBufferPointer { diagonal in
      for i in diagonal { velocity[i] = inverse[i] * p[i] }
    }
    blocks.indices.withUnsafeBufferPointer { indices in
      for b in 0..<blocks.count {
        let start = blocks.starts[b]
        let k = blocks.starts[b + 1] - start
        let m = blockInverse + matrixStarts[b]
        let gathered = scratch
        let product = scratch + k
        for c in 0..<k { gathered[c] = p[indices[start + c]] }
        for r in 0..<k { product[r] = 0 }
        for c in 0..<k {
          let column = m + c * k
          let pc = gathered[c]
          for r in 0..<k { product[r] += column[r] * pc }
        }
        for r in 0..<k { velocity[indices[start + r]] = product[r] }
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

  // Draws p ~ N(0, M): z_i ~ N(0, 1) for every coordinate in order, then p_i = z_i / sqrt(M⁻¹_ii)
  // off the blocks and, in each block with M⁻¹_b = L Lᵀ, p_b solving Lᵀ p_b = z_b, so that
  // Cov(p_b) = L⁻ᵀ L⁻¹ = (L Lᵀ)⁻¹ = M_b.
  @inline(__always)
  func sampleMomentum(into p: UnsafeMutablePointer<Double>, using generator: inout Xoshiro256StarStar) {
    for i in 0..<dimension { p[i] = generator.nextNormal() }
    blocks.diagonal.withUnsafeBufferPointer { diagonal in
      for i in diagonal { p[i] /= inverse[i].squareRoot() }
    }
    blocks.indices.withUnsafeBufferPointer { indices in
      for b in 0..<blocks.count {
        let start = blocks.starts[b]
        let k = blocks.starts[b + 1] - start
        let l = blockCholesky + matrixStarts[b]
        var r = k - 1
        while r >= 0 {
          var sum = p[indices[start + r]]
          for c in (r + 1)..<max(k, r + 1) { sum -= l[c * k + r] * p[indices[start + c]] }
          p[indices[start + r]] = sum / l[r * k + r]
          r -= 1
        }
      }
    }
  }
}
