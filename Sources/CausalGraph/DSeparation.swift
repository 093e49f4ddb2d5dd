// d-separation by reachability over (node, direction) states ("Bayes-ball", Shachter 1998;
// Koller & Friedman's algorithm 3.1). A state is a node together with the side the walk
// arrived from: from a child (travelling up) or from a parent (travelling down).
//   up at v, v not in Z:   continue to every parent (up) and every child (down)
//   down at v, v not in Z: continue to every child (down)
//   down at v, v in An(Z): the collider is open; continue to every parent (up)
// Each state is visited once, so a query costs O(n + m).

/// The outcome of a reachability sweep: the nodes reached by an open walk, and the predecessor
/// of every visited state so that one open walk can be recovered.
struct BayesBallSweep {
  var reached: [Bool]
  var hitState: Int
  var predecessor: [Int32]
}

extension CausalDAG {
  /// Sweeps from `sources` along walks that are open given `conditioned`, in the graph without
  /// the edges `filter` removes. Stops at the first node with `stopAt[v]` when given.
  func bayesBall(
    from sources: [Int], conditioned: [Bool], filter: EdgeFilter = .none, stopAt: [Bool]? = nil
  ) -> BayesBallSweep {
    let count = nodeCount
    let conditionedAncestors = ancestorMask(of: members(of: conditioned), filter: filter)
    var predecessor = [Int32](repeating: -2, count: 2 * count)
    var reached = [Bool](repeating: false, count: count)
    var isSource = [Bool](repeating: false, count: count)
    var queue: [Int] = []
    queue.reserveCapacity(2 * count)
    for source in sources where predecessor[2 * source] == -2 {
      isSource[source] = true
      predecessor[2 * source] = -1
      queue.append(2 * source)
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      let node = state >> 1
      let arrivedFromParent = state & 1 == 1
      let blocked = conditioned[node] && !isSource[node]
      if !blocked {
        reached[node] = true
        if let stopAt, stopAt[node], !isSource[node] {
          return BayesBallSweep(reached: reached, hitState: state, predecessor: predecessor)
        }
      }
      if !blocked {
        for child in children[node] where !filter.removes(node, child) {
          let next = 2 * child + 1
          if predecessor[next] == -2 {
            predecessor[next] = Int32(state)
            queue.append(next)
          }
        }
      }
      let goesUp = arrivedFromParent ? conditionedAncestors[node] : !blocked
      if goesUp {
        for parent in parents[node] where !filter.removes(parent, node) {
          let next = 2 * parent
          if predecessor[next] == -2 {
            predecessor[next] = Int32(state)
            queue.append(next)
          }
        }
      }
    }
    return BayesBallSweep(reached: reached, hitState: -1, predecessor: predecessor)
  }

  /// One path between `sources` and `targets` that is open given `conditioned` in the filtered
  /// graph, as node indices from a source to a target; `nil` when they are d-separated.
  func openPath(
    from sources: [Int], to targets: [Int], conditioned: [Bool], filter: EdgeFilter = .none
  ) -> [Int]? {
    let targetMask = mask(targets, nodeCount)
    let sweep = bayesBall(from: sources, conditioned: conditioned, filter: filter, stopAt: targetMask)
    guard sweep.hitState >= 0 else { return nil }
    var walk: [Int] = []
    var state = sweep.hitState
    while state >= 0 {
      walk.append(state >> 1)
      state = Int(sweep.predecessor[state])
    }
    walk.reverse()
    return simplePath(fromOpenWalk: walk, sources: mask(sources, nodeCount))
  }

  // An open walk becomes an open path by cutting every loop from a node's first to its last
  // occurrence: the state in which the walk first reaches a node allows every continuation the
  // later visit takes (a walk that goes down from v and comes back up must have turned at an
  // open collider below v, so v is an ancestor of the conditioning set). A walk may also pass
  // another source; the path then starts at the last source on the walk.
  private func simplePath(fromOpenWalk walk: [Int], sources: [Bool]) -> [Int] {
    var start = 0
    for (position, node) in walk.enumerated() where sources[node] { start = position }
    var lastPosition: [Int: Int] = [:]
    for position in start..<walk.count { lastPosition[walk[position]] = position }
    var path: [Int] = []
    var position = start
    while position < walk.count {
      let node = walk[position]
      path.append(node)
      position = (lastPosition[node] ?? position) + 1
    }
    return path
  }

  /// Whether every path between a node of `x` and a node of `y` is blocked by `z`.
  ///
  /// A path is blocked when it has a non-collider in `z` or a collider that is neither in `z`
  /// nor an ancestor of a node in `z`.
  /// - Parameters:
  ///   - x: node indices; should be disjoint from `z`.
  ///   - y: node indices; should be disjoint from `z`.
  ///   - z: the conditioning set.
  /// - Complexity: O(n + m).
  public func isDSeparated(_ x: [Int], _ y: [Int], given z: [Int]) -> Bool {
    openPath(from: x, to: y, conditioned: mask(z, nodeCount)) == nil
  }

  /// One path between `x` and `y` that `z` leaves open, as node indices from a node of `x` to a
  /// node of `y`; `nil` when `z` d-separates them.
  /// - Complexity: O(n + m).
  public func openPath(from x: [Int], to y: [Int], given z: [Int]) -> [Int]? {
    openPath(from: x, to: y, conditioned: mask(z, nodeCount))
  }

  /// Every node d-connected to a node of `x` given `z` (nodes of `z` excluded, `x` included).
  /// - Complexity: O(n + m).
  public func dConnectedNodes(to x: [Int], given z: [Int]) -> [Int] {
    members(of: bayesBall(from: x, conditioned: mask(z, nodeCount)).reached)
  }

  /// Renders a path with its edge directions, e.g. `x <- c -> y`.
  public func describe(path: [Int]) -> String {
    guard let first = path.first else { return "" }
    var text = name(of: first)
    for (tail, head) in zip(path, path.dropFirst()) {
      text += children[tail].contains(head) ? " -> " : " <- "
      text += name(of: head)
    }
    return text
  }
}
