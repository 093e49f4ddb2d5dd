import CausalGraph

/// An error raised while building or running a structural causal model.
///
/// The cases are internal details; ``description`` is the one place they become text.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
  enum Reason: Sendable {
    case graph(CausalGraphError)
    case unknownNode(String, context: String)
    case missingEquation(String)
    case equationForUnknownNode(String)
    case parentNotInGraph(node: String, parent: String)
    case invalidParameter(node: String, parameter: String, value: Double, requirement: String)
    case invalidDays(Int)
    case interventionOutOfRange(node: String, range: Range<Int>, days: Int)
    case seriesLengthMismatch(node: String, expected: Int, actual: Int)
    case invalidDate(String)
    case unknownScenario(String, known: [String])
    case unknownChannel(String, known: [String])
    case unknownGeo(String, known: [String])
  }

  let reason: Reason

  init(_ reason: Reason) { self.reason = reason }

  public var description: String {
    switch reason {
    case .graph(let error):
      return "invalid causal graph: \(error)"
    case .unknownNode(let name, let context):
      return "unknown node '\(name)' in \(context)"
    case .missingEquation(let name):
      return "node '\(name)' has no structural equation"
    case .equationForUnknownNode(let name):
      return "a structural equation is given for '\(name)', which is not a node of the graph"
    case .parentNotInGraph(let node, let parent):
      return "the equation of '\(node)' reads '\(parent)', but the graph has no edge \(parent) -> \(node)"
    case .invalidParameter(let node, let parameter, let value, let requirement):
      return "node '\(node)': parameter \(parameter) = \(value) must be \(requirement)"
    case .invalidDays(let days):
      return "the number of periods must be positive, got \(days)"
    case .interventionOutOfRange(let node, let range, let days):
      return "intervention on '\(node)' covers periods \(range.lowerBound)..<\(range.upperBound), "
        + "outside the simulated 0..<\(days)"
    case .seriesLengthMismatch(let node, let expected, let actual):
      return "intervention on '\(node)': the replacement series has \(actual) values, "
        + "the intervention window has \(expected) periods"
    case .invalidDate(let text):
      return "invalid date '\(text)': expected YYYY-MM-DD"
    case .unknownScenario(let name, let known):
      return "unknown scenario '\(name)'; known scenarios: \(known.joined(separator: ", "))"
    case .unknownChannel(let name, let known):
      return "unknown channel '\(name)'; channels: \(known.joined(separator: ", "))"
    case .unknownGeo(let name, let known):
      return "unknown geo '\(name)'; geos: \(known.joined(separator: ", "))"
    }
  }
}
