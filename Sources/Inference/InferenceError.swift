import Foundation

/// Why sampling or optimisation could not proceed. Rendered as text in one place
/// (`description`) so every caller reports the same words.
enum InferenceError: Error, Equatable, CustomStringConvertible {
  /// No finite log density and gradient after `attempts` random initial points.
  case initialisationFailed(attempts: Int)
  /// A sampler setting is out of range.
  case invalidConfiguration(String)
  /// The starting point has the wrong number of coordinates.
  case dimensionMismatch(expected: Int, actual: Int)
  /// The optimiser's start point has a non-finite log density or gradient.
  case nonFiniteStart
  /// The log density has no parameters.
  case emptyModel

  var description: String {
    switch self {
    case .initialisationFailed(let attempts):
      return "initialisation failed: the log density or its gradient was not finite at \(attempts) "
        + "random points drawn uniformly from (-2, 2) on the unconstrained scale; "
        + "check the model's support or provide an initial position"
    case .invalidConfiguration(let message):
      return "invalid sampler configuration: \(message)"
    case .dimensionMismatch(let expected, let actual):
      return
        "initial position has \(actual) coordinates but the model has \(expected) unconstrained parameters"
    case .nonFiniteStart:
      return "optimisation failed: the log density or its gradient is not finite at the start point"
    case .emptyModel:
      return "the model has no parameters to sample"
    }
  }
}

extension InferenceError: LocalizedError {
  var errorDescription: String? { description }
}
