// Least squares by Householder QR, the numerically stable way to residualise: the tests of a DAG
// against data and the omitted-variable-bias sensitivity both need "y minus its projection on the
// span of some columns". Columns that are (numerically) linear combinations of earlier ones are
// dropped, so a design with an intercept and a full set of fixed-effect dummies still works and
// `rank` counts the degrees of freedom it uses.

/// The column space of a design matrix, kept as Householder reflectors.
struct ColumnSpace {
  /// The number of rows.
  let rowCount: Int
  /// The number of linearly independent columns kept.
  private(set) var rank = 0
  // Reflector k is I - 2 v vᵀ with v (unit norm) supported on rows k..<n, stored from row k on.
  private var reflectors: [[Double]] = []

  /// Decomposes `columns` (each `rowCount` long). A column whose part orthogonal to the earlier
  /// columns has norm below `1e-10` times its own norm is dropped as collinear.
  init(columns: [[Double]], rowCount: Int) {
    self.rowCount = rowCount
    for column in columns {
      precondition(column.count == rowCount, "column length differs from the row count")
      if rank >= rowCount { break }
      let original = (column.reduce(0) { $0 + $1 * $1 }).squareRoot()
      guard original > 0 else { continue }
      let x = applyTranspose(column)
      let k = rank
      var tailNorm = 0.0
      for i in k..<rowCount { tailNorm += x[i] * x[i] }
      tailNorm = tailNorm.squareRoot()
      guard tailNorm > 1e-10 * original else { continue }
      // v = x_tail + sign(x_k) |x_tail| e_1, normalised.
      var v = Array(x[k...])
      v[0] += x[k] >= 0 ? tailNorm : -tailNorm
      let vNorm = (v.reduce(0) { $0 + $1 * $1 }).squareRoot()
      for i in v.indices { v[i] /= vNorm }
      reflectors.append(v)
      rank += 1
    }
  }

  /// Qᵀ y.
  private func applyTranspose(_ y: [Double]) -> [Double] {
    var x = y
    for (k, v) in reflectors.enumerated() { reflect(&x, v, from: k) }
    return x
  }

  private func reflect(_ x: inout [Double], _ v: [Double], from k: Int) {
    var dot = 0.0
    for i in v.indices { dot += v[i] * x[k + i] }
    dot *= 2
    for i in v.indices { x[k + i] -= dot * v[i] }
  }

  /// `y` minus its least-squares projection on the column space.
  func residuals(of y: [Double]) -> [Double] {
    precondition(y.count == rowCount, "vector length differs from the row count")
    var x = applyTranspose(y)
    for i in 0..<rank { x[i] = 0 }
    for (k, v) in reflectors.enumerated().reversed() { reflect(&x, v, from: k) }
    return x
  }
}

/// Σ aᵢ bᵢ.
func dot(_ a: [Double], _ b: [Double]) -> Double {
  var sum = 0.0
  for i in a.indices { sum += a[i] * b[i] }
  return sum
}
