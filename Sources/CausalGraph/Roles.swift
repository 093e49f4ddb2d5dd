// The role each observed variable plays for the effect of X on Y, for explanations:
//   mediators               on a causal path X -> ... -> Y (never adjust: removes part of the effect)
//   descendants of X        caused by X but not on a causal path (never adjust: may open paths)
//   confounders             common causes: ancestors of X with a directed path to Y avoiding X
//   colliders               not caused by X, and a collider on some path between X and Y
//                           (adjusting for it, without blocking that path elsewhere, opens it)
//   instruments             see Instruments.swift
//   precision variables     parents of Y not caused by X and d-separated from X

/// The observed variables grouped by their role for a treatment/outcome pair (by node index,
/// each list ascending). A variable can have more than one role (e.g. confounder and collider).
public struct CausalRoles: Sendable, Hashable {
  /// Common causes of treatment and outcome.
  public let confounders: [Int]
  /// Variables on a causal path from treatment to outcome.
  public let mediators: [Int]
  /// Variables, not caused by the treatment, on which a path between treatment and outcome collides.
  public let colliders: [Int]
  /// Variables caused by the treatment that are not mediators.
  public let descendantsOfTreatment: [Int]
  /// Conditional instruments, with their conditioning sets.
  public let instruments: [ConditionalInstrument]
  /// Causes of the outcome unrelated to the treatment: adjusting for them sharpens estimates.
  public let precision: [Int]
  /// Unobserved common causes of treatment and outcome (they cannot be adjusted for).
  public let latentConfounders: [Int]
}

extension AdjustmentProblem {
  /// The role of every observed variable for this query.
  /// - Complexity: O(c (n + m)) for c nodes with two or more parents, plus ``instruments()``.
  public func roles() -> CausalRoles {
    let count = dag.nodeCount
    let observed = (0..<count).filter { !dag.nodes[$0].isLatent && !isTreatment[$0] && !isOutcome[$0] }
    let downstream = dag.descendantMask(of: treatment)
    let mediators = observed.filter { isCausal[$0] }
    let descendants = observed.filter { downstream[$0] && !isCausal[$0] }
    let ancestorsOfTreatment = dag.ancestorMask(of: treatment)
    let reachesOutcome = dag.ancestorMask(of: outcome, avoiding: isTreatment)
    let isConfounder = { (node: Int) in
      !downstream[node] && ancestorsOfTreatment[node] && reachesOutcome[node]
    }
    let confounders = observed.filter(isConfounder)
    let latentConfounders = dag.latentNodes.filter(isConfounder)
    var colliderTest = ColliderTest(problem: self)
    let colliders = observed.filter {
      !downstream[$0] && dag.parents[$0].count >= 2 && colliderTest.isCollider($0)
    }
    let none = [Bool](repeating: false, count: count)
    let connectedToTreatment = dag.bayesBall(from: treatment, conditioned: none).reached
    var precision: [Int] = []
    for node in Set(outcome.flatMap { dag.parents[$0] }).sorted()
    where !dag.nodes[node].isLatent && !isTreatment[node] && !downstream[node] && !connectedToTreatment[node]
    {
      precision.append(node)
    }
    return CausalRoles(
      confounders: confounders, mediators: mediators, colliders: colliders,
      descendantsOfTreatment: descendants, instruments: instruments(), precision: precision,
      latentConfounders: latentConfounders)
  }

}

// Whether some path between X and Y (no interior node in X ∪ Y) collides at a node c: by Menger's
// theorem, whether two vertex-disjoint paths lead from X and from Y to two distinct parents of c in
// the skeleton without c. Two unit augmentations of a vertex-split flow network decide it in
// O(n + m). The network is built once for all candidates: each query closes c's vertex, opens the
// sink edges of c's parents, and restores the capacities afterwards.
private struct ColliderTest {
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

  /// Whether some path between X and Y collides at `node`.
  mutating func isCollider(_ node: Int) -> Bool {
    network.capacity[splitEdge[node]] = 0
    for parent in parents[node] { network.capacity[sinkEdge[parent]] = 1 }
    let collides = network.minimumCutSide(source: source, sink: sink, limit: 2) == nil
    network.capacity = baseCapacity
    return collides
  }
}
