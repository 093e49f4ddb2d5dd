import CausalGraph
import CausalMMMCore
import Foundation
import MMM

extension DAGTestData {
  /// Reads the columns of `path` that name nodes of `dag` (the others are ignored; nodes without a
  /// column are left out, and the tests treat them as latent).
  ///
  /// - Parameters:
  ///   - path: the CSV file (header line, then one row per date, or per date and geo).
  ///   - dag: the DAG whose nodes name the columns to read.
  ///   - dateColumn: the `YYYY-MM-DD` date column (it must exist).
  ///   - geoColumn: the geo column of a panel, if any.
  /// - Throws: `LocatedError` located at file, line and column (missing file, bad row, non-finite value,
  ///   unknown date or geo column, constant column, repeated date).
  public static func read(path: String, dag: CausalDAG, dateColumn: String, geoColumn: String?) throws
    -> DAGTestData
  {
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read file")
    }
    guard let text = String(data: contents, encoding: .utf8) else {
      throw LocatedError(file: path, "not UTF-8 text")
    }
    let header = headerFields(text)
    let reserved = Set([dateColumn] + (geoColumn.map { [$0] } ?? []))
    let wanted = dag.nodes.filter { !$0.isLatent && header.contains($0.name) && !reserved.contains($0.name) }
      .map(\.name)
    let data = try MMMData.parseCSV(
      text: text, name: path, dateColumn: dateColumn, geoColumn: geoColumn, numericColumns: wanted,
      rejectOtherColumns: false)
    return try DAGTestData(data, geoColumn: geoColumn)
  }

  // The first non-blank line's fields (the full parse, with its located errors, is MMMData's; this
  // only learns which columns exist).
  static func headerFields(_ text: String) -> Set<String> {
    Set(CSV.lines(text).first?.fields ?? [])
  }
}
