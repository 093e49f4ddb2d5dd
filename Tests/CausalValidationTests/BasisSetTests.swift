import CausalGraph
import CausalMMMCore
import Inference
import Testing

@testable import CausalValidation

@Suite("The basis set equals DAGitty's local Markov list, by brute force")
struct BasisSetTests {
  @Test("on 300 random DAGs of 2-8 nodes the statements equal the transitive-closure construction")
  func matchesBruteForce() {
    var rng = Xoshiro256StarStar(seed: 15)
    for _ in 0..<300 {
      let count = 2 + Int(rng.next() % 7)
      let graph = randomDAG(count: count, density: rng.nextUniform(), latentRate: 0.2, using: &rng)
      // Reachability by Warshall's algorithm on the adjacency matrix.
      var reach = (0..<count).map { i in (0..<count).map { graph.children[i].contains($0) } }
      for k in 0..<count {
        for i in 0..<count where reach[i][k] {
          for j in 0..<count where reach[k][j] { reach[i][j] = true }
        }
      }
      var expected: [LocalMarkovStatement] = []
      for v in 0..<count {
        let separated = (0..<count).filter { $0 != v && !reach[v][$0] && !graph.parents[v].contains($0) }
        if !separated.isEmpty {
          expected.append(
            LocalMarkovStatement(node: v, separated: separated, given: graph.parents[v].sorted()))
        }
      }
      #expect(graph.basisSetIndependencies() == expected)
    }
  }

  @Test("every pair of the basis set is d-separated by the parents (moralised ancestral graph)")
  func pairsAreDSeparated() {
    var rng = Xoshiro256StarStar(seed: 16)
    for _ in 0..<200 {
      let count = 2 + Int(rng.next() % 7)
      let graph = randomDAG(count: count, density: rng.nextUniform(), latentRate: 0, using: &rng)
      for pair in graph.basisSetIndependencies().flatMap(\.pairs) {
        #expect(moralSeparated(graph, pair.node, pair.other, given: pair.given))
      }
    }
  }

  @Test("DAGitty's mediation example: Y _||_ Z | I, X")
  func dagittyExample() throws {
    // DAGitty's test suite (test/test/testable-implications.js, example "Small model with mediator",
    // adjacency "Z X I / X I Y / I Y"), whose listBasisImplications is asserted to be "Y _||_ Z | I, X".
    let graph = try dag("Z -> X", "Z -> I", "X -> I", "X -> Y", "I -> Y")
    let statements = graph.basisSetIndependencies()
    let named = statements.flatMap(\.pairs).map {
      "\(graph.name(of: $0.node)) _||_ \(graph.name(of: $0.other)) | \(graph.sortedNames(of: $0.given).joined(separator: ", "))"
    }
    #expect(named == ["Y _||_ Z | I, X"])
  }

  // Lauritzen's criterion: X ⊥ Y | Z iff Z separates X and Y in the moral graph of An(X ∪ Y ∪ Z).
  func moralSeparated(_ graph: CausalDAG, _ x: Int, _ y: Int, given z: [Int]) -> Bool {
    var ancestral = Set([x, y] + z)
    var stack = Array(ancestral)
    while let node = stack.popLast() {
      for parent in graph.parents[node] where ancestral.insert(parent).inserted { stack.append(parent) }
    }
    var adjacent = [Int: Set<Int>]()
    for node in ancestral {
      let parents = graph.parents[node]
      for parent in parents {
        adjacent[node, default: []].insert(parent)
        adjacent[parent, default: []].insert(node)
      }
      for a in parents {
        for b in parents where a != b { adjacent[a, default: []].insert(b) }
      }
    }
    let blocked = Set(z)
    var seen: Set = [x]
    stack = [x]
    while let node = stack.popLast() {
      if node == y { return false }
      for next in adjacent[node, default: []] where !blocked.contains(next) && seen.insert(next).inserted {
        stack.append(next)
      }
    }
    return true
  }
}
