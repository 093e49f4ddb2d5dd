@testable import CausalGraph

/// The collider test `roles()` used before ColliderSearch, kept as a slow reference: whether
/// some path between X and Y (no interior node in X ∪ Y) collides at a node c, by Menger's
/// theorem two vertex-disjoint paths from X and from Y to two distinct parents of c in the
/// skeleton without c, decided by two unit augmentations of a vertex-split flow network.
struct FlowColliderTest {
  private var network: FlowNetwork
  private let baseCapacity: [Int]
  private let splitEdge: [Int]
  private let sinkEdge: [Int]
  private let parents: [[Int]]
  private let source: Int
  private let sink: Int

  init(problem: AdjustmentProblem) {
    let dag = problem.dag
    let count = dag.nodeCount
    let fromTreatmentHub = 2 * count
    let fromOutcomeHub = fromTreatmentHub + 1
    source = fromOutcomeHub + 1
    sink = source + 1
    parents = dag.parents
    var network = FlowNetwork(vertexCount: sink + 1)
    network.addEdge(source, fromTreatmentHub, capacity: 1)
    network.addEdge(source, fromOutcomeHub, capacity: 1)
    var splitEdge = [Int](repeating: 0, count: count)
    var sinkEdge = [Int](repeating: 0, count: count)
    for vertex in 0..<count {
      splitEdge[vertex] = network.target.count
      network.addEdge(2 * vertex, 2 * vertex + 1, capacity: 1)
      sinkEdge[vertex] = network.target.count
      network.addEdge(2 * vertex + 1, sink, capacity: 0)
      if problem.isTreatment[vertex] { network.addEdge(fromTreatmentHub, 2 * vertex, capacity: 1) }
      if problem.isOutcome[vertex] { network.addEdge(fromOutcomeHub, 2 * vertex, capacity: 1) }
      for neighbour in dag.parents[vertex] + dag.children[vertex]
      where !problem.isTreatment[neighbour] && !problem.isOutcome[neighbour] {
        network.addEdge(2 * vertex + 1, 2 * neighbour, capacity: 1)
      }
    }
    self.network = network
    baseCapacity = network.capacity
    self.splitEdge = splitEdge
    self.sinkEdge = sinkEdge
  }

  /// Whether some path between X and Y collides at `node` (a node outside X ∪ Y).
  mutating func isCollider(_ node: Int) -> Bool {
    network.capacity[splitEdge[node]] = 0
    for parent in parents[node] { network.capacity[sinkEdge[parent]] = 1 }
    let collides = network.minimumCutSide(source: source, sink: sink, limit: 2) == nil
    network.capacity = baseCapacity
    return collides
  }
}
