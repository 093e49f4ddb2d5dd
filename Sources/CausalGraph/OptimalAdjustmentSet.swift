// The optimal adjustment set of Henckel, Perkovic & Maathuis (2022, JRSS-B):
//   O(X, Y) = Pa(cn(X, Y)) \ forb(X, Y),
// the parents of the causal nodes that are not themselves forbidden. When every node is
// observed and X is a single node, O is an adjustment set whenever one exists, and among all
// adjustment sets it gives the smallest asymptotic variance of the covariate-adjusted estimator
// in linear models. With latent or excluded nodes it may be unusable; we then report none.

extension AdjustmentProblem {
  /// The optimal adjustment set O(X, Y) (with the required nodes added), or `nil` when it
  /// contains a latent or excluded node or does not satisfy the adjustment criterion.
  ///
  /// Optimality (Henckel et al. 2022) is proven for the asymptotic variance in linear causal
  /// models; for a single treatment and a fully observed DAG the set exists whenever any
  /// adjustment set does.
  /// - Complexity: O(n + m).
  public func optimalAdjustmentSet() -> [Int]? {
    var isMember = [Bool](repeating: false, count: dag.nodeCount)
    for node in causalNodes {
      for parent in dag.parents[node] where !isForbidden[parent] { isMember[parent] = true }
    }
    for node in required { isMember[node] = true }
    let set = members(of: isMember)
    for node in set where !isAllowed[node] { return nil }
    return isAdjustmentSet(set) ? set : nil
  }
}
