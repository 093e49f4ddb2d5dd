@testable import CausalGraph

extension AdjustmentProblem {
  /// The instrument search `instruments()` ran before it shared the nearest separator between
  /// candidates: every candidate searched on its own, in O(n (n + m)); kept as the reference.
  func referenceInstruments() -> [ConditionalInstrument] {
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
      guard let nearest = referenceNearestSeparator(of: candidate, fromOutcomeWithin: allowed) else {
        continue
      }
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
  private func referenceNearestSeparator(of node: Int, fromOutcomeWithin allowed: [Bool]) -> [Int]? {
    let scope = dag.ancestorMask(of: outcome + [node], filter: properBackdoorFilter)
    let graph = ImplicitMoralGraph(dag: dag, scope: scope, filter: properBackdoorFilter)
    var kinds = [MoralNodeKind](repeating: .passable, count: dag.nodeCount)
    for other in 0..<dag.nodeCount where scope[other] && allowed[other] { kinds[other] = .blocked }
    let fromOutcome = graph.component(from: outcome, kinds: kinds)
    return fromOutcome.component[node] ? nil : fromOutcome.boundary
  }
}
