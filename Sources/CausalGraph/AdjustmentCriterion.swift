// The generalized adjustment criterion for DAGs (Shpitser, VanderWeele & Robins 2010; van der
// Zander, Liśkiewicz & Textor 2014, 2019):
//   PCP(X,Y)  = nodes outside X on a proper causal path (a directed path X -> ... -> Y whose
//               only node in X is the first) = (De(X) \ X) ∩ {v : v reaches Y avoiding X};
//   Forb(X,Y) = De(PCP(X,Y)) ∪ X;
//   G^pbd     = G without the first edge of every proper causal path (x -> v, x in X, v in PCP).
// Z is an adjustment set for the total effect of X on Y iff Z ∩ Forb = ∅ and Z d-separates X and
// Y in G^pbd.

/// A total-effect query on a DAG — treatment set X, outcome set Y — with the restrictions on the
/// adjustment sets a user may add: nodes that must not be used and nodes that must be used.
///
/// Construction validates the query and precomputes the proper causal nodes, the forbidden
/// nodes and the proper back-door graph in O(n + m); every method then answers from them.
public struct AdjustmentProblem: Sendable {
  /// The graph.
  public let dag: CausalDAG
  /// The treatment nodes X, ascending.
  public let treatment: [Int]
  /// The outcome nodes Y, ascending.
  public let outcome: [Int]
  /// Nodes the user excludes from every set (e.g. unmeasured columns), ascending.
  public let excluded: [Int]
  /// Nodes every set must contain (covariates the user insists on), ascending.
  public let required: [Int]
  /// The nodes outside X on proper causal paths from X to Y (mediators and the reached outcomes).
  public let causalNodes: [Int]
  /// Forb(X, Y): the descendants of the causal nodes, and X; no adjustment set may contain them.
  public let forbiddenNodes: [Int]

  let isTreatment: [Bool]
  let isOutcome: [Bool]
  let isCausal: [Bool]
  let isForbidden: [Bool]
  /// The nodes a set may contain: observed, outside X ∪ Y ∪ Forb, not excluded by the user.
  let isAllowed: [Bool]
  /// Removes the first edge of every proper causal path.
  let properBackdoorFilter: EdgeFilter

  /// Creates a query from node names.
  /// - Throws: ``CausalGraphError`` for an unknown name, an empty treatment or outcome, a node
  ///   that is both treatment and outcome, or a latent treatment, outcome or required node.
  public init(
    dag: CausalDAG, treatment: [String], outcome: [String], excluding excluded: [String] = [],
    requiring required: [String] = []
  ) throws(CausalGraphError) {
    try self.init(
      dag: dag, treatment: dag.indices(of: treatment), outcome: dag.indices(of: outcome),
      excluding: dag.indices(of: excluded), requiring: dag.indices(of: required))
  }

  /// Creates a query from node indices.
  /// - Throws: ``CausalGraphError`` as ``init(dag:treatment:outcome:excluding:requiring:)``.
  /// - Complexity: O(n + m).
  public init(
    dag: CausalDAG, treatment: [Int], outcome: [Int], excluding excluded: [Int] = [],
    requiring required: [Int] = []
  ) throws(CausalGraphError) {
    let count = dag.nodeCount
    for node in treatment + outcome + excluded + required where !(0..<count).contains(node) {
      throw .unknownNode("#\(node)")
    }
    if treatment.isEmpty { throw .emptyQuery("treatment") }
    if outcome.isEmpty { throw .emptyQuery("outcome") }
    let isTreatment = mask(treatment, count)
    let isOutcome = mask(outcome, count)
    if let both = outcome.first(where: { isTreatment[$0] }) { throw .treatmentIsOutcome(dag.name(of: both)) }
    if let latent = treatment.first(where: { dag.nodes[$0].isLatent }) {
      throw .latentNode(dag.name(of: latent), role: "treatment")
    }
    if let latent = outcome.first(where: { dag.nodes[$0].isLatent }) {
      throw .latentNode(dag.name(of: latent), role: "outcome")
    }
    if let latent = required.first(where: { dag.nodes[$0].isLatent }) {
      throw .latentNode(dag.name(of: latent), role: "required covariate")
    }
    self.dag = dag
    self.treatment = Array(Set(treatment)).sorted()
    self.outcome = Array(Set(outcome)).sorted()
    self.excluded = Array(Set(excluded)).sorted()
    self.required = Array(Set(required)).sorted()
    self.isTreatment = isTreatment
    self.isOutcome = isOutcome

    let descendantsOfTreatment = dag.descendantMask(of: self.treatment)
    let reachesOutcomeAvoidingTreatment = dag.ancestorMask(of: self.outcome, avoiding: isTreatment)
    var isCausal = [Bool](repeating: false, count: count)
    for node in 0..<count
    where !isTreatment[node] && descendantsOfTreatment[node] && reachesOutcomeAvoidingTreatment[node] {
      isCausal[node] = true
    }
    let causalNodes = members(of: isCausal)
    var isForbidden = dag.descendantMask(of: causalNodes)
    for node in self.treatment { isForbidden[node] = true }
    let isExcluded = mask(excluded, count)
    var isAllowed = [Bool](repeating: false, count: count)
    for node in 0..<count {
      isAllowed[node] =
        !dag.nodes[node].isLatent && !isTreatment[node] && !isOutcome[node] && !isForbidden[node]
        && !isExcluded[node]
    }
    self.isCausal = isCausal
    self.causalNodes = causalNodes
    self.isForbidden = isForbidden
    self.forbiddenNodes = members(of: isForbidden)
    self.isAllowed = isAllowed
    self.properBackdoorFilter = EdgeFilter(cutTails: isTreatment, cutHeads: isCausal)
  }

  /// The nodes any adjustment set may contain, ascending.
  public var allowedNodes: [Int] { members(of: isAllowed) }

  /// The causal nodes other than the outcomes: the mediators of the effect.
  public var mediators: [Int] { causalNodes.filter { !isOutcome[$0] } }

  /// Whether `z` satisfies the generalized adjustment criterion (ignoring the user's exclusions
  /// and requirements, which only restrict the search).
  /// - Complexity: O(n + m).
  public func isAdjustmentSet(_ z: [Int]) -> Bool {
    for node in z where isForbidden[node] || isOutcome[node] || dag.nodes[node].isLatent { return false }
    return dag.openPath(
      from: treatment, to: outcome, conditioned: mask(z, dag.nodeCount), filter: properBackdoorFilter)
      == nil
  }

  /// Whether `z` satisfies Pearl's back-door criterion: no node of `z` descends from X, and `z`
  /// blocks every path between X and Y that starts with an edge into X. Back-door sets are
  /// adjustment sets; the converse fails (the generalized criterion is complete).
  /// - Complexity: O(n + m).
  public func satisfiesBackdoorCriterion(_ z: [Int]) -> Bool {
    let descendants = dag.descendantMask(of: treatment)
    for node in z where descendants[node] || isOutcome[node] || dag.nodes[node].isLatent { return false }
    let withoutOutgoing = EdgeFilter.removingOutgoing(of: treatment, nodeCount: dag.nodeCount)
    return dag.openPath(
      from: treatment, to: outcome, conditioned: mask(z, dag.nodeCount), filter: withoutOutgoing)
      == nil
  }

  /// Checks `z` against the adjustment criterion and explains the verdict: each node that may not
  /// be adjusted for and why, or one non-causal path `z` leaves open; for a valid set, whether it
  /// is minimal and, if not, a minimal subset.
  /// - Complexity: O(|z| (n + m)).
  public func check(_ z: [Int]) -> AdjustmentSetCheck {
    let z = Array(Set(z)).sorted()
    var problems: [AdjustmentSetCheck.Problem] = []
    let isExcluded = mask(excluded, dag.nodeCount)
    for node in z {
      if isTreatment[node] || isOutcome[node] {
        problems.append(.treatmentOrOutcome(node))
      } else if isCausal[node] {
        problems.append(.mediator(node, causalPath: causalPath(through: node)))
      } else if isForbidden[node] {
        let (ancestor, path) = pathFromCausalNode(to: node)
        problems.append(.descendantOfCausalNode(node, causalNode: ancestor, path: path))
      } else if dag.nodes[node].isLatent {
        problems.append(.latent(node))
      } else if isExcluded[node] {
        problems.append(.excludedByUser(node))
      }
    }
    let blocking = z.filter { !isTreatment[$0] && !isOutcome[$0] }
    if let path = dag.openPath(
      from: treatment, to: outcome, conditioned: mask(blocking, dag.nodeCount), filter: properBackdoorFilter)
    {
      problems.append(.openNonCausalPath(path))
    }
    guard problems.isEmpty else {
      return AdjustmentSetCheck(set: z, problems: problems, minimalSubset: nil)
    }
    let minimal = findMinimalSeparator(
      required: z.filter { required.contains($0) }, allowed: mask(z, dag.nodeCount))
    return AdjustmentSetCheck(set: z, problems: [], minimalSubset: minimal)
  }

  // A proper causal path through the causal node `node`: X -> ... -> node -> ... -> Y, all
  // intermediate nodes causal.
  func causalPath(through node: Int) -> [Int] {
    let count = dag.nodeCount
    // Backwards from node to X through causal nodes.
    var previous = [Int](repeating: -1, count: count)
    var queue = [node]
    var seen = mask([node], count)
    var head = 0
    var start = -1
    search: while head < queue.count {
      let current = queue[head]
      head += 1
      for parent in dag.parents[current] where !seen[parent] {
        if isTreatment[parent] {
          previous[parent] = current
          start = parent
          break search
        }
        if isCausal[parent] {
          seen[parent] = true
          previous[parent] = current
          queue.append(parent)
        }
      }
    }
    var path: [Int] = []
    var cursor = start
    while cursor >= 0 && cursor != node {
      path.append(cursor)
      cursor = previous[cursor]
    }
    path.append(node)
    // Forwards from node to Y through causal nodes.
    var next = [Int](repeating: -1, count: count)
    queue = [node]
    seen = mask([node], count)
    head = 0
    var end = isOutcome[node] ? node : -1
    if end < 0 {
      search: while head < queue.count {
        let current = queue[head]
        head += 1
        for child in dag.children[current] where !seen[child] && isCausal[child] {
          seen[child] = true
          next[child] = current
          if isOutcome[child] {
            end = child
            break search
          }
          queue.append(child)
        }
      }
    }
    var tail: [Int] = []
    cursor = end
    while cursor >= 0 && cursor != node {
      tail.append(cursor)
      cursor = next[cursor]
    }
    return path + tail.reversed()
  }

  // The nearest causal ancestor of a forbidden non-causal node, and the directed path from it.
  func pathFromCausalNode(to node: Int) -> (Int, [Int]) {
    var next = [Int](repeating: -1, count: dag.nodeCount)
    var seen = mask([node], dag.nodeCount)
    var queue = [node]
    var head = 0
    while head < queue.count {
      let current = queue[head]
      head += 1
      for parent in dag.parents[current] where !seen[parent] {
        seen[parent] = true
        next[parent] = current
        if isCausal[parent] {
          var path = [parent]
          var cursor = current
          while cursor != node {
            path.append(cursor)
            cursor = next[cursor]
          }
          path.append(node)
          return (parent, path)
        }
        queue.append(parent)
      }
    }
    return (node, [node])
  }
}

/// The verdict on a proposed adjustment set, with its reasons.
public struct AdjustmentSetCheck: Sendable, Hashable {
  /// Why a set fails the adjustment criterion.
  public enum Problem: Sendable, Hashable {
    /// The set contains a treatment or outcome node.
    case treatmentOrOutcome(Int)
    /// The set contains a mediator: a node on a causal path, given as treatment -> ... -> outcome.
    case mediator(Int, causalPath: [Int])
    /// The set contains a descendant of a causal node (a mediator or an outcome), with the
    /// directed path from that causal node.
    case descendantOfCausalNode(Int, causalNode: Int, path: [Int])
    /// The set contains an unobserved node.
    case latent(Int)
    /// The set contains a node the user excluded.
    case excludedByUser(Int)
    /// The set leaves this non-causal path between treatment and outcome open.
    case openNonCausalPath([Int])
  }

  /// The set checked, ascending.
  public let set: [Int]
  /// Empty exactly when the set is a valid adjustment set.
  public let problems: [Problem]
  /// For a valid set, a minimal valid subset (the set itself when it is minimal).
  public let minimalSubset: [Int]?

  /// Whether the set satisfies the adjustment criterion.
  public var isValid: Bool { problems.isEmpty }
  /// Whether the set is valid and no proper subset is.
  public var isMinimal: Bool { isValid && minimalSubset == set }
  /// For a valid set, the nodes that can be dropped (the set minus ``minimalSubset``).
  public var unnecessary: [Int] {
    guard let minimalSubset else { return [] }
    return set.filter { !minimalSubset.contains($0) }
  }

  /// One sentence per problem, for people.
  public func explanations(in dag: CausalDAG) -> [String] {
    problems.map { problem in
      switch problem {
      case .treatmentOrOutcome(let node):
        return "'\(dag.name(of: node))' is a treatment or outcome itself"
      case .mediator(let node, let path):
        return "'\(dag.name(of: node))' is a mediator: it carries part of the effect "
          + "(\(dag.describe(path: path))); controlling for it removes that part"
      case .descendantOfCausalNode(let node, let causalNode, let path):
        return
          "'\(dag.name(of: node))' is caused by '\(dag.name(of: causalNode))', which lies on a causal path "
          + "(\(dag.describe(path: path))); controlling for it biases the effect"
      case .latent(let node):
        return "'\(dag.name(of: node))' is not observed"
      case .excludedByUser(let node):
        return "'\(dag.name(of: node))' was excluded (--forbid)"
      case .openNonCausalPath(let path):
        return "the non-causal path \(dag.describe(path: path)) stays open"
      }
    }
  }
}

extension CausalDAG {
  /// Ancestors of `targets` reached without walking into a node of `avoiding` (those are never
  /// marked), following all edges.
  func ancestorMask(of targets: [Int], avoiding: [Bool]) -> [Bool] {
    var marked = [Bool](repeating: false, count: nodeCount)
    var stack: [Int] = []
    for target in targets where !marked[target] && !avoiding[target] {
      marked[target] = true
      stack.append(target)
    }
    while let node = stack.popLast() {
      for parent in parents[node] where !marked[parent] && !avoiding[parent] {
        marked[parent] = true
        stack.append(parent)
      }
    }
    return marked
  }
}
