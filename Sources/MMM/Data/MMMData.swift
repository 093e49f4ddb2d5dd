import CausalMMMCore
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
  /// The columns of the file that were not read (not named by the configuration).
  public var ignoredColumns: [String] = []

  /// Creates a table; every column must have one value per date.
  ///
  /// - Throws: `LocatedError` when a column or the geo list has the wrong length.
  public init(
    dates: [CalendarDate], geos: [String]? = nil, columns: [String: [Double]], sourceName: String = "<data>"
  ) throws {
    self.dates = dates
    self.geos = geos
    self.columns = columns
    self.sourceName = sourceName
    self.lineNumbers = nil
    if let geos, geos.count != dates.count {
      throw LocatedError(file: sourceName, "geo list has \(geos.count) entries for \(dates.count) rows")
    }
    for (name, values) in columns.sorted(by: { $0.key < $1.key }) where values.count != dates.count {
      throw LocatedError(file: sourceName, column: name, "has \(values.count) values for \(dates.count) rows")
    }
  }

  /// The number of rows.
  public var rowCount: Int { dates.count }

  /// The file line of row `row` (0-based).
  public func line(ofRow row: Int) -> Int { lineNumbers?[row] ?? row + 2 }

  /// A copy with one column replaced by `transform(date, geo, value)` (for counterfactual tables).
  ///
  /// - Throws: `LocatedError` when the column does not exist.
  public func modifying(
    column: String, _ transform: (CalendarDate, String?, Double) -> Double
  ) throws -> MMMData {
    guard let values = columns[column] else {
      throw LocatedError(
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
  /// - Throws: `LocatedError` located at file, line and column.
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
      throw LocatedError(file: name, line: 1, "empty file, expected a header line")
    }
    let headerFields = header.fields
    var index: [String: Int] = [:]
    for (i, field) in headerFields.enumerated() {
      if index[field] != nil {
        throw LocatedError(file: name, line: header.line, column: field, "duplicate column")
      }
      index[field] = i
    }
    let wanted = [dateColumn] + (geoColumn.map { [$0] } ?? []) + numericColumns
    if !headerFields.contains(where: wanted.contains),
      headerFields.contains(where: { CalendarDate(parsing: $0) != nil || Double($0) != nil })
    {
      throw LocatedError(
        file: name, line: header.line,
        "the first line holds data, not a header naming the columns (expected \(wanted.joined(separator: ",")))"
      )
    }
    for column in wanted where index[column] == nil {
      throw LocatedError(
        file: name, line: header.line, column: column, "missing column\(didYouMean(column, headerFields))")
    }
    if rejectOtherColumns {
      for field in headerFields where !wanted.contains(field) {
        throw LocatedError(
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
        throw LocatedError(
          file: name, line: row.line, "expected \(headerFields.count) fields, found \(fields.count)")
      }
      let dateText = fields[index[dateColumn, default: 0]]
      guard let date = CalendarDate(parsing: dateText) else {
        throw LocatedError(
          file: name, line: row.line, column: dateColumn, "'\(dateText)' is not a YYYY-MM-DD date")
      }
      dates.append(date)
      if let geoColumn {
        let geo = fields[index[geoColumn, default: 0]]
        if geo.isEmpty { throw LocatedError(file: name, line: row.line, column: geoColumn, "missing value") }
        geos.append(geo)
      }
      for (k, column) in numericColumns.enumerated() {
        let cell = fields[index[column, default: 0]]
        if cell.isEmpty { throw LocatedError(file: name, line: row.line, column: column, "missing value") }
        guard let v = Double(cell) else {
          throw LocatedError(file: name, line: row.line, column: column, "'\(cell)' is not a number")
        }
        guard v.isFinite else {
          throw LocatedError(file: name, line: row.line, column: column, "'\(cell)' is not a finite number")
        }
        values[k].append(v)
      }
      lineNumbers.append(row.line)
    }
    guard !dates.isEmpty else { throw LocatedError(file: name, line: 2, "no data rows") }
    var columns: [String: [Double]] = [:]
    for (k, column) in numericColumns.enumerated() { columns[column] = values[k] }
    var data = try MMMData(
      dates: dates, geos: geoColumn == nil ? nil : geos, columns: columns, sourceName: name)
    data.lineNumbers = lineNumbers
    data.ignoredColumns = headerFields.filter { !wanted.contains($0) }
    return data
  }
}
