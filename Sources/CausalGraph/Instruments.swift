// Conditional instrumental variables (Brito & Pearl 2002; van der Zander, Textor & Liśkiewicz
// 2015, as DAGitty's `instrumentalVariables`). Z is an instrument for the effect of X on Y given
// W, with W made of observed non-descendants of X and Y, when
//   Z and X are d-connected given W in G, and
//   Z and Y are d-separated given W in G^pbd (G without the first edges of the causal paths).
// Candidate sets W per Z: the two minimal separators of Z and Y (van der Zander & Liśkiewicz's
// construction started from either side) and the separator nearest to Y within An(Y ∪ Z), the
// first that d-connects Z and X. Every instrument listed is verified; the search is sound but,
// unlike DAGitty's ancestral-instrument theorem, not proven complete (the property tests measure
// what it misses).
//
// All candidates at once: Z is listed when the nearest separator exists and d-connects Z and X,
// and the minimal separators are only tried for those, to report the set. That the minimal
// separators never succeed where the nearest one fails is not proven here: the property test
// against the former per-candidate search (InstrumentSearchPropertyTests, same instruments and
// sets on 10,000+ random DAGs) is the evidence. The nearest
// separator is the same set B0 for almost every Z: with A = An(Y) in G^pbd, C0 the component of Y
// in the moral graph of A once the allowed nodes are removed and B0 its allowed neighbours,
//   Z in A:      none when Z is in C0 or B0 (Y's component reaches Z), otherwise B0;
//   Z not in A:  B0 unless some ancestor of Z outside A has a parent in C0 (only then does the
//                moral graph of A ∪ An(Z) join C0 to new nodes); those Z are searched one by one.
// One Bayes-ball from X given B0 then answers the d-connection for every Z using B0.

/// An instrument and the set it must be conditioned on.
public struct ConditionalInstrument: Sendable, Hashable {
  /// The instrument.
  public let instrument: Int
  /// The conditioning set, ascending (empty for an unconditional instrument).
  public let conditioningSet: [Int]
}

extension AdjustmentProblem {
  /// Observed nodes that are instruments for X -> Y, with a conditioning set verified by
  /// d-separation, by node index. Sound; may miss an instrument that needs an unusual set.
  /// - Complexity: O(n + m) plus O(n + m) per instrument listed and per candidate whose
  ///   ancestors outside An(Y) marry into Y's component (rare).
  public func instruments() -> [ConditionalInstrument] {
    let count = dag.nodeCount
    let downstream = dag.descendantMask(of: treatment + outcome)
    let isExcluded = mask(excluded, count)
    var isUsable = [Bool](repeating: false, count: count)
    for node in 0..<count {
      isUsable[node] = !downstream[node] && !dag.nodes[node].isLatent && !isExcluded[node]
    }
    // The nearest separator shared by most candidates, and who is d-connected to X given it.
    let outcomeScope = dag.ancestorMask(of: outcome, filter: properBackdoorFilter)
    let graph = ImplicitMoralGraph(dag: dag, scope: outcomeScope, filter: properBackdoorFilter)
    var kinds = [MoralNodeKind](repeating: .passable, count: count)
    for node in 0..<count where outcomeScope[node] && isUsable[node] { kinds[node] = .blocked }
    let (outcomeComponent, sharedSeparator) = graph.component(from: outcome, kinds: kinds)
    let isShared = mask(sharedSeparator, count)
    let connectedGivenShared = dag.bayesBall(from: treatment, conditioned: isShared).reached
    // Nodes outside An(Y) with a parent in C0, and their descendants: the candidates whose
    // ancestors outside An(Y) marry into Y's component.
    var marriesIn = [Bool](repeating: false, count: count)
    for node in 0..<count where !outcomeScope[node] {
      if dag.parents[node].contains(where: { outcomeComponent[$0] && !properBackdoorFilter.removes($0, node) }
      ) {
        marriesIn[node] = true
      }
    }
    let needsOwnSearch = dag.descendantMask(
      of: members(of: marriesIn), filter: properBackdoorFilter, barrier: nil)
    // The kinds of the own searches before their new nodes are added: C0 left out, the allowed
    // nodes of An(Y) blocked.
    var ownSearchKinds = kinds
    for node in 0..<count where outcomeComponent[node] { ownSearchKinds[node] = .absent }
    var result: [ConditionalInstrument] = []
    for candidate in 0..<count where !downstream[candidate] && !dag.nodes[candidate].isLatent {
      var allowed: [Bool]? = nil
      func allowedNodes() -> [Bool] {
        if let allowed { return allowed }
        var computed = isUsable
        computed[candidate] = false
        allowed = computed
        return computed
      }
      let nearest: [Int]
      if !outcomeScope[candidate] && needsOwnSearch[candidate] {
        // A parent in C0 makes the candidate a neighbour of Y's component: no separator.
        if marriesIn[candidate] { continue }
        guard
          let own = nearestSeparator(
            of: candidate, outcomeScope: outcomeScope, outcomeComponent: outcomeComponent,
            sharedSeparator: isShared, usable: isUsable, baseKinds: ownSearchKinds),
          dag.openPath(from: [candidate], to: treatment, conditioned: mask(own, count)) != nil
        else { continue }
        nearest = own
      } else {
        if outcomeComponent[candidate] || isShared[candidate] || !connectedGivenShared[candidate] { continue }
        nearest = sharedSeparator
      }
      // The nearest separator d-connects the candidate and X: report the first set that does,
      // trying the minimal separators first (the second only when the first fails).
      var chosen = nearest
      for fromCandidate in [true, false] {
        let (first, second) = fromCandidate ? ([candidate], outcome) : (outcome, [candidate])
        if let conditioning = dag.minimalSeparator(
          between: first, and: second, required: [], allowed: allowedNodes(), filter: properBackdoorFilter),
          dag.openPath(from: [candidate], to: treatment, conditioned: mask(conditioning, count)) != nil
        {
          chosen = conditioning
          break
        }
      }
      result.append(ConditionalInstrument(instrument: candidate, conditioningSet: chosen))
    }
    return result
  }

  // The allowed nodes of An(Y ∪ {z}) that touch Y's component once every allowed node of that
  // set is removed from its moral graph (in G^pbd); nil when z lies in that component. For z
  // outside A = An(Y), from Y's component C0 in the moral graph of A and its allowed neighbours:
  // only the nodes of C0 with a child in An(z) \ A gain neighbours, so the search starts at them
  // and leaves C0 out.
  private func nearestSeparator(
    of node: Int, outcomeScope: [Bool], outcomeComponent: [Bool], sharedSeparator: [Bool], usable: [Bool],
    baseKinds: [MoralNodeKind]
  ) -> [Int]? {
    var scope = outcomeScope
    var added = [node]
    var frontier: [Int] = []
    var isFrontier = [Bool](repeating: false, count: dag.nodeCount)
    scope[node] = true
    var position = 0
    while position < added.count {
      let current = added[position]
      position += 1
      for parent in dag.parents[current] where !properBackdoorFilter.removes(parent, current) {
        if outcomeComponent[parent] && !isFrontier[parent] {
          isFrontier[parent] = true
          frontier.append(parent)
        }
        if !scope[parent] {
          scope[parent] = true
          added.append(parent)
        }
      }
    }
    let graph = ImplicitMoralGraph(dag: dag, scope: scope, filter: properBackdoorFilter)
    var kinds = baseKinds
    for other in added where usable[other] && other != node { kinds[other] = .blocked }
    let grown = graph.component(from: frontier, kinds: kinds)
    if grown.component[node] { return nil }
    var separator = sharedSeparator
    for other in grown.boundary { separator[other] = true }
    return members(of: separator)
  }
}
