import Testing

@testable import CausalGraph

@Suite("CausalDAG construction")
struct CausalDAGTests {
  private func dag(_ edges: [(String, String)], nodes: [String]? = nil) throws(CausalGraphError) -> CausalDAG
  {
    var names: [String] = nodes ?? []
    for (a, b) in edges {
      if !names.contains(a) { names.append(a) }
      if !names.contains(b) { names.append(b) }
    }
    return try CausalDAG(nodes: names.map { CausalDAG.Node(name: $0) }, edges: edges.map { ($0.0, $0.1) })
  }

  @Test("the topological order puts every node after all its parents")
  func topologicalOrder() throws {
    let graph = try dag([("a", "c"), ("b", "c"), ("c", "d"), ("a", "d"), ("e", "a")])
    var position = [Int](repeating: 0, count: graph.nodeCount)
    for (offset, node) in graph.topologicalOrder.enumerated() { position[node] = offset }
    #expect(graph.topologicalOrder.count == graph.nodeCount)
    for edge in graph.edges { #expect(position[edge.from] < position[edge.to]) }
  }

  @Test("parents and children are the two directions of the same edges")
  func adjacency() throws {
    let graph = try dag([("a", "b"), ("a", "c"), ("b", "c")])
    let a = try #require(graph.index(of: "a"))
    let c = try #require(graph.index(of: "c"))
    #expect(graph.children[a].map { graph.name(of: $0) } == ["b", "c"])
    #expect(graph.parents[c].map { graph.name(of: $0) } == ["a", "b"])
  }

  @Test("a cycle of length 10 is reported with exactly its 10 nodes in edge order")
  func longCycle() {
    let names = (0..<10).map { "n\($0)" }
    var edges = (0..<10).map { (names[$0], names[($0 + 1) % 10]) }
    edges.append(("root", "n0"))
    #expect(throws: CausalGraphError.self) { try dag(edges) }
    do {
      _ = try dag(edges)
    } catch {
      guard case .cycle(let cycle) = error else {
        Issue.record("expected a cycle, got \(error)")
        return
      }
      #expect(cycle.count == 10)
      #expect(Set(cycle) == Set(names))
      for (offset, name) in cycle.enumerated() {
        let next = cycle[(offset + 1) % cycle.count]
        #expect(edges.contains { $0.0 == name && $0.1 == next }, "\(name) -> \(next) is an edge")
      }
    }
  }

  @Test("a two-node cycle and a self-loop are cycles")
  func shortCycles() {
    #expect(throws: CausalGraphError.cycle(["a"])) { try dag([("a", "a")]) }
    do {
      _ = try dag([("a", "b"), ("b", "a")])
      Issue.record("expected a cycle")
    } catch {
      if case .cycle(let cycle) = error {
        #expect(Set(cycle) == ["a", "b"])
      } else {
        Issue.record("\(error)")
      }
    }
  }

  @Test("duplicate names, empty names and unknown edge endpoints are refused")
  func invalidInput() {
    #expect(throws: CausalGraphError.duplicateNode("a")) {
      try CausalDAG(nodes: [.init(name: "a"), .init(name: "a")], edges: [])
    }
    #expect(throws: CausalGraphError.emptyNodeName) { try CausalDAG(nodes: [.init(name: "")], edges: []) }
    #expect(throws: CausalGraphError.unknownNode("z")) {
      try CausalDAG(nodes: [.init(name: "a")], edges: [("a", "z")])
    }
  }

  @Test("cycle detection is linear: a 200,000-node chain with a back edge is found")
  func largeCycle() {
    let count = 200_000
    let nodes = (0..<count).map { CausalDAG.Node(name: "v\($0)") }
    var edges = (0..<(count - 1)).map { CausalDAG.Edge(from: $0, to: $0 + 1) }
    edges.append(CausalDAG.Edge(from: count - 1, to: count / 2))
    do {
      _ = try CausalDAG(nodes: nodes, edgeIndices: edges)
      Issue.record("expected a cycle")
    } catch {
      if case .cycle(let cycle) = error {
        #expect(cycle.count == count - count / 2)
      } else {
        Issue.record("\(error)")
      }
    }
  }

  @Test("marking nodes latent keeps the edges and flags only those nodes")
  func markingLatent() throws {
    let graph = try dag([("u", "x"), ("u", "y"), ("x", "y")])
    let marked = try graph.markingLatent(["u"])
    #expect(marked.latentNodes.map { marked.name(of: $0) } == ["u"])
    #expect(marked.edges == graph.edges)
    #expect(throws: CausalGraphError.unknownNode("w")) { try graph.markingLatent(["w"]) }
  }
}
