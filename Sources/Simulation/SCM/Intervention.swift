/// A do-intervention on one node over a window of periods.
///
/// Inside the window the node's structural equation is replaced; outside it the equation holds.
/// Descendants are recomputed from their own equations with the same exogenous noise.
public struct Intervention: Sendable, Hashable {
  /// What the node is set to inside the window.
  public enum Assignment: Sendable, Hashable {
    /// `do(node := value)`.
    case constant(Double)
    /// `do(node := factor * node)`: the node's own value (given its possibly intervened parents)
    /// multiplied by `factor`; `scale(0)` is a go-dark test, `scale(1.5)` a +50% scale-up.
    case scale(Double)
    /// `do(node := series[t - window.lowerBound])`: one value per period of the window.
    case series([Double])
  }

  /// The intervened node.
  public var node: String
  /// The new assignment.
  public var assignment: Assignment
  /// The periods (0-based) it covers; `nil` for all simulated periods.
  public var periods: Range<Int>?

  /// Creates an intervention.
  public init(node: String, assignment: Assignment, periods: Range<Int>? = nil) {
    self.node = node
    self.assignment = assignment
    self.periods = periods
  }
}
