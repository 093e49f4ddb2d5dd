import CausalMMMCore
import Foundation
import MMM

/// ``OLSSensitivity`` on a plain CSV table (header line, one row per observation): the entry the
/// cross-check against sensemakr uses (`scripts/validation/sensemakr_check.sh`).
public enum OLSTableSensitivity {
  /// Reads `path` and analyses the coefficient of `treatment` in `outcome ~ treatment + covariates`
  /// with an intercept, or with fixed effects for the labels of column `fixedEffects`.
  /// - Throws: `LocatedError` located at the file, line and column of a missing column or a non-number.
  public static func analyse(
    path: String, outcome: String, treatment: String, covariates: [String], fixedEffects: String?,
    benchmarks: [String], alpha: Double = 0.05
  ) throws -> OLSSensitivity {
    let lines = try CSV.table(try CSV.readText(path: path), name: path)
    guard let headerLine = lines.first else { throw LocatedError(file: path, line: 1, "empty file") }
    let header = headerLine.fields
    func column(_ name: String) throws -> Int {
      guard let index = header.firstIndex(of: name) else {
        throw LocatedError(file: path, line: 1, column: name, "missing column")
      }
      return index
    }
    let numeric = [outcome, treatment] + covariates
    let indices = try numeric.map(column)
    let groupIndex = try fixedEffects.map(column)
    var values = [[Double]](repeating: [], count: numeric.count)
    var labels: [String: Int] = [:]
    var groups: [Int] = []
    for line in lines.dropFirst() {
      let row = line.fields
      guard row.count == header.count else {
        throw LocatedError(file: path, line: line.line, "expected \(header.count) fields, found \(row.count)")
      }
      for (k, index) in indices.enumerated() {
        guard let value = Double(row[index]), value.isFinite else {
          throw LocatedError(
            file: path, line: line.line, column: numeric[k], "'\(row[index])' is not a finite number")
        }
        values[k].append(value)
      }
      if let groupIndex {
        let label = row[groupIndex]
        groups.append(
          labels[label]
            ?? {
              labels[label] = labels.count; return labels.count - 1
            }())
      }
    }
    guard
      let result = OLSSensitivity.analyse(
        outcome: values[0], treatment: values[1],
        covariates: covariates.enumerated().map { (name: $1, values: values[$0 + 2]) },
        groups: fixedEffects == nil ? nil : groups, benchmarks: benchmarks, alpha: alpha)
    else {
      throw LocatedError(file: path, column: treatment, "collinear with the covariates, or too few rows")
    }
    return result
  }
}

extension OLSSensitivity {
  /// The analysis as JSON with sorted snake_case keys.
  public func jsonText() throws -> String {
    try JSONValue.encode(self, snakeCaseKeys: true)
  }
}
