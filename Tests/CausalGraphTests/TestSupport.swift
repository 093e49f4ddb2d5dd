import CausalGraph
import CausalMMMCore
import Foundation

/// The seeded generator of the random-DAG corpus (CausalMMMCore's SplitMix64), so every random test is
/// reproducible and the corpus stays the one the brute-force property tests were validated on.
typealias SeededGenerator = SplitMix64

/// Builds a DAG from `from -> to` strings, e.g. `dag("x->y", "c->x", "c->y", latent: ["u"])`.
func dag(_ edges: String..., latent: [String] = [], isolated: [String] = []) throws -> CausalDAG {
  var names: [String] = []
  var seen = Set<String>()
  var pairs: [(from: String, to: String)] = []
  for edge in edges {
    let parts = edge.split(separator: "->").map { $0.trimmingCharacters(in: .whitespaces) }
    precondition(parts.count == 2, "bad edge \(edge)")
    for part in parts where seen.insert(part).inserted { names.append(part) }
    pairs.append((parts[0], parts[1]))
  }
  for name in isolated where seen.insert(name).inserted { names.append(name) }
  let nodes = names.map { CausalDAG.Node(name: $0, isLatent: latent.contains($0)) }
  return try CausalDAG(nodes: nodes, edges: pairs)
}

/// A random DAG on `count` nodes named v0, v1, ...: a random order, each forward pair an edge
/// with probability `density`, each node latent with probability `latentRate`.
func randomDAG(count: Int, density: Double, latentRate: Double, using generator: inout SeededGenerator)
  -> CausalDAG
{
  let order = Array(0..<count).shuffled(using: &generator)
  var edges: [CausalDAG.Edge] = []
  for first in 0..<count {
    for second in (first + 1)..<count where Double.random(in: 0..<1, using: &generator) < density {
      edges.append(CausalDAG.Edge(from: order[first], to: order[second]))
    }
  }
  let nodes = (0..<count).map {
    CausalDAG.Node(name: "v\($0)", isLatent: Double.random(in: 0..<1, using: &generator) < latentRate)
  }
  // Edges go forward in a random order, so construction cannot find a cycle.
  guard let dag = try? CausalDAG(nodes: nodes, edgeIndices: edges) else {
    preconditionFailure("acyclic by construction")
  }
  return dag
}

/// Names of the given node sets, each sorted, as a set of sets for order-free comparison.
func nameSets(_ sets: [[Int]], in dag: CausalDAG) -> Set<[String]> {
  Set(sets.map { $0.map { dag.name(of: $0) }.sorted() })
}
