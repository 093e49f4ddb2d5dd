import CausalGraph
import CausalMMMCore
import Foundation
import Inference

/// A random DAG on `count` nodes named v0, v1, ...: a random order, each forward pair an edge with
/// probability `density`, each node latent with probability `latentRate` (seeded, reproducible).
func randomDAG(count: Int, density: Double, latentRate: Double, using rng: inout Xoshiro256StarStar)
  -> CausalDAG
{
  var order = Array(0..<count)
  for i in stride(from: count - 1, to: 0, by: -1) {
    let j = Int(rng.next() % UInt64(i + 1))
    order.swapAt(i, j)
  }
  var edges: [CausalDAG.Edge] = []
  for first in 0..<count {
    for second in (first + 1)..<count where rng.nextUniform() < density {
      edges.append(CausalDAG.Edge(from: order[first], to: order[second]))
    }
  }
  let nodes = (0..<count).map { CausalDAG.Node(name: "v\($0)", isLatent: rng.nextUniform() < latentRate) }
  // Edges go forward in a random order: acyclic by construction.
  guard let graph = try? CausalDAG(nodes: nodes, edgeIndices: edges) else { preconditionFailure("acyclic") }
  return graph
}

/// Builds a DAG from `from -> to` strings.
func dag(_ edges: String..., latent: [String] = []) throws -> CausalDAG {
  var names: [String] = []
  var pairs: [(from: String, to: String)] = []
  for edge in edges {
    let parts = edge.split(separator: "->").map { $0.trimmingCharacters(in: .whitespaces) }
    for part in parts where !names.contains(part) { names.append(part) }
    pairs.append((parts[0], parts[1]))
  }
  return try CausalDAG(
    nodes: names.map { CausalDAG.Node(name: $0, isLatent: latent.contains($0)) }, edges: pairs)
}

/// The inverse of a small dense matrix by Gauss–Jordan elimination with partial pivoting.
func inverse(_ matrix: [[Double]]) -> [[Double]] {
  let n = matrix.count
  var a = matrix
  var inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
  for column in 0..<n {
    var pivot = column
    for row in column..<n where abs(a[row][column]) > abs(a[pivot][column]) { pivot = row }
    a.swapAt(column, pivot)
    inv.swapAt(column, pivot)
    let scale = a[column][column]
    for j in 0..<n {
      a[column][j] /= scale
      inv[column][j] /= scale
    }
    for row in 0..<n where row != column {
      let factor = a[row][column]
      for j in 0..<n {
        a[row][j] -= factor * a[column][j]
        inv[row][j] -= factor * inv[column][j]
      }
    }
  }
  return inv
}

/// The sample correlation matrix of the given columns.
func correlationMatrix(_ columns: [[Double]]) -> [[Double]] {
  let n = Double(columns[0].count)
  let centred = columns.map { column -> [Double] in
    let mean = column.reduce(0, +) / n
    return column.map { $0 - mean }
  }
  let norms = centred.map { ($0.reduce(0) { $0 + $1 * $1 }).squareRoot() }
  return centred.indices.map { i in
    centred.indices.map { j in
      zip(centred[i], centred[j]).reduce(0) { $0 + $1.0 * $1.1 } / (norms[i] * norms[j])
    }
  }
}
