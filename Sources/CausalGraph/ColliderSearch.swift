// Which nodes are colliders on some simple path between X and Y (no interior node in X ∪ Y),
// for all nodes at once, in O((n + m) log n).
//
// Contract X to one vertex s and Y to one vertex t in the skeleton, and add a vertex r adjacent
// to s and t only. A node c outside X ∪ Y collides on such a path exactly when two paths lead
// from r to two distinct parents of c, disjoint but for r and avoiding c (s…p1 -> c <- p2…t):
// by Menger's theorem, when no single vertex v ∉ {r, c} separates the parents of c (other than
// v) from r once c is removed. Every such c lies in B, the biconnected component of r (a cut
// vertex between r and c would separate it), and only its parents inside B count (the others
// hang off c). Take a depth-first tree of B rooted at r: its non-tree edges join an ancestor to
// a descendant, so a separating v is an ancestor or a descendant of c (Hopcroft & Tarjan 1973,
// for separation pairs), and removing {c, v} splits B into the part above the upper of the
// two, which holds r, the tree part between them (Mid) and the subtrees below the lower one,
// glued together by back edges. With depths in the tree, targets(T) the depths the back edges
// of a subtree T reach, and h = depth(c):
//   v = the ancestor at depth j (1 <= j < h) separates iff no parent of c lies above j, no
//     child subtree of c holding a parent reaches above j, and either the parents other than v
//     sit in child subtrees of c whose targets below h are exactly {j}, or the Mid part and the
//     child subtrees glued to it reach nothing above j: j avoids every interval (σ_l, l) of a
//     tree vertex at depth l in (j, h), σ_l the highest its own back edges and its side subtrees
//     reach, and every interval (low(e), high(e)) of a child e of c (it would join Mid to the top).
//     One sweep down the tree keeps the path intervals in a segment tree over depths.
//   v a descendant of c separates only when every parent of c lies in one child subtree T(d)
//     and none above c; then either the parents other than v lie in child subtrees of v whose
//     targets above v are exactly {h} (v on the path from d to the parents' lowest common
//     ancestor), or v is an ancestor of ε, the lowest common ancestor of the exits of T(d) (its
//     vertices with a back edge above c), the child subtrees of v with an exit reach nothing in
//     (h, depth(v)) and hold no parent: answered with binary lifting.

extension AdjustmentProblem {
  /// Whether some path between X and Y (no interior node in X ∪ Y) collides at each node; only
  /// the nodes with `candidates[v]` (outside X ∪ Y) are decided, the others are `false`.
  /// - Complexity: O((n + m) log n).
  func collidersOnPaths(candidates: [Bool]) -> [Bool] {
    var search = ColliderSearch(problem: self)
    return search.colliders(candidates: candidates)
  }
}

/// The skeleton with X and Y contracted, its block around the virtual root and the depth-first
/// quantities the collider characterisation reads (see the file header).
private struct ColliderSearch {
  let problem: AdjustmentProblem
  let nodeCount: Int
  let sourceVertex: Int
  let sinkVertex: Int
  let root: Int
  let vertexCount: Int
  // The contracted skeleton in compressed rows.
  var rowStart: [Int] = []
  var neighbour: [Int] = []

  init(problem: AdjustmentProblem) {
    self.problem = problem
    nodeCount = problem.dag.nodeCount
    sourceVertex = nodeCount
    sinkVertex = nodeCount + 1
    root = nodeCount + 2
    vertexCount = nodeCount + 3
    buildSkeleton()
  }

  /// The skeleton vertex of a DAG node: X and Y are contracted.
  @inline(__always)
  func vertex(_ node: Int) -> Int {
    problem.isTreatment[node] ? sourceVertex : problem.isOutcome[node] ? sinkVertex : node
  }

  // Undirected, without loops or parallel edges; r is joined to s and t; edges inside X, inside
  // Y and between X and Y are dropped (no path of interest uses them).
  private mutating func buildSkeleton() {
    var pairs: [(Int, Int)] = [(root, sourceVertex), (root, sinkVertex)]
    pairs.reserveCapacity(problem.dag.edges.count + 2)
    var seenWithSource = [Bool](repeating: false, count: vertexCount)
    var seenWithSink = [Bool](repeating: false, count: vertexCount)
    for edge in problem.dag.edges {
      var first = vertex(edge.from)
      var second = vertex(edge.to)
      if first == second { continue }
      if first > second { swap(&first, &second) }
      if first >= nodeCount { continue }  // both in X ∪ Y
      if second == sourceVertex {
        if seenWithSource[first] { continue }
        seenWithSource[first] = true
      } else if second == sinkVertex {
        if seenWithSink[first] { continue }
        seenWithSink[first] = true
      }
      pairs.append((first, second))
    }
    var degree = [Int](repeating: 0, count: vertexCount + 1)
    for (first, second) in pairs {
      degree[first + 1] += 1
      degree[second + 1] += 1
    }
    for vertex in 0..<vertexCount { degree[vertex + 1] += degree[vertex] }
    rowStart = degree
    var fill = degree
    neighbour = [Int](repeating: 0, count: 2 * pairs.count)
    for (first, second) in pairs {
      neighbour[fill[first]] = second
      fill[first] += 1
      neighbour[fill[second]] = first
      fill[second] += 1
    }
  }

  /// The vertices of the biconnected component that holds r (empty when X and Y are not
  /// connected), from one depth-first search and the articulation criterion low(z) < depth(w).
  private func rootBlock() -> [Bool] {
    var depth = [Int](repeating: -1, count: vertexCount)
    var low = [Int](repeating: 0, count: vertexCount)
    var parent = [Int](repeating: -1, count: vertexCount)
    var cursor = rowStart
    var preorder: [Int] = []
    preorder.reserveCapacity(vertexCount)
    var stack = [root]
    depth[root] = 0
    preorder.append(root)
    var rootChildren = 0
    while let vertex = stack.last {
      if cursor[vertex] < rowStart[vertex + 1] {
        let next = neighbour[cursor[vertex]]
        cursor[vertex] += 1
        if depth[next] < 0 {
          depth[next] = depth[vertex] + 1
          low[next] = depth[next]
          parent[next] = vertex
          if vertex == root { rootChildren += 1 }
          preorder.append(next)
          stack.append(next)
        } else if next != parent[vertex] {
          low[vertex] = min(low[vertex], depth[next])
        }
      } else {
        stack.removeLast()
        let up = parent[vertex]
        if up >= 0 { low[up] = min(low[up], low[vertex]) }
      }
    }
    var inBlock = [Bool](repeating: false, count: vertexCount)
    guard depth[sinkVertex] >= 0, rootChildren == 1 else { return inBlock }
    inBlock[root] = true
    for vertex in preorder.dropFirst() {
      let up = parent[vertex]
      inBlock[vertex] = inBlock[up] && (up == root || low[vertex] < depth[up])
    }
    return inBlock
  }

  /// Whether each candidate node is a collider on some path between X and Y (see the header).
  mutating func colliders(candidates: [Bool]) -> [Bool] {
    var result = [Bool](repeating: false, count: nodeCount)
    let inBlock = rootBlock()
    guard inBlock[root] else { return result }
    var tree = BlockTree(search: self, inBlock: inBlock)
    var parentStamp = [Int](repeating: -1, count: vertexCount)
    var parentsInBlock: [[Int]] = Array(repeating: [], count: nodeCount)
    var anyCandidate = false
    for node in 0..<nodeCount where candidates[node] && inBlock[node] {
      var list: [Int] = []
      for parent in problem.dag.parents[node] {
        let mapped = vertex(parent)
        if inBlock[mapped] && parentStamp[mapped] != node {
          parentStamp[mapped] = node
          list.append(mapped)
        }
      }
      if list.count >= 2 {
        parentsInBlock[node] = list
        anyCandidate = true
      }
    }
    guard anyCandidate else { return result }
    tree.decide(parents: parentsInBlock, into: &result)
    return result
  }
}

/// A depth-first tree of r's block (2-connected), with low points, the intervals of the file
/// header and binary lifting.
private struct BlockTree {
  let vertexCount: Int
  var parent: [Int] = []
  var depth: [Int] = []
  var preorderIndex: [Int] = []
  var order: [Int] = []
  var subtreeSize: [Int] = []
  var childStart: [Int] = []
  var childList: [Int] = []
  /// The smallest depth the back edges of the vertex itself reach (Int.max when none).
  var ownLowest: [Int] = []
  /// The smallest and second smallest distinct depths the back edges of the subtree reach.
  var low1: [Int] = []
  var low2: [Int] = []
  /// The largest depth below depth(parent) the back edges of the subtree reach (-1 when none).
  var high: [Int] = []
  /// The lowest and second lowest `low1` among the children, and the child with the lowest.
  var childLow1: [Int] = []
  var childLow2: [Int] = []
  var childLowest: [Int] = []
  /// The nearest ancestor-or-self e with low2(e) >= depth(e) - 1, or -1.
  var nearestIsolable: [Int] = []
  var levels = 1
  var ancestor: [Int] = []
  var highMinimum: [Int] = []
  var exitTree = MinimumTree(values: [])
  var coverage = CoverageTree(size: 1)
  let root: Int

  init(search: ColliderSearch, inBlock: [Bool]) {
    let count = search.vertexCount
    vertexCount = count
    root = search.root
    var parent = [Int](repeating: -1, count: count)
    var depth = [Int](repeating: -1, count: count)
    var preorderIndex = [Int](repeating: -1, count: count)
    var subtreeSize = [Int](repeating: 1, count: count)
    var ownLowest = [Int](repeating: Int.max, count: count)
    var low1 = [Int](repeating: Int.max, count: count)
    var low2 = [Int](repeating: Int.max, count: count)
    var high = [Int](repeating: -1, count: count)
    var childLow1 = [Int](repeating: Int.max, count: count)
    var childLow2 = [Int](repeating: Int.max, count: count)
    var childLowest = [Int](repeating: -1, count: count)
    var nearestIsolable = [Int](repeating: -1, count: count)
    // Everything is built in locals (array writes through `self` check uniqueness each time)
    // and stored at the end. Depth-first search of the block:
    var order: [Int] = []
    order.reserveCapacity(count)
    var cursor = search.rowStart
    var stack = [root]
    depth[root] = 0
    preorderIndex[root] = 0
    order.append(root)
    while let vertex = stack.last {
      if cursor[vertex] < search.rowStart[vertex + 1] {
        let next = search.neighbour[cursor[vertex]]
        cursor[vertex] += 1
        guard inBlock[next] else { continue }
        if depth[next] < 0 {
          depth[next] = depth[vertex] + 1
          parent[next] = vertex
          preorderIndex[next] = order.count
          order.append(next)
          stack.append(next)
        }
      } else {
        stack.removeLast()
        if parent[vertex] >= 0 { subtreeSize[parent[vertex]] += subtreeSize[vertex] }
      }
    }
    // Children in preorder, and back edges (to ancestors: depth smaller, not the tree parent).
    var childCount = [Int](repeating: 0, count: count + 1)
    for vertex in order.dropFirst() { childCount[parent[vertex] + 1] += 1 }
    for vertex in 0..<count { childCount[vertex + 1] += childCount[vertex] }
    let childStart = childCount
    var fill = childCount
    var childList = [Int](repeating: 0, count: max(0, order.count - 1))
    for vertex in order.dropFirst() {
      childList[fill[parent[vertex]]] = vertex
      fill[parent[vertex]] += 1
    }
    // Back-edge tails bucketed by target depth (a counting sort, flat).
    var bucketStart = [Int](repeating: 0, count: order.count + 1)
    var backEdgeTails: [Int] = []
    var backEdgeTargets: [Int] = []
    for vertex in order {
      var first = Int.max
      var second = Int.max
      for index in search.rowStart[vertex]..<search.rowStart[vertex + 1] {
        let next = search.neighbour[index]
        guard inBlock[next], next != parent[vertex], depth[next] < depth[vertex] else { continue }
        let target = depth[next]
        backEdgeTails.append(vertex)
        backEdgeTargets.append(target)
        bucketStart[target + 1] += 1
        if target < first {
          second = first
          first = target
        } else if target != first && target < second {
          second = target
        }
      }
      ownLowest[vertex] = first
      low1[vertex] = first
      low2[vertex] = second
    }
    for vertex in order.reversed() {
      let up = parent[vertex]
      guard up >= 0 else { continue }
      (low1[up], low2[up]) = Self.twoSmallest(low1[up], low2[up], low1[vertex], low2[vertex])
      if low1[vertex] < childLow1[up] {
        childLow2[up] = childLow1[up]
        childLow1[up] = low1[vertex]
        childLowest[up] = vertex
      } else if low1[vertex] < childLow2[up] {
        childLow2[up] = low1[vertex]
      }
    }
    // high(e): back edges by decreasing target depth, each assigning its depth to the unassigned
    // ancestors e of its tail with depth(e) >= target + 2 (a union-find skips assigned ones).
    for target in 0..<order.count { bucketStart[target + 1] += bucketStart[target] }
    var bucketFill = bucketStart
    var tailsByTarget = [Int](repeating: 0, count: backEdgeTails.count)
    for (tail, target) in zip(backEdgeTails, backEdgeTargets) {
      tailsByTarget[bucketFill[target]] = tail
      bucketFill[target] += 1
    }
    var nextUnassigned = Array(0..<count)
    for target in stride(from: order.count - 1, through: 0, by: -1) {
      for tail in tailsByTarget[bucketStart[target]..<bucketStart[target + 1]] {
        var vertex = Self.find(tail, in: &nextUnassigned)
        while vertex >= 0 && depth[vertex] >= target + 2 {
          high[vertex] = target
          nextUnassigned[vertex] = parent[vertex]
          vertex = Self.find(parent[vertex], in: &nextUnassigned)
        }
      }
    }
    for vertex in order {
      let isolable = vertex != root && low2[vertex] >= depth[vertex] - 1
      nearestIsolable[vertex] = isolable ? vertex : parent[vertex] >= 0 ? nearestIsolable[parent[vertex]] : -1
    }
    // Binary lifting: ancestors and the minimum of `high` over 2^k vertices going up.
    var maxDepth = 0
    for vertex in order { maxDepth = max(maxDepth, depth[vertex]) }
    var levels = 1
    while 1 << levels <= maxDepth + 1 { levels += 1 }
    // Built in locals (array writes through `self` would check uniqueness each time).
    var ancestorTable = [Int](repeating: -1, count: levels * count)
    var highTable = [Int](repeating: Int.max, count: levels * count)
    for vertex in order {
      ancestorTable[vertex] = parent[vertex]
      highTable[vertex] = high[vertex]
    }
    for level in 1..<levels {
      let base = level * count
      let previous = (level - 1) * count
      for vertex in order {
        let middle = ancestorTable[previous + vertex]
        if middle >= 0 {
          ancestorTable[base + vertex] = ancestorTable[previous + middle]
          highTable[base + vertex] = min(highTable[previous + vertex], highTable[previous + middle])
        }
      }
    }
    self.parent = parent
    self.depth = depth
    self.preorderIndex = preorderIndex
    self.order = order
    self.subtreeSize = subtreeSize
    self.childStart = childStart
    self.childList = childList
    self.ownLowest = ownLowest
    self.low1 = low1
    self.low2 = low2
    self.high = high
    self.childLow1 = childLow1
    self.childLow2 = childLow2
    self.childLowest = childLowest
    self.nearestIsolable = nearestIsolable
    self.levels = levels
    ancestor = ancestorTable
    highMinimum = highTable
    var exitValues: [Int] = []
    exitValues.reserveCapacity(order.count)
    for vertex in order { exitValues.append(ownLowest[vertex]) }
    exitTree = MinimumTree(values: exitValues)
    coverage = CoverageTree(size: maxDepth + 1)
  }

  /// The representative of `vertex` in a union-find whose roots point to themselves (-1 stays -1).
  private static func find(_ vertex: Int, in next: inout [Int]) -> Int {
    var current = vertex
    while current >= 0 && next[current] != current { current = next[current] }
    var walk = vertex
    while walk >= 0 && walk != current {
      let following = next[walk]
      next[walk] = current
      walk = following
    }
    return current
  }

  private static func twoSmallest(_ a1: Int, _ a2: Int, _ b1: Int, _ b2: Int) -> (Int, Int) {
    var first = a1
    var second = a2
    for value in [b1, b2] {
      if value < first {
        if first != value { second = first }
        first = value
      } else if value != first && value < second {
        second = value
      }
    }
    return (first, second)
  }

  @inline(__always)
  func isAncestor(_ upper: Int, of lower: Int) -> Bool {
    preorderIndex[upper] <= preorderIndex[lower]
      && preorderIndex[lower] < preorderIndex[upper] + subtreeSize[upper]
  }

  /// The ancestor of `vertex` at depth `target` (<= depth(vertex)).
  func ancestor(of vertex: Int, atDepth target: Int) -> Int {
    var current = vertex
    var steps = depth[vertex] - target
    var level = 0
    while steps > 0 {
      if steps & 1 == 1 { current = ancestor[level * vertexCount + current] }
      steps >>= 1
      level += 1
    }
    return current
  }

  func lowestCommonAncestor(_ first: Int, _ second: Int) -> Int {
    var a = first
    var b = second
    if depth[a] < depth[b] { swap(&a, &b) }
    a = ancestor(of: a, atDepth: depth[b])
    if a == b { return a }
    for level in stride(from: levels - 1, through: 0, by: -1) {
      let upA = ancestor[level * vertexCount + a]
      let upB = ancestor[level * vertexCount + b]
      if upA != upB {
        a = upA
        b = upB
      }
    }
    return parent[a]
  }

  /// The minimum of `high` over `vertex` and its `count - 1` nearest ancestors.
  func minimumHigh(from vertex: Int, count: Int) -> Int {
    var current = vertex
    var steps = count
    var level = 0
    var result = Int.max
    while steps > 0 && current >= 0 {
      if steps & 1 == 1 {
        result = min(result, highMinimum[level * vertexCount + current])
        current = ancestor[level * vertexCount + current]
      }
      steps >>= 1
      level += 1
    }
    return result
  }

  /// σ of `vertex` with its child `child` on the path: the smallest depth its own back edges
  /// and its other child subtrees reach.
  @inline(__always)
  func sigma(_ vertex: Int, excluding child: Int) -> Int {
    min(ownLowest[vertex], childLowest[vertex] == child ? childLow2[vertex] : childLow1[vertex])
  }

  /// Decides every node with a parent list (two or more parents in the block) in one sweep
  /// down the tree, the coverage tree holding the intervals (σ_l, l) of the path above it.
  mutating func decide(parents: [[Int]], into result: inout [Bool]) {
    var stack: [(vertex: Int, next: Int)] = [(root, childStart[root])]
    while let top = stack.last {
      let vertex = top.vertex
      if top.next < childStart[vertex + 1] {
        stack[stack.count - 1].next += 1
        let child = childList[top.next]
        let reach = sigma(vertex, excluding: child)
        if reach < depth[vertex] - 1 { coverage.add(reach + 1, depth[vertex] - 1, 1) }
        if child < parents.count && !parents[child].isEmpty {
          result[child] =
            !separatedByAncestor(child, parents: parents[child])
            && !separatedByDescendant(child, parents: parents[child])
        }
        stack.append((child, childStart[child]))
      } else {
        stack.removeLast()
        let up = parent[vertex]
        if up >= 0 {
          let reach = sigma(up, excluding: vertex)
          if reach < depth[up] - 1 { coverage.add(reach + 1, depth[up] - 1, -1) }
        }
      }
    }
  }

  /// Whether an ancestor of `collider` separates its `parents` from the root once it is removed;
  /// call from `sweep` only.
  mutating func separatedByAncestor(_ collider: Int, parents: [Int]) -> Bool {
    let height = depth[collider]
    var highestUp = Int.max
    var lowestUp = -1
    var parentChildren: [Int] = []
    for parent in parents {
      if depth[parent] < height {
        highestUp = min(highestUp, depth[parent])
        lowestUp = max(lowestUp, depth[parent])
      } else {
        let child = ancestor(of: parent, atDepth: height + 1)
        if !parentChildren.contains(child) { parentChildren.append(child) }
      }
    }
    var limit = highestUp
    for child in parentChildren { limit = min(limit, low1[child]) }
    guard limit >= 1 else { return false }
    // Every parent but v in a child subtree that meets only v above the collider.
    if lowestUp <= limit && parentChildren.allSatisfy({ high[$0] <= limit }) { return true }
    // Mid and the subtrees glued to it sealed from above some depth j in [1, limit].
    var added: [(Int, Int)] = []
    for index in childStart[collider]..<childStart[collider + 1] {
      let child = childList[index]
      guard low1[child] < high[child] - 1 else { continue }
      let lower = low1[child] + 1
      let upper = high[child] - 1
      coverage.add(lower, upper, 1)
      added.append((lower, upper))
    }
    let sealed = coverage.minimum(1, limit) == 0
    for (lower, upper) in added { coverage.add(lower, upper, -1) }
    return sealed
  }

  /// Whether a descendant of `collider` separates its `parents` from the root once it is removed.
  func separatedByDescendant(_ collider: Int, parents: [Int]) -> Bool {
    let height = depth[collider]
    guard let first = parents.first, depth[first] > height else { return false }
    let top = ancestor(of: first, atDepth: height + 1)
    for parent in parents where depth[parent] <= height || !isAncestor(top, of: parent) { return false }
    // v on the path from top to the parents' lowest common ancestor, the parents in child
    // subtrees of v whose targets above v are exactly {height}.
    var lowest = first
    for parent in parents.dropFirst() { lowest = lowestCommonAncestor(lowest, parent) }
    let isolable = nearestIsolable[lowest]
    if isolable >= 0 && depth[isolable] >= height + 2 && low1[isolable] == height { return true }
    var allIsolated = true
    for parent in parents where parent != lowest {
      let child = ancestor(of: parent, atDepth: depth[lowest] + 1)
      if low1[child] != height || low2[child] < depth[lowest] {
        allIsolated = false
        break
      }
    }
    if allIsolated { return true }
    // v an ancestor of ε, the lowest common ancestor of the exits of T(top).
    let start = preorderIndex[top]
    let end = start + subtreeSize[top]
    guard let firstExit = exitTree.first(below: height, in: start..<end),
      let lastExit = exitTree.last(below: height, in: start..<end)
    else { return false }
    let epsilon = lowestCommonAncestor(order[firstExit], order[lastExit])
    var deepestMeeting = 0
    for parent in parents {
      deepestMeeting = max(deepestMeeting, depth[lowestCommonAncestor(parent, epsilon)])
    }
    let shallowest = max(deepestMeeting + 1, height + 2)
    if shallowest <= depth[epsilon]
      && minimumHigh(from: epsilon, count: depth[epsilon] - shallowest + 1) <= height
    {
      return true
    }
    for index in childStart[epsilon]..<childStart[epsilon + 1] {
      let child = childList[index]
      guard low1[child] < height else { continue }
      if high[child] > height || parents.contains(where: { isAncestor(child, of: $0) }) { return false }
    }
    return true
  }
}

/// Range minimum over fixed values, answering the first and last position below a bound.
private struct MinimumTree {
  private var size = 1
  private var minimum: [Int]

  init(values: [Int]) {
    while size < values.count { size <<= 1 }
    minimum = [Int](repeating: Int.max, count: 2 * size)
    for (index, value) in values.enumerated() { minimum[size + index] = value }
    for node in stride(from: size - 1, through: 1, by: -1) {
      minimum[node] = min(minimum[2 * node], minimum[2 * node + 1])
    }
  }

  /// The first position in `range` whose value is below `bound`.
  func first(below bound: Int, in range: Range<Int>) -> Int? {
    search(node: 1, span: 0..<size, range: range, bound: bound, fromLeft: true)
  }

  /// The last position in `range` whose value is below `bound`.
  func last(below bound: Int, in range: Range<Int>) -> Int? {
    search(node: 1, span: 0..<size, range: range, bound: bound, fromLeft: false)
  }

  private func search(node: Int, span: Range<Int>, range: Range<Int>, bound: Int, fromLeft: Bool) -> Int? {
    if span.upperBound <= range.lowerBound || range.upperBound <= span.lowerBound { return nil }
    if minimum[node] >= bound { return nil }
    if span.count == 1 { return span.lowerBound }
    let middle = (span.lowerBound + span.upperBound) / 2
    let left = (2 * node, span.lowerBound..<middle)
    let right = (2 * node + 1, middle..<span.upperBound)
    let (firstHalf, secondHalf) = fromLeft ? (left, right) : (right, left)
    if let found = search(
      node: firstHalf.0, span: firstHalf.1, range: range, bound: bound, fromLeft: fromLeft)
    {
      return found
    }
    return search(node: secondHalf.0, span: secondHalf.1, range: range, bound: bound, fromLeft: fromLeft)
  }
}

/// Counts over positions 0..<size with range additions and range minima, bottom-up without
/// propagation: each node keeps the additions covering it whole (`added`) and the minimum of
/// its span including them; a query adds the additions of the chosen nodes' ancestors.
private struct CoverageTree {
  private var size = 1
  private var added: [Int]
  private var minimum: [Int]

  init(size count: Int) {
    while size < count { size <<= 1 }
    added = [Int](repeating: 0, count: 2 * size)
    minimum = [Int](repeating: 0, count: 2 * size)
    // Positions past the end never count as uncovered.
    for index in count..<size { minimum[size + index] = Int.max / 2 }
    for node in stride(from: size - 1, through: 1, by: -1) {
      minimum[node] = min(minimum[2 * node], minimum[2 * node + 1])
    }
  }

  /// Adds `amount` to the positions lower...upper.
  mutating func add(_ lower: Int, _ upper: Int, _ amount: Int) {
    var low = lower + size
    var high = min(upper, size - 1) + size + 1
    guard low < high else { return }
    let first = low
    let last = high - 1
    while low < high {
      if low & 1 == 1 {
        added[low] += amount
        minimum[low] += amount
        low += 1
      }
      if high & 1 == 1 {
        high -= 1
        added[high] += amount
        minimum[high] += amount
      }
      low >>= 1
      high >>= 1
    }
    rebuild(above: first)
    rebuild(above: last)
  }

  private mutating func rebuild(above leaf: Int) {
    var node = leaf >> 1
    while node >= 1 {
      minimum[node] = min(minimum[2 * node], minimum[2 * node + 1]) + added[node]
      node >>= 1
    }
  }

  /// The minimum over the positions lower...upper.
  func minimum(_ lower: Int, _ upper: Int) -> Int {
    var low = lower + size
    var high = min(upper, size - 1) + size + 1
    var result = Int.max / 2
    while low < high {
      if low & 1 == 1 {
        result = min(result, minimum[low] + ancestorsAdded(low))
        low += 1
      }
      if high & 1 == 1 {
        high -= 1
        result = min(result, minimum[high] + ancestorsAdded(high))
      }
      low >>= 1
      high >>= 1
    }
    return result
  }

  private func ancestorsAdded(_ node: Int) -> Int {
    var total = 0
    var current = node >> 1
    while current >= 1 {
      total += added[current]
      current >>= 1
    }
    return total
  }
}
