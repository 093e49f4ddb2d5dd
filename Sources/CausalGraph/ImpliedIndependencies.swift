// The testable implications of a DAG as DAGitty lists them by default: one conditional
// independence per pair of non-adjacent observed variables. For the pair (u, v) with v later in
// the topological order, the local Markov property gives u ⊥ v | Pa(v) when every parent of v is
// observed; otherwise a minimal separator made of observed variables is sought, and the pair is
// skipped when none exists (they are connected through latent variables).

/// A conditional independence `first ⊥ second | given` implied by the graph.
public struct ConditionalIndependence: Sendable, Hashable {
  /// One variable (the one whose name sorts first).
  public let first: Int
  /// The other variable.
  public let second: Int
  /// The conditioning set, ascending.
  public let given: [Int]
}

extension CausalDAG {
  /// The implied conditional independencies among observed variables, one per non-adjacent pair
  /// that observed variables can separate, sorted by the pair's names.
  /// - Complexity: O(p (n + m)) for p non-adjacent pairs whose later node has a latent parent,
  ///   O(n² + m) otherwise.
  public func impliedConditionalIndependencies() -> [ConditionalIndependence] {
    var position = [Int](repeating: 0, count: nodeCount)
    for (index, node) in topologicalOrder.enumerated() { position[node] = index }
    let observed = nodes.indices.filter { !nodes[$0].isLatent }
    var result: [ConditionalIndependence] = []
    for (index, first) in observed.enumerated() {
      for second in observed[(index + 1)...] {
        if children[first].contains(second) || children[second].contains(first) { continue }
        let (earlier, later) = position[first] < position[second] ? (first, second) : (second, first)
        let given: [Int]?
        if parents[later].allSatisfy({ !nodes[$0].isLatent }) {
          given = parents[later]
        } else {
          given = minimalDSeparator(between: [earlier], and: [later], allowed: observed)
        }
        guard let given else { continue }
        let (a, b) = name(of: first) < name(of: second) ? (first, second) : (second, first)
        result.append(ConditionalIndependence(first: a, second: b, given: given))
      }
    }
    return result.sorted {
      (name(of: $0.first), name(of: $0.second)) < (name(of: $1.first), name(of: $1.second))
    }
  }
}
