import CausalGraph

/// The values of every node of a structural causal model over the simulated periods.
public struct SimulatedWorld: Sendable {
  /// The model's graph.
  public let dag: CausalDAG
  /// The date of each period, `YYYY-MM-DD`.
  public let dates: [String]
  /// `values[v][t]`: node `v` in period `t`.
  public let values: [[Double]]

  /// The number of periods.
  public var days: Int { dates.count }

  /// The series of the node called `name`, or `nil` when there is no such node.
  public func series(_ name: String) -> [Double]? {
    dag.index(of: name).map { values[$0] }
  }

  /// `other - self` for node `name`, period by period (the effect of the interventions that
  /// produced `other`, when both worlds share their exogenous noise).
  public func difference(to other: SimulatedWorld, of name: String) -> [Double] {
    guard let index = dag.index(of: name) else { return [] }
    return zip(values[index], other.values[index]).map { $1 - $0 }
  }
}
