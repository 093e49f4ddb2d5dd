import CausalGraph

// The basis set of a DAG's conditional independencies as DAGitty lists it
// (`impliedConditionalIndependencies(type = "basis.set")`, GraphAnalyzer.listBasisImplications):
// for every node v whose non-descendants include nodes other than its parents,
//     v ⊥ (V \ De(v) \ Pa(v)) | Pa(v),
// the local Markov property. DAGitty forms the statements over every node, latent or not, and
// never filters them; latent nodes are handled here one step later, when a statement is split into
// the pairwise tests that the data can run (`LocalMarkovStatement.pairs`).

/// One local Markov statement `node ⊥ separated | parents(node)`.
public struct LocalMarkovStatement: Sendable, Hashable {
  /// The node v.
  public let node: Int
  /// Its non-descendants other than its parents, ascending (never empty).
  public let separated: [Int]
  /// Its parents, ascending: the conditioning set.
  public let given: [Int]

  /// The statement split into one conditional independence per separated node, in `separated` order.
  public var pairs: [ConditionalIndependencePair] {
    separated.map { ConditionalIndependencePair(node: node, other: $0, given: given) }
  }
}

/// A pairwise conditional independence `node ⊥ other | given`, as one test on the data runs it.
///
/// Unlike ``ConditionalIndependence`` the pair is ordered: `node` is the variable whose parents form
/// `given` (for a basis-set statement) or the later one in topological order.
public struct ConditionalIndependencePair: Sendable, Hashable {
  /// The first variable.
  public let node: Int
  /// The second variable.
  public let other: Int
  /// The conditioning set, ascending.
  public let given: [Int]

  /// Creates a pair.
  public init(node: Int, other: Int, given: [Int]) {
    self.node = node
    self.other = other
    self.given = given
  }

  /// Every variable the pair involves.
  public var variables: [Int] { [node, other] + given }
}

extension CausalDAG {
  /// The basis set of implied conditional independencies (the local Markov property), one statement
  /// per node that has a non-descendant other than its parents, nodes in declaration order.
  /// Latent nodes are included, as DAGitty includes them.
  /// - Complexity: O(n (n + m)).
  public func basisSetIndependencies() -> [LocalMarkovStatement] {
    var statements: [LocalMarkovStatement] = []
    for node in nodes.indices {
      var isDescendant = [Bool](repeating: false, count: nodeCount)
      isDescendant[node] = true
      var stack = [node]
      while let current = stack.popLast() {
        for child in children[current] where !isDescendant[child] {
          isDescendant[child] = true
          stack.append(child)
        }
      }
      let parentSet = Set(parents[node])
      let separated = nodes.indices.filter { !isDescendant[$0] && !parentSet.contains($0) }
      if !separated.isEmpty {
        statements.append(LocalMarkovStatement(node: node, separated: separated, given: parents[node]))
      }
    }
    return statements
  }

  /// Whether adding the edge `from -> to` keeps the graph acyclic (`to` is not an ancestor of `from`)
  /// and the edge is new.
  public func canAddEdge(from: Int, to: Int) -> Bool {
    if from == to || children[from].contains(to) { return false }
    var seen = [Bool](repeating: false, count: nodeCount)
    var stack = [to]
    seen[to] = true
    while let current = stack.popLast() {
      if current == from { return false }
      for child in children[current] where !seen[child] {
        seen[child] = true
        stack.append(child)
      }
    }
    return true
  }
}
