import CausalMMMCore
import Foundation

/// One lift-test measurement (PyMC-Marketing's columns), in original units.
///
/// A row with `start` and `end` is read adstock-aware: `deltaY` is the mean lift per period over
/// the dates `start...end` when `deltaX` is added to the observed spend on those dates, carry-over
/// included. Without them the row is PyMC-Marketing's steady-state reading
/// `|s(x + Δx) - s(x)|` on the saturation curve.
public struct LiftTest: Sendable, Codable, Equatable {
  public var channel: String
  public var x: Double
  public var deltaX: Double
  public var deltaY: Double
  public var sigma: Double
  public var geo: String?
  public var date: CalendarDate?
  public var start: CalendarDate?
  public var end: CalendarDate?
  /// Where the row came from, for error messages.
  public var sourceName: String
  public var line: Int

  /// Creates a measurement.
  public init(
    channel: String, x: Double, deltaX: Double, deltaY: Double, sigma: Double, geo: String? = nil,
    date: CalendarDate? = nil, start: CalendarDate? = nil, end: CalendarDate? = nil,
    sourceName: String = "<lift tests>", line: Int = 0
  ) {
    self.channel = channel
    self.x = x
    self.deltaX = deltaX
    self.deltaY = deltaY
    self.sigma = sigma
    self.geo = geo
    self.date = date
    self.start = start
    self.end = end
    self.sourceName = sourceName
    self.line = line
  }

  /// Whether this row is read adstock-aware (has a date window).
  public var isWindowed: Bool { start != nil && end != nil }

  /// Reads a lift-test CSV: `channel, x, delta_x, delta_y, sigma` and optionally `geo, date, start, end`.
  ///
  /// - Throws: `LocatedError` with file, line and column for missing/unknown columns and bad cells.
  public static func readCSV(path: String) throws -> [LiftTest] {
    try parseCSV(text: try CSV.readText(path: path), name: path)
  }

  /// Parses lift-test CSV text (see `readCSV`).
  public static func parseCSV(text: String, name: String) throws -> [LiftTest] {
    let lines = try CSV.table(text, name: name)
    guard let header = lines.first else {
      throw LocatedError(file: name, line: 1, "empty file, expected a header line")
    }
    let required = ["channel", "x", "delta_x", "delta_y", "sigma"]
    let optional = ["geo", "date", "start", "end"]
    var index: [String: Int] = [:]
    for (i, field) in header.fields.enumerated() {
      guard required.contains(field) || optional.contains(field) else {
        throw LocatedError(
          file: name, line: header.line, column: field,
          "unknown column\(didYouMean(field, required + optional))")
      }
      index[field] = i
    }
    for field in required where index[field] == nil {
      throw LocatedError(file: name, line: header.line, column: field, "missing column")
    }
    if (index["start"] == nil) != (index["end"] == nil) {
      throw LocatedError(
        file: name, line: header.line, column: index["start"] == nil ? "start" : "end",
        "'start' and 'end' go together")
    }
    var tests: [LiftTest] = []
    for row in lines.dropFirst() {
      let f = row.fields
      guard f.count == header.fields.count else {
        throw LocatedError(
          file: name, line: row.line, "expected \(header.fields.count) fields, found \(f.count)")
      }
      func number(_ column: String) throws -> Double {
        let cell = f[index[column, default: 0]]
        guard !cell.isEmpty else {
          throw LocatedError(file: name, line: row.line, column: column, "missing value")
        }
        guard let v = Double(cell), v.isFinite else {
          throw LocatedError(file: name, line: row.line, column: column, "'\(cell)' is not a finite number")
        }
        return v
      }
      func date(_ column: String) throws -> CalendarDate? {
        guard let i = index[column] else { return nil }
        let cell = f[i]
        if cell.isEmpty { return nil }
        guard let d = CalendarDate(parsing: cell) else {
          throw LocatedError(file: name, line: row.line, column: column, "'\(cell)' is not a YYYY-MM-DD date")
        }
        return d
      }
      let channel = f[index["channel", default: 0]]
      guard !channel.isEmpty else {
        throw LocatedError(file: name, line: row.line, column: "channel", "missing value")
      }
      let test = LiftTest(
        channel: channel, x: try number("x"), deltaX: try number("delta_x"), deltaY: try number("delta_y"),
        sigma: try number("sigma"), geo: index["geo"].map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 },
        date: try date("date"), start: try date("start"), end: try date("end"), sourceName: name,
        line: row.line)
      tests.append(test)
    }
    return tests
  }

  /// Rows as CSV with PyMC-Marketing's columns `channel,x,delta_x,delta_y,sigma`, then `geo` (when
  /// a row has one) and, when `includeWindow`, `start,end` (read adstock-aware by `causal-mmm fit`;
  /// without them a row is read the PyMC-Marketing way, in steady state on the saturation curve).
  public static func csv(_ rows: [LiftTest], includeWindow: Bool = false) -> String {
    let hasGeo = rows.contains { $0.geo != nil }
    var lines = [
      "channel,x,delta_x,delta_y,sigma" + (hasGeo ? ",geo" : "") + (includeWindow ? ",start,end" : "")
    ]
    for row in rows {
      var fields = [
        row.channel, formatDecimal(row.x), formatDecimal(row.deltaX), formatDecimal(row.deltaY),
        formatDecimal(row.sigma),
      ]
      if hasGeo { fields.append(row.geo ?? "") }
      if includeWindow { fields += [row.start?.description ?? "", row.end?.description ?? ""] }
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// This row without its window: PyMC-Marketing's steady-state reading.
  public var withoutWindow: LiftTest {
    var copy = self
    copy.start = nil
    copy.end = nil
    return copy
  }
}
