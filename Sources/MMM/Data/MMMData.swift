import Foundation

/// A data table in long format: one row per date (and geo), named numeric columns.
///
/// Rows keep their source location (file and line) so that validation errors point at them.
public struct MMMData: Sendable, Codable, Equatable {
  /// One date per row.
  public var dates: [CalendarDate]
  /// One geo label per row, or nil for a national (single-geo) table.
  public var geos: [String]?
  /// Numeric columns by name, each with one value per row.
  public var columns: [String: [Double]]
  /// Where the rows came from (a file path, or `<data>` for in-memory tables).
  public var sourceName: String
  /// The 1-based file line of each row (nil: row i is reported as line i + 2, after a header).
  public var lineNumbers: [Int]?

  /// Creates a table; every column must have one value per date.
  ///
  /// - Throws: `MMMError` when a column or the geo list has the wrong length.
  public init(
    dates: [CalendarDate], geos: [String]? = nil, columns: [String: [Double]], sourceName: String = "<data>"
  ) throws {
    self.dates = dates
    self.geos = geos
    self.columns = columns
    self.sourceName = sourceName
    self.lineNumbers = nil
    if let geos, geos.count != dates.count {
      throw MMMError(file: sourceName, "geo list has \(geos.count) entries for \(dates.count) rows")
    }
    for (name, values) in columns.sorted(by: { $0.key < $1.key }) where values.count != dates.count {
      throw MMMError(file: sourceName, column: name, "has \(values.count) values for \(dates.count) rows")
    }
  }

  /// The number of rows.
  public var rowCount: Int { dates.count }

  /// The file line of row `row` (0-based).
  public func line(ofRow row: Int) -> Int { lineNumbers?[row] ?? row + 2 }

  /// A copy with one column replaced by `transform(date, geo, value)` (for counterfactual tables).
  ///
  /// - Throws: `MMMError` when the column does not exist.
  public func modifying(
    column: String, _ transform: (CalendarDate, String?, Double) -> Double
  ) throws -> MMMData {
    guard let values = columns[column] else {
      throw MMMError(
        file: sourceName, column: column, "no such column\(didYouMean(column, columns.keys.sorted()))")
    }
    var copy = self
    copy.columns[column] = values.indices.map { transform(dates[$0], geos?[$0], values[$0]) }
    return copy
  }

  /// Reads a CSV file with a header line.
  ///
  /// - Parameters:
  ///   - path: the file.
  ///   - dateColumn: the column holding `YYYY-MM-DD` dates.
  ///   - geoColumn: the column holding geo labels, if any.
  ///   - numericColumns: the columns to read as numbers (all must be present).
  ///   - rejectOtherColumns: whether a column outside these is an error (a likely typo).
  /// - Throws: `MMMError` located at file, line and column.
  public static func readCSV(
    path: String, dateColumn: String, geoColumn: String?, numericColumns: [String], rejectOtherColumns: Bool
  ) throws -> MMMData {
    let text = try CSV.readText(path: path)
    return try parseCSV(
      text: text, name: path, dateColumn: dateColumn, geoColumn: geoColumn, numericColumns: numericColumns,
      rejectOtherColumns: rejectOtherColumns)
  }

  /// Parses CSV text (see `readCSV`); `name` is used in error locations.
  public static func parseCSV(
    text: String, name: String, dateColumn: String, geoColumn: String?, numericColumns: [String],
    rejectOtherColumns: Bool
  ) throws -> MMMData {
    let lines = try CSV.table(text, name: name)
    guard let header = lines.first else {
      throw MMMError(file: name, line: 1, "empty file, expected a header line")
    }
    let headerFields = header.fields
    var index: [String: Int] = [:]
    for (i, field) in headerFields.enumerated() {
      if index[field] != nil {
        throw MMMError(file: name, line: header.line, column: field, "duplicate column")
      }
      index[field] = i
    }
    let wanted = [dateColumn] + (geoColumn.map { [$0] } ?? []) + numericColumns
    if !headerFields.contains(where: wanted.contains),
      headerFields.contains(where: { CalendarDate(parsing: $0) != nil || Double($0) != nil })
    {
      throw MMMError(
        file: name, line: header.line,
        "the first line holds data, not a header naming the columns (expected \(wanted.joined(separator: ",")))")
    }
    for column in wanted where index[column] == nil {
      throw MMMError(
        file: name, line: header.line, column: column, "missing column\(didYouMean(column, headerFields))")
    }
    if rejectOtherColumns {
      for field in headerFields where !wanted.contains(field) {
        throw MMMError(
          file: name, line: header.line, column: field,
          "unknown column, not named in the configuration\(didYouMean(field, wanted))")
      }
    }
    var dates: [CalendarDate] = []
    var geos: [String] = []
    var values = [[Double]](repeating: [], count: numericColumns.count)
    var lineNumbers: [Int] = []
    for row in lines.dropFirst() {
      let fields = row.fields
      guard fields.count == headerFields.count else {
        throw MMMError(
          file: name, line: row.line, "expected \(headerFields.count) fields, found \(fields.count)")
      }
      let dateText = fields[index[dateColumn]!]
      guard let date = CalendarDate(parsing: dateText) else {
        throw MMMError(
          file: name, line: row.line, column: dateColumn, "'\(dateText)' is not a YYYY-MM-DD date")
      }
      dates.append(date)
      if let geoColumn {
        let geo = fields[index[geoColumn]!]
        if geo.isEmpty { throw MMMError(file: name, line: row.line, column: geoColumn, "missing value") }
        geos.append(geo)
      }
      for (k, column) in numericColumns.enumerated() {
        let cell = fields[index[column]!]
        if cell.isEmpty { throw MMMError(file: name, line: row.line, column: column, "missing value") }
        guard let v = Double(cell) else {
          throw MMMError(file: name, line: row.line, column: column, "'\(cell)' is not a number")
        }
        guard v.isFinite else {
          throw MMMError(file: name, line: row.line, column: column, "'\(cell)' is not a finite number")
        }
        values[k].append(v)
      }
      lineNumbers.append(row.line)
    }
    guard !dates.isEmpty else { throw MMMError(file: name, line: 2, "no data rows") }
    var columns: [String: [Double]] = [:]
    for (k, column) in numericColumns.enumerated() { columns[column] = values[k] }
    var data = try MMMData(
      dates: dates, geos: geoColumn == nil ? nil : geos, columns: columns, sourceName: name)
    data.lineNumbers = lineNumbers
    return data
  }
}

/// Minimal RFC-4180 reading: comma separated, double-quoted fields, blank lines skipped.
enum CSV {
  struct Line {
    let line: Int
    let fields: [String]
    /// Whether the line ended inside a quoted field.
    var hasOpenQuote = false
  }

  /// The non-blank lines of `text` with their 1-based line numbers. A leading byte-order mark is
  /// dropped; lines may end in LF, CRLF or CR (a CRLF pair is one `Character` in Swift, so lines
  /// are split on `isNewline`, not on "\n").
  static func lines(_ text: String) -> [Line] {
    var body = Substring(text)
    if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
    var result: [Line] = []
    var lineNumber = 0
    for raw in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      lineNumber += 1
      if raw.trimmingSpaces.isEmpty { continue }
      let (fields, open) = split(raw)
      result.append(Line(line: lineNumber, fields: fields, hasOpenQuote: open))
    }
    return result
  }

  /// `lines(text)`, refusing a line whose quoted field is not closed (a quoted field cannot span lines).
  ///
  /// - Throws: `MMMError` at the line with the open quote.
  static func table(_ text: String, name: String, maximumCells: Int = maximumCells) throws -> [Line] {
    // Count before splitting: the split table takes ~20 bytes per cell, so an oversized file is
    // refused with a message here instead of being killed for running out of memory.
    var lineCount = 0
    var firstLineFields = 1
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\n") {
        lineCount += 1
      } else if byte == UInt8(ascii: ","), lineCount == 0 {
        firstLineFields += 1
      }
    }
    if lineCount.multipliedReportingOverflow(by: firstLineFields).partialValue > maximumCells {
      throw MMMError(
        file: name,
        "about \(lineCount) lines x \(firstLineFields) columns exceeds the limit of \(maximumCells) cells; "
          + "aggregate the data (e.g. weekly, fewer geos) or split it")
    }
    let result = lines(text)
    if let open = result.first(where: \.hasOpenQuote) {
      throw MMMError(file: name, line: open.line, "a quoted field is not closed on this line")
    }
    return result
  }

  /// The largest table read (lines x header fields), 10^8 cells: about 2 GB once split.
  static let maximumCells = 100_000_000

  /// The fields of one line, and whether it ended inside a quoted field.
  static func split(_ line: Substring) -> (fields: [String], openQuote: Bool) {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var iterator = line.makeIterator()
    while let ch = iterator.next() {
      if quoted {
        if ch == "\"" { quoted = false } else { current.append(ch) }
      } else if ch == "\"" {
        quoted = true
      } else if ch == "," {
        fields.append(String(current.trimmingSpaces))
        current = ""
      } else {
        current.append(ch)
      }
    }
    fields.append(String(current.trimmingSpaces))
    return (fields, quoted)
  }

  /// Reads `path` as UTF-8 text.
  ///
  /// - Throws: `MMMError` telling an unreadable file from one that is not UTF-8 text.
  static func readText(path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw MMMError(file: path, "cannot read file") }
    guard let text = String(data: data, encoding: .utf8) else { throw MMMError(file: path, "the file is not UTF-8 text") }
    return text
  }
}

extension StringProtocol {
  var trimmingSpaces: Substring {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return s
  }
}
