// Conditional instrumental variables (Brito & Pearl 2002; van der Zander, Textor & Liśkiewicz
// 2015, as DAGitty's `instrumentalVariables`). Z is an instrument for the effect of X on Y given
// W, with W made of observed non-descendants of X and Y, when
//   Z and X are d-connected given W in G, and
//   Z and Y are d-separated given W in G^pbd (G without the first edges of the causal paths).
// Candidate sets W per Z: the two minimal separators of Z and Y (van der Zander & Liśkiewicz's
// construction started from either side) and the separator nearest to Y within An(Y ∪ Z). Every
// instrument listed is verified; the search is sound but, unlike DAGitty's ancestral-instrument
// theorem, not proven complete (the property tests measure what it misses).

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
  /// - Complexity: O(n (n + m)).
  public func instruments() -> [ConditionalInstrument] {
    let count = dag.nodeCount
    let downstream = dag.descendantMask(of: treatment + outcome)
    let isExcluded = mask(excluded, count)
    var result: [ConditionalInstrument] = []
    for candidate in 0..<count where !downstream[candidate] && !dag.nodes[candidate].isLatent {
      var allowed = [Bool](repeating: false, count: count)
      for node in 0..<count {
        allowed[node] =
          !downstream[node] && !dag.nodes[node].isLatent && !isExcluded[node] && node != candidate
      }
      guard let nearest = nearestSeparator(of: candidate, fromOutcomeWithin: allowed) else { continue }
      // The nearest separator may block the instrument's paths to X; its minimal subsets are
      // tried as well. Every set returned is verified by both d-separation conditions.
      let options = [
        dag.minimalSeparator(
          between: [candidate], and: outcome, required: [], allowed: allowed, filter: properBackdoorFilter),
        dag.minimalSeparator(
          between: outcome, and: [candidate], required: [], allowed: allowed, filter: properBackdoorFilter),
        nearest,
      ]
      for case let conditioning? in options
      where dag.openPath(from: [candidate], to: treatment, conditioned: mask(conditioning, count)) != nil {
        result.append(ConditionalInstrument(instrument: candidate, conditioningSet: conditioning))
        break
      }
    }
    return result
  }

  // The allowed nodes of An(Y ∪ {z}) that touch Y's component once every allowed node of that
  // set is removed from its moral graph (in G^pbd); nil when z lies in that component.
  private func nearestSeparator(of node: Int, fromOutcomeWithin allowed: [Bool]) -> [Int]? {
    let scope = dag.ancestorMask(of: outcome + [node], filter: properBackdoorFilter)
    let graph = ImplicitMoralGraph(dag: dag, scope: scope, filter: properBackdoorFilter)
    var kinds = [MoralNodeKind](repeating: .passable, count: dag.nodeCount)
    for other in 0..<dag.nodeCount where scope[other] && allowed[other] { kinds[other] = .blocked }
    let fromOutcome = graph.component(from: outcome, kinds: kinds)
    return fromOutcome.component[node] ? nil : fromOutcome.boundary
  }
}
