// The role each observed variable plays for the effect of X on Y, for explanations:
//   mediators               on a causal path X -> ... -> Y (never adjust: removes part of the effect)
//   descendants of X        caused by X but not on a causal path (never adjust: may open paths)
//   confounders             common causes: ancestors of X with a directed path to Y avoiding X
//   colliders               not caused by X, with two parents through which a path between X
//                           and Y can run (adjusting opens that path)
//   instruments             see Instruments.swift
//   precision variables     parents of Y not caused by X and d-separated from X

/// The observed variables grouped by their role for a treatment/outcome pair (by node index,
/// each list ascending). A variable can have more than one role (e.g. confounder and collider).
public struct CausalRoles: Sendable, Hashable {
  /// Common causes of treatment and outcome.
  public let confounders: [Int]
  /// Variables on a causal path from treatment to outcome.
  public let mediators: [Int]
  /// Variables, not caused by the treatment, on which a path between treatment and outcome collides.
  public let colliders: [Int]
  /// Variables caused by the treatment that are not mediators.
  public let descendantsOfTreatment: [Int]
  /// Conditional instruments, with their conditioning sets.
  public let instruments: [ConditionalInstrument]
  /// Causes of the outcome unrelated to the treatment: adjusting for them sharpens estimates.
  public let precision: [Int]
}

extension AdjustmentProblem {
  /// The role of every observed variable for this query.
  /// - Complexity: O(c (n + m)) for c candidate colliders, plus ``instruments()``.
  public func roles() -> CausalRoles {
    let count = dag.nodeCount
    let observed = (0..<count).filter { !dag.nodes[$0].isLatent && !isTreatment[$0] && !isOutcome[$0] }
    let downstream = dag.descendantMask(of: treatment)
    let mediators = observed.filter { isCausal[$0] }
    let descendants = observed.filter { downstream[$0] && !isCausal[$0] }
    let ancestorsOfTreatment = dag.ancestorMask(of: treatment)
    let reachesOutcome = dag.ancestorMask(of: outcome, avoiding: isTreatment)
    let confounders = observed.filter { !downstream[$0] && ancestorsOfTreatment[$0] && reachesOutcome[$0] }
    let colliders = observed.filter { !downstream[$0] && dag.parents[$0].count >= 2 && isCollider($0) }
    let none = [Bool](repeating: false, count: count)
    let connectedToTreatment = dag.bayesBall(from: treatment, conditioned: none).reached
    var precision: [Int] = []
    for node in Set(outcome.flatMap { dag.parents[$0] }).sorted()
    where !dag.nodes[node].isLatent && !isTreatment[node] && !downstream[node] && !connectedToTreatment[node] {
      precision.append(node)
    }
    return CausalRoles(
      confounders: confounders, mediators: mediators, colliders: colliders,
      descendantsOfTreatment: descendants, instruments: instruments(), precision: precision)
  }

  // Whether two distinct parents of `node` reach X and Y respectively in the skeleton without
  // `node` (so some walk between X and Y collides at `node`).
  private func isCollider(_ node: Int) -> Bool {
    let towardsTreatment = skeletonReach(from: treatment, without: node)
    let towardsOutcome = skeletonReach(from: outcome, without: node)
    for first in dag.parents[node] where towardsTreatment[first] {
      for second in dag.parents[node] where second != first && towardsOutcome[second] { return true }
    }
    return false
  }

  private func skeletonReach(from sources: [Int], without removed: Int) -> [Bool] {
    var seen = [Bool](repeating: false, count: dag.nodeCount)
    seen[removed] = true
    var stack: [Int] = []
    for source in sources where !seen[source] {
      seen[source] = true
      stack.append(source)
    }
    while let node = stack.popLast() {
      for next in dag.parents[node] + dag.children[node] where !seen[next] {
        seen[next] = true
        stack.append(next)
      }
    }
    seen[removed] = false
    return seen
  }
}
