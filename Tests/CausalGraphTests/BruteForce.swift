import CausalGraph

/// Independent reference implementations by the textbook definitions, on graphs of at most 64
/// nodes: every simple path is listed and checked node by node, every subset is tried.
struct BruteForce {
  let count: Int
  /// `adjacent[v]`: (neighbour, true when the edge points from v to the neighbour).
  var adjacent: [[(Int, Bool)]]
  /// Descendants (self included) as bitmasks, by transitive closure.
  let descendants: [UInt64]
  let isLatent: [Bool]
  let edges: [(Int, Int)]

  init(_ dag: CausalDAG, removing removed: Set<[Int]> = []) {
    count = dag.nodeCount
    var adjacent = [[(Int, Bool)]](repeating: [], count: dag.nodeCount)
    var edges: [(Int, Int)] = []
    for edge in dag.edges where !removed.contains([edge.from, edge.to]) {
      adjacent[edge.from].append((edge.to, true))
      adjacent[edge.to].append((edge.from, false))
      edges.append((edge.from, edge.to))
    }
    self.adjacent = adjacent
    self.edges = edges
    // Transitive closure by repeated relaxation (independent of any traversal order).
    var reach = (0..<dag.nodeCount).map { UInt64(1) << UInt64($0) }
    var changed = true
    while changed {
      changed = false
      for (from, to) in edges where reach[from] | reach[to] != reach[from] {
        reach[from] |= reach[to]
        changed = true
      }
    }
    descendants = reach
    isLatent = dag.nodes.map(\.isLatent)
  }

  /// One simple path as nodes, with the non-collider interior nodes and the collider nodes.
  struct Path {
    var nodes: [Int]
    var nonColliders: UInt64
    var colliders: [Int]
  }

  /// Every simple path between a node of `sources` and a node of `targets` (no interior node in
  /// sources or targets is required; paths may pass through them).
  func paths(from sources: [Int], to targets: [Int]) -> [Path] {
    var result: [Path] = []
    let targetMask = targets.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) }
    for source in sources {
      var path = [source]
      var onPath = UInt64(1) << UInt64(source)
      var arrivedForward: [Bool] = []
      func extend() {
        let last = path[path.count - 1]
        if path.count > 1 && targetMask & (1 << UInt64(last)) != 0 {
          var nonColliders: UInt64 = 0
          var colliders: [Int] = []
          for position in 1..<(path.count - 1) {
            let intoFromLeft = arrivedForward[position - 1]
            let intoFromRight = !arrivedForward[position]
            if intoFromLeft && intoFromRight {
              colliders.append(path[position])
            } else {
              nonColliders |= 1 << UInt64(path[position])
            }
          }
          result.append(Path(nodes: path, nonColliders: nonColliders, colliders: colliders))
        }
        for (next, forward) in adjacent[last] where onPath & (1 << UInt64(next)) == 0 {
          path.append(next)
          arrivedForward.append(forward)
          onPath |= 1 << UInt64(next)
          extend()
          onPath &= ~(1 << UInt64(next))
          arrivedForward.removeLast()
          path.removeLast()
        }
      }
      extend()
    }
    return result
  }

  /// Whether `path` is open given the conditioning set `z` (bitmask).
  func isOpen(_ path: Path, given z: UInt64) -> Bool {
    if path.nonColliders & z != 0 { return false }
    for collider in path.colliders where descendants[collider] & z == 0 { return false }
    return true
  }

  func isDSeparated(_ x: [Int], _ y: [Int], given z: UInt64) -> Bool {
    !paths(from: x, to: y).contains { isOpen($0, given: z) }
  }

  /// Nodes outside X on a directed path from X to Y whose only node in X is the first.
  func properCausalNodes(_ x: [Int], _ y: [Int]) -> UInt64 {
    let xMask = x.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) }
    let yMask = y.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) }
    var result: UInt64 = 0
    for source in x {
      var path = [source]
      func walk() {
        let last = path[path.count - 1]
        if path.count > 1 && yMask & (1 << UInt64(last)) != 0 {
          for node in path.dropFirst() { result |= 1 << UInt64(node) }
        }
        for (next, forward) in adjacent[last] where forward && xMask & (1 << UInt64(next)) == 0 {
          path.append(next)
          walk()
          path.removeLast()
        }
      }
      walk()
    }
    return result
  }
}

/// The adjustment criterion by definition, and every minimal set by trying every subset.
struct BruteForceAdjustment {
  let allowedNodes: [Int]
  let validSets: [UInt64]
  let minimalSets: Set<[Int]>
  let causalNodes: UInt64
  let forbidden: UInt64
  let pathsInBackdoorGraph: [BruteForce.Path]
  let reference: BruteForce
  let outcomeMask: UInt64

  init(dag: CausalDAG, treatment: [Int], outcome: [Int], excluded: [Int] = [], required: [Int] = []) {
    let graph = BruteForce(dag)
    let causal = graph.properCausalNodes(treatment, outcome)
    var forbidden: UInt64 = 0
    for node in 0..<dag.nodeCount where causal & (1 << UInt64(node)) != 0 {
      forbidden |= graph.descendants[node]
    }
    for node in treatment { forbidden |= 1 << UInt64(node) }
    var removed = Set<[Int]>()
    for x in treatment {
      for child in dag.children[x] where causal & (1 << UInt64(child)) != 0 { removed.insert([x, child]) }
    }
    let backdoor = BruteForce(dag, removing: removed)
    let paths = backdoor.paths(from: treatment, to: outcome)
    let allowed = (0..<dag.nodeCount).filter {
      !dag.nodes[$0].isLatent && !treatment.contains($0) && !outcome.contains($0)
        && forbidden & (1 << UInt64($0)) == 0 && !excluded.contains($0)
    }
    var requiredMask: UInt64 = 0
    for node in required { requiredMask |= 1 << UInt64(node) }
    let free = allowed.filter { !required.contains($0) }
    let requiredOK = required.allSatisfy { allowed.contains($0) }
    var valid: [UInt64] = []
    var minimal = Set<[Int]>()
    if requiredOK {
      let subsetCount = 1 << free.count
      var isValid = [Bool](repeating: false, count: subsetCount)
      var hasValidProperSubset = [Bool](repeating: false, count: subsetCount)
      for subset in 0..<subsetCount {
        var z = requiredMask
        for bit in 0..<free.count where subset & (1 << bit) != 0 { z |= 1 << UInt64(free[bit]) }
        isValid[subset] = !paths.contains { backdoor.isOpen($0, given: z) }
        for bit in 0..<free.count where subset & (1 << bit) != 0 {
          let smaller = subset & ~(1 << bit)
          if isValid[smaller] || hasValidProperSubset[smaller] { hasValidProperSubset[subset] = true }
        }
        if isValid[subset] {
          valid.append(z)
          if !hasValidProperSubset[subset] {
            minimal.insert((0..<dag.nodeCount).filter { z & (1 << UInt64($0)) != 0 })
          }
        }
      }
    }
    allowedNodes = allowed
    validSets = valid
    minimalSets = minimal
    causalNodes = causal
    self.forbidden = forbidden
    pathsInBackdoorGraph = paths
    reference = backdoor
    outcomeMask = bitmask(outcome)
  }

  /// Whether `z` satisfies the criterion (no forbidden node, blocks every path in G^pbd).
  func isValid(_ z: [Int], dag: CausalDAG) -> Bool {
    var zMask: UInt64 = 0
    for node in z {
      if dag.nodes[node].isLatent || outcomeMask & (1 << UInt64(node)) != 0
        || forbidden & (1 << UInt64(node)) != 0
      {
        return false
      }
      zMask |= 1 << UInt64(node)
    }
    return !pathsInBackdoorGraph.contains { reference.isOpen($0, given: zMask) }
  }
}

func bitmask(_ nodes: [Int]) -> UInt64 { nodes.reduce(0) { $0 | (1 << UInt64($1)) } }
