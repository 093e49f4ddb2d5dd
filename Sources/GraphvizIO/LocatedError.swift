/// An error in a user's input, located in a file: rendered as `FILE:LINE: error: MESSAGE`.
///
/// Every module's internal errors are turned into this one shape at the I/O boundary, so the
/// CLI prints every failure the same way.
public struct LocatedError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file the input came from (as the user named it).
  public let file: String
  /// The 1-based line, when known.
  public let line: Int?
  /// What is wrong, in one sentence.
  public let message: String

  /// Creates a located error.
  public init(file: String, line: Int? = nil, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `FILE:LINE: error: MESSAGE`, or `FILE: error: MESSAGE` when the line is unknown.
  public var description: String {
    if let line { return "\(file):\(line): error: \(message)" }
    return "\(file): error: \(message)"
  }
}
