/// A directed acyclic graph of named variables: the causal structure every other module reads.
///
/// `CausalDAG` is an immutable value type. Nodes are addressed by a dense integer index
/// (`0..<nodeCount`) for the algorithms and by name for users. Construction checks that
/// names are unique and non-empty, that every edge names a known node, and that the graph
/// has no directed cycle; the topological order is computed once at construction.
public struct CausalDAG: Sendable, Hashable {
  /// One variable of the graph.
  public struct Node: Sendable, Hashable {
    /// The variable's name, as written in the DOT file or the data's column header.
    public let name: String
    /// Whether the variable is unobserved (declared `latent=true`, or added for a bidirected edge).
    public let isLatent: Bool
    /// The role the file declares for this node (`role=treatment|exposure|outcome`), if any.
    public let declaredRole: DeclaredRole?

    /// Creates a node description.
    public init(name: String, isLatent: Bool = false, declaredRole: DeclaredRole? = nil) {
      self.name = name
      self.isLatent = isLatent
      self.declaredRole = declaredRole
    }
  }

  /// The role a DOT file may declare for a node.
  public enum DeclaredRole: String, Sendable, Hashable, CaseIterable {
    case treatment
    case outcome
  }

  /// A directed edge `from -> to`, by node index.
  public struct Edge: Sendable, Hashable, Comparable {
    /// The tail (cause).
    public let from: Int
    /// The head (effect).
    public let to: Int

    /// Creates an edge between two node indices.
    public init(from: Int, to: Int) {
      self.from = from
      self.to = to
    }

    public static func < (lhs: Edge, rhs: Edge) -> Bool {
      (lhs.from, lhs.to) < (rhs.from, rhs.to)
    }
  }

  /// The nodes, in declaration order.
  public let nodes: [Node]
  /// The distinct directed edges, sorted by (from, to).
  public let edges: [Edge]
  /// `children[v]`: the heads of the edges leaving `v`, ascending.
  public let children: [[Int]]
  /// `parents[v]`: the tails of the edges entering `v`, ascending.
  public let parents: [[Int]]
  /// Every node index once, each after all of its parents.
  public let topologicalOrder: [Int]
  /// Attributes a file attached to directed edges (e.g. DOT's `transform="linear"`), by edge; edges
  /// without attributes are absent. The graph algorithms ignore them; the structural MMM reads them.
  public var edgeAttributes: [Edge: [String: String]] = [:]

  private let indexByName: [String: Int]

  /// Builds a DAG from node descriptions and edges given by node name.
  ///
  /// Duplicate edges are merged. A self-loop is a cycle of length one.
  /// - Parameters:
  ///   - nodes: the nodes; names must be unique and non-empty.
  ///   - edges: `(from, to)` pairs of node names.
  /// - Throws: ``CausalGraphError`` for an empty or duplicate name, an unknown node, or a cycle
  ///   (reported with the cycle's node names in order).
  /// - Complexity: O(n + m) expected.
  public init(nodes: [Node], edges: [(from: String, to: String)]) throws(CausalGraphError) {
    var indexByName: [String: Int] = [:]
    indexByName.reserveCapacity(nodes.count)
    for (index, node) in nodes.enumerated() {
      if node.name.isEmpty { throw .emptyNodeName }
      if indexByName.updateValue(index, forKey: node.name) != nil {
        throw .duplicateNode(node.name)
      }
    }
    var edgeSet = Set<Edge>()
    edgeSet.reserveCapacity(edges.count)
    for (from, to) in edges {
      guard let tail = indexByName[from] else { throw .unknownNode(from) }
      guard let head = indexByName[to] else { throw .unknownNode(to) }
      edgeSet.insert(Edge(from: tail, to: head))
    }
    try self.init(validatedNodes: nodes, indexByName: indexByName, edges: edgeSet.sorted())
  }

  /// Builds a DAG from node descriptions and edges given by node index.
  /// - Throws: ``CausalGraphError`` for an empty or duplicate name, an index out of range, or a cycle.
  /// - Complexity: O(n + m log m).
  public init(nodes: [Node], edgeIndices: [Edge]) throws(CausalGraphError) {
    var indexByName: [String: Int] = [:]
    indexByName.reserveCapacity(nodes.count)
    for (index, node) in nodes.enumerated() {
      if node.name.isEmpty { throw .emptyNodeName }
      if indexByName.updateValue(index, forKey: node.name) != nil {
        throw .duplicateNode(node.name)
      }
    }
    for edge in edgeIndices where !nodes.indices.contains(edge.from) || !nodes.indices.contains(edge.to) {
      throw .unknownNode("#\(nodes.indices.contains(edge.from) ? edge.to : edge.from)")
    }
    try self.init(
      validatedNodes: nodes, indexByName: indexByName, edges: Array(Set(edgeIndices)).sorted())
  }

  private init(validatedNodes nodes: [Node], indexByName: [String: Int], edges: [Edge])
    throws(CausalGraphError)
  {
    var children = [[Int]](repeating: [], count: nodes.count)
    var parents = [[Int]](repeating: [], count: nodes.count)
    for edge in edges {
      children[edge.from].append(edge.to)
      parents[edge.to].append(edge.from)
    }
    let order = Self.kahnOrder(children: children, parents: parents)
    if order.count < nodes.count {
      let cycle = Self.findCycle(parents: parents, placed: order, count: nodes.count)
      throw .cycle(cycle.map { nodes[$0].name })
    }
    self.nodes = nodes
    self.edges = edges
    self.children = children
    self.parents = parents
    self.topologicalOrder = order
    self.indexByName = indexByName
  }

  /// The number of nodes.
  public var nodeCount: Int { nodes.count }

  /// The index of the node called `name`, or `nil` when there is none.
  public func index(of name: String) -> Int? { indexByName[name] }

  /// The name of node `index`.
  public func name(of index: Int) -> String { nodes[index].name }

  /// The attributes of the edge `from -> to` (empty when it has none or does not exist).
  public func attributes(from: Int, to: Int) -> [String: String] {
    edgeAttributes[Edge(from: from, to: to)] ?? [:]
  }

  /// The indices of the latent (unobserved) nodes, ascending.
  public var latentNodes: [Int] { nodes.indices.filter { nodes[$0].isLatent } }

  /// The indices of the nodes that declare `role`, ascending.
  public func nodes(declaring role: DeclaredRole) -> [Int] {
    nodes.indices.filter { nodes[$0].declaredRole == role }
  }

  /// A copy of the graph in which the named nodes are marked latent (in addition to those already latent).
  /// - Throws: ``CausalGraphError/unknownNode(_:)`` for a name that is not in the graph.
  public func markingLatent(_ names: [String]) throws(CausalGraphError) -> CausalDAG {
    var newNodes = nodes
    for name in names {
      guard let index = indexByName[name] else { throw .unknownNode(name) }
      newNodes[index] = Node(name: name, isLatent: true, declaredRole: nodes[index].declaredRole)
    }
    var marked = try CausalDAG(nodes: newNodes, edgeIndices: edges)
    marked.edgeAttributes = edgeAttributes
    return marked
  }

  // Kahn's algorithm; returns fewer than n nodes when there is a cycle.
  private static func kahnOrder(children: [[Int]], parents: [[Int]]) -> [Int] {
    var remainingParents = parents.map(\.count)
    var order: [Int] = []
    order.reserveCapacity(parents.count)
    for node in parents.indices where remainingParents[node] == 0 { order.append(node) }
    var head = 0
    while head < order.count {
      let node = order[head]
      head += 1
      for child in children[node] {
        remainingParents[child] -= 1
        if remainingParents[child] == 0 { order.append(child) }
      }
    }
    return order
  }

  // Every node Kahn could not place has a parent that could not be placed either, so
  // walking parents from any unplaced node must revisit a node: that loop is a cycle.
  private static func findCycle(parents: [[Int]], placed: [Int], count: Int) -> [Int] {
    var isPlaced = [Bool](repeating: false, count: count)
    for node in placed { isPlaced[node] = true }
    guard var current = isPlaced.firstIndex(of: false) else { return [] }
    var positionInWalk = [Int](repeating: -1, count: count)
    var walk: [Int] = []
    while positionInWalk[current] < 0 {
      positionInWalk[current] = walk.count
      walk.append(current)
      guard let next = parents[current].first(where: { !isPlaced[$0] }) else { break }
      current = next
    }
    // The walk follows edges backwards; reverse the loop so it reads in edge direction.
    let loop = walk[positionInWalk[current]...]
    return Array(loop.reversed())
  }
}

/// Why a graph or a query on it is invalid.
public enum CausalGraphError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A node has an empty name.
  case emptyNodeName
  /// Two nodes share a name.
  case duplicateNode(String)
  /// A name that is not a node of the graph.
  case unknownNode(String)
  /// A directed cycle, its node names in edge order (the first node follows the last).
  case cycle([String])
  /// A query whose treatment and outcome sets overlap.
  case treatmentIsOutcome(String)
  /// A query that needs an observed node but was given a latent one.
  case latentNode(String, role: String)
  /// A query with an empty treatment or outcome set.
  case emptyQuery(String)

  public var description: String {
    switch self {
    case .emptyNodeName: return "a node has an empty name"
    case .duplicateNode(let name): return "duplicate node '\(name)'"
    case .unknownNode(let name): return "unknown node '\(name)'"
    case .cycle(let names):
      if names.count == 1 { return "the graph has a cycle: a self-loop on '\(names[0])'" }
      return "the graph has a cycle: " + (names + [names[0]]).joined(separator: " -> ")
    case .treatmentIsOutcome(let name): return "'\(name)' is both treatment and outcome"
    case .latentNode(let name, let role): return "the \(role) '\(name)' is latent (unobserved)"
    case .emptyQuery(let what): return "no \(what) given"
    }
  }
}
