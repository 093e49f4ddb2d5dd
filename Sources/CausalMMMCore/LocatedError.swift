/// An error in a user's input, located where known: rendered as
/// `FILE:LINE: error: column 'C': MESSAGE`.
///
/// The one error shape of the package at the I/O boundary: every module's internal errors are
/// turned into it, and the command line renders it in one place, so every failure reads the same.
public struct LocatedError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file (or an in-memory source name such as `<data>`), if known.
  public var file: String?
  /// The 1-based line in the file (for in-memory tables: the 1-based row), if known.
  public var line: Int?
  /// The column (or configuration key) involved, if any.
  public var column: String?
  /// What is wrong, in one sentence.
  public var message: String
  /// How `column` is named in the message: `column` for tables, `key` for configuration files.
  public var fieldKind: String = "column"

  /// Creates an error located at `file`, `line` and `column` where known.
  public init(file: String? = nil, line: Int? = nil, column: String? = nil, _ message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// Creates an error located in `file` (at `line` when known).
  public init(file: String, line: Int? = nil, message: String) {
    self.init(file: file, line: line, column: nil, message)
  }

  /// `FILE:LINE: error: column 'C': MESSAGE`; the parts that are unknown are left out.
  public var description: String {
    var prefix = ""
    if let file { prefix += file + ":" }
    if let line { prefix += "\(line):" }
    let field = column.map { "\(fieldKind) '\($0)': " } ?? ""
    return (prefix.isEmpty ? "" : prefix + " ") + "error: " + field + message
  }

  /// This error with `file` filled in when it had none.
  public func located(in file: String) -> LocatedError {
    var copy = self
    if copy.file == nil { copy.file = file }
    return copy
  }
}
