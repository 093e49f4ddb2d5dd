// Separation in the moral graph of an ancestral set. For Z inside An(X ∪ Y ∪ I) with I ⊆ Z,
// Z d-separates X and Y exactly when Z separates them in the moral graph of An(X ∪ Y ∪ I)
// (Lauritzen et al. 1990); the adjustment-set algorithms of van der Zander, Liśkiewicz &
// Textor work in that undirected graph.

/// How a node takes part in a search of the moral graph.
enum MoralNodeKind: UInt8 {
  /// The search walks through the node.
  case passable = 0
  /// The search stops at the node and reports it as part of the boundary.
  case blocked = 1
  /// The node is deleted from the graph (its parents stay married).
  case absent = 2
}

/// The moral graph of the ancestral set `scope` of a filtered DAG, searched without building it:
/// the neighbours of v are its parents, its children and its children's other parents. Each
/// child's parent list is expanded at most once per search, so a search costs O(n + m).
struct ImplicitMoralGraph {
  let dag: CausalDAG
  let scope: [Bool]
  let filter: EdgeFilter

  /// The component of `sources` among passable nodes, and the blocked nodes adjacent to it
  /// (ascending). Sources are walked through whatever their kind.
  func component(from sources: [Int], kinds: [MoralNodeKind]) -> (component: [Bool], boundary: [Int]) {
    let count = dag.nodeCount
    var visited = [Bool](repeating: false, count: count)
    var inComponent = [Bool](repeating: false, count: count)
    var marriedChild = [Bool](repeating: false, count: count)
    var boundary: [Int] = []
    var stack: [Int] = []
    for source in sources where !visited[source] {
      visited[source] = true
      inComponent[source] = true
      stack.append(source)
    }
    while let node = stack.popLast() {
      for parent in dag.parents[node] where scope[parent] && !filter.removes(parent, node) {
        Self.reach(parent, kinds, &visited, &inComponent, &boundary, &stack)
      }
      for child in dag.children[node] where scope[child] && !filter.removes(node, child) {
        Self.reach(child, kinds, &visited, &inComponent, &boundary, &stack)
        if !marriedChild[child] {
          marriedChild[child] = true
          for spouse in dag.parents[child] where !filter.removes(spouse, child) {
            Self.reach(spouse, kinds, &visited, &inComponent, &boundary, &stack)
          }
        }
      }
    }
    return (inComponent, boundary.sorted())
  }

  // A static function with inout state rather than a closure over it: no boxed captures and no
  // dynamic exclusivity checks in the innermost loop.
  @inline(__always)
  private static func reach(
    _ node: Int, _ kinds: [MoralNodeKind], _ visited: inout [Bool], _ inComponent: inout [Bool],
    _ boundary: inout [Int], _ stack: inout [Int]
  ) {
    if visited[node] { return }
    visited[node] = true
    switch kinds[node] {
    case .passable:
      inComponent[node] = true
      stack.append(node)
    case .blocked: boundary.append(node)
    case .absent: break
    }
  }
}

/// The moral graph of an ancestral set, built explicitly over local indices; used where an
/// algorithm revisits the graph many times (enumeration, minimum cuts).
struct ExplicitMoralGraph {
  /// `globalIndex[local]`: the DAG node of each local vertex.
  let globalIndex: [Int]
  /// `localIndex[global]`: the local vertex of a DAG node, -1 outside the graph.
  let localIndex: [Int]
  /// Sorted, duplicate-free neighbour lists by local vertex.
  let neighbours: [[Int]]

  /// Builds the moral graph of the nodes in `scope` (an ancestral set of the filtered DAG),
  /// leaving out the nodes with `absent[v]` (their parents stay married).
  init(dag: CausalDAG, scope: [Bool], filter: EdgeFilter, absent: [Bool]) {
    var globalIndex: [Int] = []
    var localIndex = [Int](repeating: -1, count: dag.nodeCount)
    for node in 0..<dag.nodeCount where scope[node] && !absent[node] {
      localIndex[node] = globalIndex.count
      globalIndex.append(node)
    }
    var neighbours = [[Int]](repeating: [], count: globalIndex.count)
    for node in 0..<dag.nodeCount where scope[node] {
      var keptParents: [Int] = []
      for parent in dag.parents[node] where !filter.removes(parent, node) && localIndex[parent] >= 0 {
        keptParents.append(localIndex[parent])
      }
      let head = localIndex[node]
      if head >= 0 {
        for parent in keptParents {
          neighbours[head].append(parent)
          neighbours[parent].append(head)
        }
      }
      if keptParents.count > 1 {
        for first in 0..<keptParents.count {
          for second in (first + 1)..<keptParents.count {
            neighbours[keptParents[first]].append(keptParents[second])
            neighbours[keptParents[second]].append(keptParents[first])
          }
        }
      }
    }
    for vertex in neighbours.indices {
      var list = neighbours[vertex]
      list.sort()
      var unique: [Int] = []
      unique.reserveCapacity(list.count)
      for neighbour in list where unique.last != neighbour { unique.append(neighbour) }
      list = unique
      neighbours[vertex] = list
    }
    self.globalIndex = globalIndex
    self.localIndex = localIndex
    self.neighbours = neighbours
  }

  var vertexCount: Int { globalIndex.count }
}

extension CausalDAG {
  /// A d-separator Z of `x` and `y` in the filtered graph with `required` ⊆ Z ⊆ `allowed` ∪
  /// `required`, minimal among such sets (van der Zander & Liśkiewicz 2020): in the moral graph of
  /// An(x ∪ y ∪ required), with the required nodes deleted, take the allowed nodes next to x's
  /// component when all allowed nodes are removed, then those of them next to y's component.
  /// `nil` when no such separator exists. `allowed` must exclude `x` and `y`.
  /// - Complexity: O(n + m).
  func minimalSeparator(
    between x: [Int], and y: [Int], required: [Int], allowed: [Bool], filter: EdgeFilter
  ) -> [Int]? {
    let count = nodeCount
    let scope = ancestorMask(of: x + y + required, filter: filter)
    let isRequired = mask(required, count)
    let graph = ImplicitMoralGraph(dag: self, scope: scope, filter: filter)
    var kinds = [MoralNodeKind](repeating: .passable, count: count)
    for node in 0..<count {
      if isRequired[node] {
        kinds[node] = .absent
      } else if scope[node] && allowed[node] {
        kinds[node] = .blocked
      }
    }
    let fromX = graph.component(from: x, kinds: kinds)
    if y.contains(where: { fromX.component[$0] }) { return nil }
    for node in 0..<count where kinds[node] == .blocked { kinds[node] = .passable }
    for node in fromX.boundary { kinds[node] = .blocked }
    let fromY = graph.component(from: y, kinds: kinds)
    return (fromY.boundary + required).sorted()
  }

  /// A d-separator of `x` and `y` made of nodes from `allowed` (minimal: no proper subset
  /// separates), or `nil` when the allowed nodes cannot separate them.
  /// - Complexity: O(n + m).
  public func minimalDSeparator(between x: [Int], and y: [Int], allowed: [Int]) -> [Int]? {
    var usable = mask(allowed, nodeCount)
    for node in x + y { usable[node] = false }
    return minimalSeparator(between: x, and: y, required: [], allowed: usable, filter: .none)
  }
}
