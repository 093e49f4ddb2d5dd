import CausalGraph
import CausalMMMCore
import Testing

@testable import GraphvizIO

/// The edge set of a DAG as "a->b" strings, for readable assertions.
private func edgeSet(_ dag: CausalDAG) -> Set<String> {
  Set(dag.edges.map { "\(dag.name(of: $0.from))->\(dag.name(of: $0.to))" })
}

private func parse(_ text: String) throws -> CausalDAG {
  try DOTReader.parse(text, fileName: "test.dot")
}

private func parseError(_ text: String) -> LocatedError? {
  do {
    _ = try DOTReader.parse(text, fileName: "test.dot")
    return nil
  } catch {
    return error
  }
}

@Suite("DOT reading through cgraph")
struct DOTReaderTests {
  @Test("an edge chain a -> b -> c yields both edges")
  func edgeChain() throws {
    let dag = try parse("digraph { a -> b -> c }")
    #expect(Set(dag.nodes.map(\.name)) == ["a", "b", "c"])
    #expect(edgeSet(dag) == ["a->b", "b->c"])
  }

  @Test("subgraphs and clusters contribute their nodes and edges to the graph")
  func subgraphsAndClusters() throws {
    let dag = try parse(
      """
      digraph {
        subgraph cluster_media { tv; search; tv -> search }
        subgraph { rank=same; price }
        { tv search } -> sales
        price -> sales
      }
      """)
    #expect(Set(dag.nodes.map(\.name)) == ["tv", "search", "price", "sales"])
    #expect(edgeSet(dag) == ["tv->search", "tv->sales", "search->sales", "price->sales"])
  }

  @Test("attribute lists, comments of all three kinds and semicolons are accepted")
  func attributesAndComments() throws {
    let dag = try parse(
      """
      /* block comment */
      digraph g {
        // line comment
        # preprocessor-style comment
        node [shape=box];
        a [label="A node", color=red]; b;
        a -> b [weight=2, label="effect"];
      }
      """)
    #expect(edgeSet(dag) == ["a->b"])
  }

  @Test("quoted ids with spaces and HTML ids are node names")
  func quotedAndHTMLIds() throws {
    let dag = try parse(#"digraph { "Colombia Sales" -> "Venezuela Sales"; <b> -> "Colombia Sales" }"#)
    #expect(Set(dag.nodes.map(\.name)) == ["Colombia Sales", "Venezuela Sales", "b"])
    #expect(edgeSet(dag) == ["Colombia Sales->Venezuela Sales", "b->Colombia Sales"])
  }

  @Test("strict digraphs merge repeated edges")
  func strictGraph() throws {
    let dag = try parse("strict digraph { a -> b; a -> b; b -> c }")
    #expect(dag.edges.count == 2)
  }

  @Test("repeated edges in a non-strict graph count once in the DAG")
  func repeatedEdges() throws {
    let dag = try parse("digraph { a -> b; a -> b }")
    #expect(edgeSet(dag) == ["a->b"])
  }

  @Test("role and latent attributes are read; exposure is a synonym of treatment")
  func rolesAndLatent() throws {
    let dag = try parse(
      "digraph { x [role=exposure]; y [role=outcome]; u [latent=true]; u -> x; u -> y; x -> y }")
    #expect(dag.nodes(declaring: .treatment).map { dag.name(of: $0) } == ["x"])
    #expect(dag.nodes(declaring: .outcome).map { dag.name(of: $0) } == ["y"])
    #expect(dag.latentNodes.map { dag.name(of: $0) } == ["u"])
  }

  @Test("a bidirected edge becomes an explicit latent common cause")
  func bidirectedEdgeAddsLatent() throws {
    let dag = try parse("digraph { x -> y; x -> y [dir=both] ; m -> y }")
    let latent = dag.latentNodes.map { dag.name(of: $0) }
    #expect(latent == ["U_x_y"])
    #expect(edgeSet(dag) == ["x->y", "U_x_y->x", "U_x_y->y", "m->y"])
  }

  @Test("two dir=both edges between the same pair share one latent node")
  func bidirectedPairSharesLatent() throws {
    let dag = try parse("digraph { a -> b [dir=both]; b -> a [dir=both] }")
    #expect(dag.latentNodes.count == 1)
    #expect(edgeSet(dag) == ["U_a_b->a", "U_a_b->b"])
  }

  @Test("a cycle is reported with its nodes in order")
  func cycleReported() {
    let error = parseError("digraph {\n a -> b\n b -> c\n c -> a\n}")
    #expect(
      error?.message == "the graph has a cycle: a -> b -> c -> a"
        || error?.message == "the graph has a cycle: b -> c -> a -> b"
        || error?.message == "the graph has a cycle: c -> a -> b -> c")
    #expect(error?.line != nil)
  }

  @Test("a self-loop is a cycle of length one")
  func selfLoop() {
    let error = parseError("digraph { a -> a }")
    #expect(error?.message == "the graph has a cycle: a self-loop on 'a'")
  }

  @Test("a syntax error is reported at its line")
  func syntaxErrorLine() {
    let error = parseError("digraph {\n  a -> b\n  b -> c\n  c -> -> d\n}\n")
    #expect(error?.line == 4, "\(String(describing: error))")
    #expect(error?.message.hasPrefix("syntax error") == true)
    #expect(error?.description.hasPrefix("test.dot:4: error: syntax error") == true)
  }

  @Test("line numbers restart for each input: a multi-line read before does not shift them")
  func lineNumbersRestart() throws {
    _ = try parse("digraph {\n\n\n\n a -> b\n\n}\n")
    _ = parseError("digraph {\n\n a -> -> b }")
    _ = try parse("digraph { a -> b }\n\n\n")
    #expect(parseError("digraph {\n  a -> b\n  c -> -> d\n}\n")?.line == 3)
  }

  @Test("an undirected graph is rejected with a message asking for a digraph")
  func undirectedRejected() {
    let error = parseError("graph { a -- b }")
    #expect(error?.message.contains("digraph") == true)
  }

  @Test("empty input and an empty graph are refused")
  func emptyInputs() {
    #expect(parseError("")?.message.contains("empty") == true)
    #expect(parseError("digraph {}")?.message == "the graph has no nodes")
  }

  @Test("an unknown role value is refused with the node named")
  func unknownRole() {
    let error = parseError("digraph {\n a [role=cause]\n a -> b }")
    #expect(error?.message.contains("'a'") == true)
    #expect(error?.line == 2)
  }

  @Test("a byte-order mark and CRLF line ends are accepted")
  func bomAndCRLF() throws {
    let dag = try parse("\u{FEFF}digraph {\r\n a -> b\r\n}\r\n")
    #expect(edgeSet(dag) == ["a->b"])
  }

  @Test("unicode node names are accepted")
  func unicodeNames() throws {
    let dag = try parse("digraph { \"gasto_tele\u{301}visio\u{301}n\" -> ventas; café -> ventas }")
    #expect(dag.nodeCount == 3)
  }

  @Test("parsing from several threads at once gives the same graph (serialised access)")
  func concurrentParsing() async throws {
    let text = "digraph { a -> b -> c; d -> c; e -> a }"
    let expected = try parse(text)
    try await withThrowingTaskGroup(of: CausalDAG.self) { group in
      for _ in 0..<16 { group.addTask { try DOTReader.parse(text, fileName: "t.dot") } }
      for try await dag in group { #expect(dag == expected) }
    }
  }
}
