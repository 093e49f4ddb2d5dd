// Reachability primitives shared by the criteria: ancestors, descendants and the edge filters
// that express the modified graphs of the literature (G with edges out of X removed, the
// proper back-door graph, ...). Everything here is O(n + m) and allocation-light.

/// A set of edges removed from a graph, expressed without copying the graph.
///
/// The edge `u -> v` is removed when `cutTails[u]` is true and, if `cutHeads` is given,
/// `cutHeads[v]` is true as well. With no `cutTails` nothing is removed.
struct EdgeFilter: Sendable {
  var cutTails: [Bool]?
  var cutHeads: [Bool]?

  /// The filter that removes nothing.
  static let none = EdgeFilter(cutTails: nil, cutHeads: nil)

  /// Removes every edge leaving a node of `tails`.
  static func removingOutgoing(of tails: [Int], nodeCount: Int) -> EdgeFilter {
    EdgeFilter(cutTails: mask(tails, nodeCount), cutHeads: nil)
  }

  @inline(__always)
  func removes(_ tail: Int, _ head: Int) -> Bool {
    guard let cutTails, cutTails[tail] else { return false }
    guard let cutHeads else { return true }
    return cutHeads[head]
  }
}

/// A boolean membership mask of `count` entries with `members` set.
@inline(__always)
func mask(_ members: some Sequence<Int>, _ count: Int) -> [Bool] {
  var result = [Bool](repeating: false, count: count)
  for member in members { result[member] = true }
  return result
}

/// The indices set in `mask`, ascending.
@inline(__always)
func members(of mask: [Bool]) -> [Int] {
  var result: [Int] = []
  for index in mask.indices where mask[index] { result.append(index) }
  return result
}

extension CausalDAG {
  /// Marks every node with a directed path (possibly empty) to a node of `targets`, following
  /// only edges the filter keeps; nodes with `barrier[v]` are not walked through (but are marked
  /// when reached).
  func ancestorMask(of targets: some Sequence<Int>, filter: EdgeFilter = .none, barrier: [Bool]? = nil)
    -> [Bool]
  {
    var marked = [Bool](repeating: false, count: nodeCount)
    var stack: [Int] = []
    for target in targets where !marked[target] {
      marked[target] = true
      stack.append(target)
    }
    while let node = stack.popLast() {
      if let barrier, barrier[node] { continue }
      for parent in parents[node] where !marked[parent] && !filter.removes(parent, node) {
        marked[parent] = true
        stack.append(parent)
      }
    }
    return marked
  }

  /// Marks every node with a directed path (possibly empty) from a node of `sources`, following
  /// only edges the filter keeps; nodes with `barrier[v]` are not walked through.
  func descendantMask(of sources: some Sequence<Int>, filter: EdgeFilter = .none, barrier: [Bool]? = nil)
    -> [Bool]
  {
    var marked = [Bool](repeating: false, count: nodeCount)
    var stack: [Int] = []
    for source in sources where !marked[source] {
      marked[source] = true
      stack.append(source)
    }
    while let node = stack.popLast() {
      if let barrier, barrier[node] { continue }
      for child in children[node] where !marked[child] && !filter.removes(node, child) {
        marked[child] = true
        stack.append(child)
      }
    }
    return marked
  }

  /// The ancestors of the given nodes, the nodes themselves included, ascending.
  /// - Complexity: O(n + m).
  public func ancestors(of nodes: [Int]) -> [Int] { members(of: ancestorMask(of: nodes)) }

  /// The descendants of the given nodes, the nodes themselves included, ascending.
  /// - Complexity: O(n + m).
  public func descendants(of nodes: [Int]) -> [Int] { members(of: descendantMask(of: nodes)) }

  /// The indices of the named nodes, in the given order.
  /// - Throws: ``CausalGraphError/unknownNode(_:)`` for a name that is not in the graph.
  public func indices(of names: [String]) throws(CausalGraphError) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(names.count)
    for name in names {
      guard let index = index(of: name) else { throw .unknownNode(name) }
      result.append(index)
    }
    return result
  }

  /// The names of the given nodes, sorted by name.
  public func sortedNames(of nodes: some Sequence<Int>) -> [String] {
    nodes.map { name(of: $0) }.sorted()
  }
}
