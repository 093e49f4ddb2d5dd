// Constructing and listing adjustment sets as separators in the moral graph of the proper
// back-door graph's ancestral set (van der Zander, Liśkiewicz & Textor 2019; van der Zander &
// Liśkiewicz 2020). Let I be the required nodes and R the allowed ones. Every set Z with
// I ⊆ Z ⊆ R that is minimal among such sets lies inside A = An(X ∪ Y ∪ I), and there
// d-separation of X and Y by Z equals separation in the moral graph H of A, where the nodes of
// I are deleted and only the nodes of D = R \ I may be used to separate.

extension AdjustmentProblem {
  /// The scope A = An(X ∪ Y ∪ I) in the proper back-door graph.
  func ancestralScope(including required: [Int]) -> [Bool] {
    dag.ancestorMask(of: treatment + outcome + required, filter: properBackdoorFilter)
  }

  /// A minimal separator Z of X and Y in the proper back-door graph with `required` ⊆ Z ⊆
  /// `allowed` ∩ R, minimal among such sets; `nil` when there is none.
  /// - Complexity: O(n + m).
  func findMinimalSeparator(required: [Int], allowed: [Bool]) -> [Int]? {
    if required.contains(where: { !isAllowed[$0] || !allowed[$0] }) { return nil }
    var usable = allowed
    for node in usable.indices { usable[node] = usable[node] && isAllowed[node] }
    return dag.minimalSeparator(
      between: treatment, and: outcome, required: required, allowed: usable, filter: properBackdoorFilter)
  }

  /// One inclusion-minimal adjustment set (containing the required nodes, avoiding the
  /// excluded ones), or `nil` when no adjustment set exists.
  /// - Complexity: O(n + m).
  public func minimalAdjustmentSet() -> [Int]? {
    findMinimalSeparator(required: required, allowed: isAllowed)
  }

  /// The canonical adjustment set Adjust(X, Y) = R ∩ An(X ∪ Y ∪ I): every allowed ancestor of
  /// treatment, outcome and required nodes. It is an adjustment set exactly when one exists
  /// (van der Zander et al. 2019), so `nil` means X's effect on Y is not identifiable by
  /// adjustment under the given restrictions.
  /// - Complexity: O(n + m).
  public func canonicalAdjustmentSet() -> [Int]? {
    if required.contains(where: { !isAllowed[$0] }) { return nil }
    let scope = ancestralScope(including: required)
    let candidate = (0..<dag.nodeCount).filter { scope[$0] && isAllowed[$0] }
    let open = dag.openPath(
      from: treatment, to: outcome, conditioned: mask(candidate, dag.nodeCount), filter: properBackdoorFilter)
    return open == nil ? candidate : nil
  }

  /// Whether some adjustment set exists under the given restrictions.
  public var isIdentifiableByAdjustment: Bool { canonicalAdjustmentSet() != nil }

  /// Every inclusion-minimal adjustment set of observed, non-excluded nodes that contains the
  /// required nodes (minimal among such sets), each ascending, in the order found.
  ///
  /// Backtracking with polynomial delay over the moral graph (Takata 2010, as adapted by van der
  /// Zander et al. 2019): a state (S, Inc) stands for the minimal separators whose X-side
  /// component contains S and which contain Inc. Non-separating neighbours of S are absorbed
  /// into S; the state is feasible iff every node of Inc touches Y's component in H − (S ∪ N(S)),
  /// checked in O(n + m'); a feasible state branches on one neighbour v of S outside Inc
  /// (v joins S, or v joins Inc) and at least one branch is feasible, so every leaf outputs a
  /// distinct set and the delay is O(n (n + m')).
  /// - Parameter limit: stop after this many sets (`nil`: all).
  /// - Returns: `[]` when no adjustment set exists; `[[]]` when the empty set is the only
  ///   minimal one.
  public func minimalAdjustmentSets(limit: Int? = nil) -> [[Int]] {
    if required.contains(where: { !isAllowed[$0] }) { return [] }
    if let limit, limit <= 0 { return [] }
    let scope = ancestralScope(including: required)
    let graph = ExplicitMoralGraph(
      dag: dag, scope: scope, filter: properBackdoorFilter, absent: mask(required, dag.nodeCount))
    let vertexCount = graph.vertexCount
    var isSeparating = [Bool](repeating: false, count: vertexCount)
    var isTarget = [Bool](repeating: false, count: vertexCount)
    for vertex in 0..<vertexCount {
      let node = graph.globalIndex[vertex]
      isSeparating[vertex] = isAllowed[node]
      isTarget[vertex] = isOutcome[node]
    }
    let targets = outcome.map { graph.localIndex[$0] }
    var results: [[Int]] = []
    var stack: [(side: [Int], included: [Int])] = [(treatment.map { graph.localIndex[$0] }, [])]
    var inSide = [Bool](repeating: false, count: vertexCount)
    var visited = [Bool](repeating: false, count: vertexCount)
    var isIncluded = [Bool](repeating: false, count: vertexCount)
    var touchesTarget = [Bool](repeating: false, count: vertexCount)
    var queue: [Int] = []
    while let (side, included) = stack.popLast() {
      // Close S under non-separating neighbours; N(S) = the separating nodes met.
      for vertex in 0..<vertexCount {
        inSide[vertex] = false
        visited[vertex] = false
      }
      queue.removeAll(keepingCapacity: true)
      for vertex in side where !visited[vertex] {
        visited[vertex] = true
        inSide[vertex] = true
        queue.append(vertex)
      }
      var neighbourhood: [Int] = []
      var head = 0
      var reachesTarget = false
      while head < queue.count {
        let vertex = queue[head]
        head += 1
        if isTarget[vertex] { reachesTarget = true }
        for next in graph.neighbours[vertex] where !visited[next] {
          visited[next] = true
          if isSeparating[next] {
            neighbourhood.append(next)
          } else {
            inSide[next] = true
            queue.append(next)
          }
        }
      }
      if reachesTarget { continue }
      let closedSide = Array(queue)
      // Feasibility: every included node must touch Y's component in H − (S ∪ N(S)).
      for vertex in included { isIncluded[vertex] = true }
      defer { for vertex in included { isIncluded[vertex] = false } }
      for vertex in 0..<vertexCount { visited[vertex] = inSide[vertex] }
      for vertex in neighbourhood { visited[vertex] = true }
      var targetQueue: [Int] = []
      for target in targets where !visited[target] {
        visited[target] = true
        targetQueue.append(target)
      }
      head = 0
      while head < targetQueue.count {
        let vertex = targetQueue[head]
        head += 1
        for next in graph.neighbours[vertex] {
          if isIncluded[next] { touchesTarget[next] = true }
          if !visited[next] {
            visited[next] = true
            targetQueue.append(next)
          }
        }
      }
      let touched = included.reduce(0) { $0 + (touchesTarget[$1] ? 1 : 0) }
      for vertex in included { touchesTarget[vertex] = false }
      if touched < included.count { continue }
      guard let branch = neighbourhood.first(where: { !isIncluded[$0] }) else {
        results.append((neighbourhood.map { graph.globalIndex[$0] } + required).sorted())
        if let limit, results.count >= limit { break }
        continue
      }
      stack.append((closedSide, included + [branch]))
      stack.append((closedSide + [branch], included))
    }
    return results
  }

  /// An adjustment set of minimum size (containing the required nodes, avoiding the excluded
  /// ones), or `nil` when none exists: a minimum vertex cut between X and Y in the moral graph,
  /// found by unit augmenting paths (at most |R| + 1 breadth-first searches).
  public func minimumAdjustmentSet() -> [Int]? {
    if required.contains(where: { !isAllowed[$0] }) { return nil }
    let scope = ancestralScope(including: required)
    let graph = ExplicitMoralGraph(
      dag: dag, scope: scope, filter: properBackdoorFilter, absent: mask(required, dag.nodeCount))
    var network = FlowNetwork(vertexCount: 2 * graph.vertexCount + 2)
    let source = 2 * graph.vertexCount
    let sink = source + 1
    let unbounded = graph.vertexCount + 1
    for vertex in 0..<graph.vertexCount {
      let node = graph.globalIndex[vertex]
      network.addEdge(2 * vertex, 2 * vertex + 1, capacity: isAllowed[node] ? 1 : unbounded)
      for next in graph.neighbours[vertex] { network.addEdge(2 * vertex + 1, 2 * next, capacity: unbounded) }
      if isTreatment[node] { network.addEdge(source, 2 * vertex, capacity: unbounded) }
      if isOutcome[node] { network.addEdge(2 * vertex + 1, sink, capacity: unbounded) }
    }
    guard let reachable = network.minimumCutSide(source: source, sink: sink, limit: unbounded) else {
      return nil
    }
    var cut: [Int] = []
    for vertex in 0..<graph.vertexCount where reachable[2 * vertex] && !reachable[2 * vertex + 1] {
      cut.append(graph.globalIndex[vertex])
    }
    return (cut + required).sorted()
  }
}

/// A residual network for unit-augmenting maximum flow.
struct FlowNetwork {
  var head: [Int]
  var next: [Int] = []
  var target: [Int] = []
  var capacity: [Int] = []

  init(vertexCount: Int) { head = [Int](repeating: -1, count: vertexCount) }

  mutating func addEdge(_ from: Int, _ to: Int, capacity forward: Int) {
    target.append(to)
    capacity.append(forward)
    next.append(head[from])
    head[from] = target.count - 1
    target.append(from)
    capacity.append(0)
    next.append(head[to])
    head[to] = target.count - 1
  }

  /// Augments shortest paths until none is left, and returns the vertices reachable from the
  /// source in the residual network (the source side of a minimum cut); `nil` when the flow
  /// reaches `limit` (no finite cut).
  mutating func minimumCutSide(source: Int, sink: Int, limit: Int) -> [Bool]? {
    var flow = 0
    let vertexCount = head.count
    while true {
      var arrivedBy = [Int](repeating: -1, count: vertexCount)
      var reached = [Bool](repeating: false, count: vertexCount)
      reached[source] = true
      var queue = [source]
      var position = 0
      while position < queue.count && !reached[sink] {
        let vertex = queue[position]
        position += 1
        var edge = head[vertex]
        while edge >= 0 {
          let to = target[edge]
          if capacity[edge] > 0 && !reached[to] {
            reached[to] = true
            arrivedBy[to] = edge
            queue.append(to)
          }
          edge = next[edge]
        }
      }
      if !reached[sink] { return reached }
      var bottleneck = Int.max
      var vertex = sink
      while vertex != source {
        let edge = arrivedBy[vertex]
        bottleneck = min(bottleneck, capacity[edge])
        vertex = target[edge ^ 1]
      }
      if bottleneck >= limit { return nil }
      vertex = sink
      while vertex != source {
        let edge = arrivedBy[vertex]
        capacity[edge] -= bottleneck
        capacity[edge ^ 1] += bottleneck
        vertex = target[edge ^ 1]
      }
      flow += bottleneck
      if flow >= limit { return nil }
    }
  }
}

extension CausalDAG {
  /// Node sets as sorted name lists, the list sorted by size and then lexicographically: the
  /// order of the `adjust` JSON contract.
  public func sortedNameSets(_ sets: [[Int]]) -> [[String]] {
    sets.map { sortedNames(of: $0) }.sorted { first, second in
      if first.count != second.count { return first.count < second.count }
      return first.lexicographicallyPrecedes(second)
    }
  }
}
