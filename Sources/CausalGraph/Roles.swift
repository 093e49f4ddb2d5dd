// The role each observed variable plays for the effect of X on Y, for explanations:
//   mediators               on a causal path X -> ... -> Y (never adjust: removes part of the effect)
//   descendants of X        caused by X but not on a causal path (never adjust: may open paths)
//   confounders             common causes: ancestors of X with a directed path to Y avoiding X
//   colliders               not caused by X, and a collider on some simple path between X and Y
//                           (adjusting for it, without blocking that path elsewhere, opens it);
//                           all decided at once by ColliderSearch.swift
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
  /// Unobserved common causes of treatment and outcome (they cannot be adjusted for).
  public let latentConfounders: [Int]
}

extension AdjustmentProblem {
  /// The role of every observed variable for this query.
  /// - Complexity: O((n + m) log n) for the colliders (see ColliderSearch.swift), plus
  ///   ``instruments()``.
  public func roles() -> CausalRoles {
    let count = dag.nodeCount
    let observed = (0..<count).filter { !dag.nodes[$0].isLatent && !isTreatment[$0] && !isOutcome[$0] }
    let downstream = dag.descendantMask(of: treatment)
    let mediators = observed.filter { isCausal[$0] }
    let descendants = observed.filter { downstream[$0] && !isCausal[$0] }
    let ancestorsOfTreatment = dag.ancestorMask(of: treatment)
    let reachesOutcome = dag.ancestorMask(of: outcome, avoiding: isTreatment)
    let isConfounder = { (node: Int) in
      !downstream[node] && ancestorsOfTreatment[node] && reachesOutcome[node]
    }
    let confounders = observed.filter(isConfounder)
    let latentConfounders = dag.latentNodes.filter(isConfounder)
    var isCandidate = [Bool](repeating: false, count: count)
    for node in observed where !downstream[node] && dag.parents[node].count >= 2 { isCandidate[node] = true }
    let isCollider = collidersOnPaths(candidates: isCandidate)
    let colliders = observed.filter { isCollider[$0] }
    let none = [Bool](repeating: false, count: count)
    let connectedToTreatment = dag.bayesBall(from: treatment, conditioned: none).reached
    var precision: [Int] = []
    for node in Set(outcome.flatMap { dag.parents[$0] }).sorted()
    where !dag.nodes[node].isLatent && !isTreatment[node] && !downstream[node] && !connectedToTreatment[node]
    {
      precision.append(node)
    }
    return CausalRoles(
      confounders: confounders, mediators: mediators, colliders: colliders,
      descendantsOfTreatment: descendants, instruments: instruments(), precision: precision,
      latentConfounders: latentConfounders)
  }

}
