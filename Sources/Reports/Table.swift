import CausalMMMCore
import Foundation

/// One table cell: text, a number printed with a fixed number of decimals, an integer, a
/// yes/no, or empty.
public enum TableCell: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
  ExpressibleByIntegerLiteral
{
  case text(String)
  case number(Double, decimals: Int)
  case integer(Int)
  case bool(Bool)
  case empty

  public init(stringLiteral value: String) { self = .text(value) }
  public init(floatLiteral value: Double) { self = .number(value, decimals: 3) }
  public init(integerLiteral value: Int) { self = .integer(value) }

  /// A number with `decimals` decimals (default 3).
  public static func number(_ value: Double) -> TableCell { .number(value, decimals: 3) }

  /// The cell as printed in the text and HTML tables.
  public var text: String {
    switch self {
    case .text(let value): return value
    case .number(let value, let decimals):
      guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
      let printed = String(format: "%.\(max(0, decimals))f", value)
      return Double(printed) == 0 && printed.hasPrefix("-") ? String(printed.dropFirst()) : printed
    case .integer(let value): return String(value)
    case .bool(let value): return value ? "yes" : "no"
    case .empty: return ""
    }
  }

  /// Numbers are right-aligned, everything else left-aligned.
  var isNumeric: Bool {
    switch self {
    case .number, .integer: return true
    default: return false
    }
  }
}

extension TableCell: Encodable {
  /// Numbers encode as JSON numbers (non-finite as `null`), text as strings, empty as `null`.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .text(let value): try container.encode(value)
    case .number(let value, _):
      if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
    case .integer(let value): try container.encode(value)
    case .bool(let value): try container.encode(value)
    case .empty: try container.encodeNil()
    }
  }
}

/// A table with a header row: printed aligned for the terminal (`text()`), as an HTML table
/// (`html()`), or as JSON (`json()`: `{"columns": [...], "rows": [{column: value}]}`).
///
/// ```swift
/// let table = Table(columns: ["parameter", "true", "mean", "hdi_3%", "hdi_97%"],
///                   rows: [["saturation_lam[tv]", .number(2.0), .number(1.93), .number(1.5), .number(2.4)]])
/// print(table.text())
/// ```
public struct Table: Sendable, Hashable, Encodable {
  /// Column headings.
  public var columns: [String]
  /// Rows of cells; short rows are padded with empty cells.
  public var rows: [[TableCell]]
  /// A caption printed above the table.
  public var caption: String

  /// Creates a table.
  public init(columns: [String], rows: [[TableCell]], caption: String = "") {
    self.columns = columns
    self.rows = rows
    self.caption = caption
  }

  func cell(_ row: Int, _ column: Int) -> TableCell {
    column < rows[row].count ? rows[row][column] : .empty
  }

  /// Whether column `column` holds numbers (every non-empty cell is numeric).
  func isNumericColumn(_ column: Int) -> Bool {
    let cells = rows.indices.map { cell($0, column) }.filter { $0 != .empty }
    return !cells.isEmpty && cells.allSatisfy(\.isNumeric)
  }

  /// The table as aligned plain text: a header, a rule of dashes, the rows; numeric columns
  /// right-aligned. Widths count characters, so the alignment holds in a monospaced terminal.
  public func text() -> String {
    let texts = rows.indices.map { row in columns.indices.map { cell(row, $0).text } }
    let widths = columns.indices.map { column in
      max(columns[column].count, texts.map { $0[column].count }.max() ?? 0)
    }
    let numeric = columns.indices.map(isNumericColumn)
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, text in
        let padding = String(repeating: " ", count: widths[column] - text.count)
        return numeric[column] ? padding + text : text + padding
      }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    var lines: [String] = []
    if !caption.isEmpty { lines.append(caption) }
    lines.append(line(columns))
    lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    lines += texts.map(line)
    return lines.joined(separator: "\n") + "\n"
  }

  /// The table as an HTML `<table>` (escaped; numeric columns get `class="num"`).
  public func html() -> String {
    let numeric = columns.indices.map(isNumericColumn)
    var out = "<table>\n"
    if !caption.isEmpty { out += "<caption>\(xmlEscaped(caption))</caption>\n" }
    out += "<thead><tr>"
    for (index, column) in columns.enumerated() {
      out += numeric[index] ? "<th class=\"num\">" : "<th>"
      out += xmlEscaped(column) + "</th>"
    }
    out += "</tr></thead>\n<tbody>\n"
    for row in rows.indices {
      out += "<tr>"
      for column in columns.indices {
        out += numeric[column] ? "<td class=\"num\">" : "<td>"
        out += xmlEscaped(cell(row, column).text) + "</td>"
      }
      out += "</tr>\n"
    }
    return out + "</tbody>\n</table>\n"
  }

  private enum CodingKeys: String, CodingKey { case columns, rows }

  private struct RowObject: Encodable {
    let columns: [String]
    let cells: [TableCell]

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: AnyKey.self)
      for (index, column) in columns.enumerated() {
        try container.encode(index < cells.count ? cells[index] : .empty, forKey: AnyKey(column))
      }
    }
  }

  private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Encodes `{"columns": [...], "rows": [{column: value, ...}, ...]}`.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(columns, forKey: .columns)
    try container.encode(rows.map { RowObject(columns: columns, cells: $0) }, forKey: .rows)
  }

  /// The table as pretty-printed JSON with sorted keys.
  public func json() -> String {
    // Encoding plain strings, numbers and nulls cannot fail.
    (try? JSONValue.encode(self)) ?? "{}"
  }
}
