// The one recommendation policy of the package. Every command that names "the" set to control
// for (`adjust`, `render`, `plan`, and `fit`'s check of a specification) asks this function, so
// they can never disagree:
//   1. core: an adjustment set of minimum size (the smallest valid set; it contains the required
//      nodes and avoids the excluded ones);
//   2. precision: each observed parent of the outcome, not caused by the treatment and allowed in
//      a set, whose addition keeps the set valid, in name order. Such variables explain part of
//      the outcome's variance without opening a path, so the estimate only gets sharper.
// The optimal set (O-set) is reported beside it by `adjust`; it can be large (it holds every
// parent of every mediator) and is not what a marketer would write down as a model.

/// The adjustment set the package recommends for a query: the smallest valid set plus the
/// outcome's parents that sharpen the estimate without biasing it.
public struct RecommendedAdjustmentSet: Sendable, Hashable {
  /// A minimum-size adjustment set (ascending node indices).
  public let core: [Int]
  /// Parents of the outcome added for precision (ascending by name).
  public let precision: [Int]

  /// `core` and `precision` together, ascending.
  public var nodes: [Int] { (core + precision).sorted() }

  /// Why this set, in one phrase: `the smallest valid set; add {price, trend} for precision`.
  public func rationale(in dag: CausalDAG) -> String {
    let smallest = core.isEmpty ? "no control is needed for validity" : "the smallest valid set"
    guard !precision.isEmpty else { return smallest }
    let names = dag.sortedNames(of: precision).joined(separator: ", ")
    return smallest + "; add {\(names)} for precision"
  }
}

extension AdjustmentProblem {
  /// The recommended adjustment set, or `nil` when no adjustment set identifies the effect.
  /// - Complexity: one minimum-cut search, then one validity check per parent of the outcome.
  public func recommendedAdjustmentSet() -> RecommendedAdjustmentSet? {
    guard let core = minimumAdjustmentSet() else { return nil }
    var current = core
    var precision: [Int] = []
    let candidates = Set(outcome.flatMap { dag.parents[$0] }).filter { isAllowed[$0] && !core.contains($0) }
    for parent in candidates.sorted(by: { dag.name(of: $0) < dag.name(of: $1) })
    where isAdjustmentSet(current + [parent]) {
      current.append(parent)
      precision.append(parent)
    }
    return RecommendedAdjustmentSet(core: core.sorted(), precision: precision)
  }
}
