import Foundation
import Testing

@testable import CausalGraph

@Suite("The linear-time collider search agrees with one max-flow per node")
struct ColliderSearchPropertyTests {
  /// 3,000 graphs by default; `CAUSALMMM_GRAPH_SEEDS=N` runs N (scripts/graph-property-sweep.sh).
  static let seeds: [UInt64] = {
    let requested = ProcessInfo.processInfo.environment["CAUSALMMM_GRAPH_SEEDS"].flatMap { UInt64($0) }
    return Array(1...max(3_000, requested ?? 0))
  }()

  @Test("colliders on paths between X and Y equal the max-flow reference on sparse DAGs of 6-80 nodes")
  func collidersMatchFlowReference() throws {
    var decided = 0
    var colliders = 0
    var separated = 0
    for seed in Self.seeds {
      var generator = SeededGenerator(seed: seed &+ 0xC011_1DE5)
      let count = Int.random(in: 6...80, using: &generator)
      // Average degree 2-5: sparse enough for many separation pairs (the hard cases).
      let degree = Double.random(in: 2...5, using: &generator)
      let graph = randomDAG(
        count: count, density: min(1, degree / Double(count - 1)), latentRate: 0.15, using: &generator)
      var nodes = Array(0..<count).filter { !graph.nodes[$0].isLatent }.shuffled(using: &generator)
      guard nodes.count >= 2 else { continue }
      var treatment = [nodes.removeLast()]
      var outcome = [nodes.removeLast()]
      let shape = Int.random(in: 0..<6, using: &generator)
      if shape == 0, let extra = nodes.popLast() { treatment.append(extra) }
      if shape == 1, let extra = nodes.popLast() { outcome.append(extra) }
      let problem = try AdjustmentProblem(dag: graph, treatment: treatment, outcome: outcome)
      var candidates = [Bool](repeating: false, count: count)
      for node in 0..<count where !problem.isTreatment[node] && !problem.isOutcome[node] {
        candidates[node] = true
      }
      let fast = problem.collidersOnPaths(candidates: candidates)
      var reference = FlowColliderTest(problem: problem)
      for node in 0..<count where candidates[node] {
        let expected = graph.parents[node].count >= 2 && reference.isCollider(node)
        #expect(fast[node] == expected, "seed \(seed), node v\(node): fast \(fast[node]), flow \(expected)")
        decided += 1
        if expected { colliders += 1 } else if graph.parents[node].count >= 2 { separated += 1 }
      }
    }
    #expect(decided > 50_000 && colliders > 10_000 && separated > 5_000)
  }
}
