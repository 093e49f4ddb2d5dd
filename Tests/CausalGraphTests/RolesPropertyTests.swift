import Testing

@testable import CausalGraph

@Suite("Roles agree with their definitions on random DAGs")
struct RolesPropertyTests {
  @Test("colliders, mediators, confounders and precision variables match path listings")
  func rolesMatchDefinitions() throws {
    var checked = 0
    var colliderCount = 0
    for seed in UInt64(1)...600 {
      guard let query = RandomQuery(seed: seed + 123_000), query.treatment.count == 1,
        query.outcome.count == 1
      else { continue }
      let graph = query.dag
      let x = query.treatment[0]
      let y = query.outcome[0]
      let reference = BruteForce(graph)
      let observed = (0..<graph.nodeCount).filter { !graph.nodes[$0].isLatent && $0 != x && $0 != y }
      let fromX = reference.descendants[x]
      func isDescendantOfX(_ node: Int) -> Bool { fromX & (1 << UInt64(node)) != 0 }
      // Colliders: not caused by X, collider on some simple path between X and Y.
      var colliders = Set<Int>()
      for path in reference.paths(from: [x], to: [y]) {
        for node in path.colliders where !graph.nodes[node].isLatent && !isDescendantOfX(node) {
          colliders.insert(node)
        }
      }
      // Mediators: interior nodes of directed paths X -> ... -> Y.
      let causal = reference.properCausalNodes([x], [y])
      let mediators = observed.filter { causal & (1 << UInt64($0)) != 0 }
      // Confounders: ancestors of X with a directed path to Y that avoids X.
      let withoutX = BruteForce(
        graph, removing: Set(graph.parents[x].map { [$0, x] } + graph.children[x].map { [x, $0] }))
      let confounders = observed.filter {
        reference.descendants[$0] & (1 << UInt64(x)) != 0 && withoutX.descendants[$0] & (1 << UInt64(y)) != 0
      }
      // Precision: parents of Y, not caused by X, d-separated from X given nothing.
      let precision = observed.filter {
        graph.parents[y].contains($0) && !isDescendantOfX($0) && reference.isDSeparated([$0], [x], given: 0)
      }
      let roles = try query.problem.roles()
      #expect(Set(roles.colliders) == colliders, "seed \(seed)")
      #expect(roles.mediators == mediators, "seed \(seed)")
      #expect(roles.confounders == confounders, "seed \(seed)")
      #expect(roles.precision == precision, "seed \(seed)")
      #expect(
        Set(roles.descendantsOfTreatment)
          == Set(observed.filter { isDescendantOfX($0) && !mediators.contains($0) }))
      checked += 1
      colliderCount += colliders.count
    }
    #expect(checked > 400 && colliderCount > 100)
  }
}
