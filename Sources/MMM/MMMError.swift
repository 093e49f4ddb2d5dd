/// An error in the model's input, located where known (file, line, column).
///
/// Rendered in one place (`description`) as `FILE:LINE: error: column 'C': MESSAGE`.
public struct MMMError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (or in-memory source name such as `<data>`), if known.
  public var file: String?
  /// The 1-based line in the file (for in-memory tables: the 1-based row), if known.
  public var line: Int?
  /// The column involved, if any.
  public var column: String?
  /// What is wrong.
  public var message: String
  /// How `column` is named in the message: `column` for tables, `key` for configuration files.
  public var fieldKind: String = "column"

  /// Creates an error.
  public init(file: String? = nil, line: Int? = nil, column: String? = nil, _ message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String {
    var prefix = ""
    if let file { prefix += file + ":" }
    if let line { prefix += "\(line):" }
    let where_ = column.map { "\(fieldKind) '\($0)': " } ?? ""
    return (prefix.isEmpty ? "" : prefix + " ") + "error: " + where_ + message
  }
}
