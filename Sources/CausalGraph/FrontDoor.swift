// Pearl's front-door criterion, in the form of Jeong, Tian & Bareinboim (2022): M satisfies it
// for (X, Y) when
//   (i)   every directed path from X to Y meets M;
//   (ii)  X and M are d-separated in G without the edges out of X (no open back-door path X..M);
//   (iii) M and Y are d-separated given X in G without the edges out of M.
// Conditions (ii) and (iii) are closed under union (removing more edges out of M only closes
// paths), and (i) is monotone, so the largest set satisfying (ii) and (iii) decides existence.

extension AdjustmentProblem {
  /// Whether `m` (observed, disjoint from treatment and outcome) satisfies the front-door criterion.
  /// - Complexity: O(n + m).
  public func satisfiesFrontDoorCriterion(_ m: [Int]) -> Bool {
    let count = dag.nodeCount
    for node in m where isTreatment[node] || isOutcome[node] || dag.nodes[node].isLatent { return false }
    let isMediatorSet = mask(m, count)
    let unintercepted = dag.descendantMask(of: treatment, barrier: isMediatorSet)
    if outcome.contains(where: { unintercepted[$0] && !isMediatorSet[$0] }) { return false }
    let none = [Bool](repeating: false, count: count)
    let fromTreatment = dag.bayesBall(
      from: treatment, conditioned: none, filter: .removingOutgoing(of: treatment, nodeCount: count))
    if m.contains(where: { fromTreatment.reached[$0] }) { return false }
    let fromMediators = dag.bayesBall(
      from: m, conditioned: isTreatment, filter: .removingOutgoing(of: m, nodeCount: count), stopAt: isOutcome
    )
    return fromMediators.hitState < 0
  }

  /// A set of observed, non-excluded nodes satisfying the front-door criterion, or `nil` when
  /// no set does. The largest such set decides existence; it is then pruned node by node (each
  /// node whose removal keeps the criterion is dropped). Used when the effect is not
  /// identifiable by adjustment.
  /// - Complexity: O(n (n + m)).
  public func frontDoorSet() -> [Int]? {
    let count = dag.nodeCount
    let isExcluded = mask(excluded, count)
    let none = [Bool](repeating: false, count: count)
    let backdoorReached = dag.bayesBall(
      from: treatment, conditioned: none, filter: .removingOutgoing(of: treatment, nodeCount: count)
    ).reached
    var candidate = (0..<count).filter {
      !isTreatment[$0] && !isOutcome[$0] && !dag.nodes[$0].isLatent && !isExcluded[$0] && !backdoorReached[$0]
    }
    while true {
      let fromOutcome = dag.bayesBall(
        from: outcome, conditioned: isTreatment, filter: .removingOutgoing(of: candidate, nodeCount: count))
      let kept = candidate.filter { !fromOutcome.reached[$0] }
      if kept.count == candidate.count { break }
      candidate = kept
    }
    guard satisfiesFrontDoorCriterion(candidate) else { return nil }
    // Prune: drop each node whose removal keeps the criterion, so the set stays small.
    var pruned = candidate
    for node in candidate.reversed() {
      let trial = pruned.filter { $0 != node }
      if satisfiesFrontDoorCriterion(trial) { pruned = trial }
    }
    return pruned
  }
}
