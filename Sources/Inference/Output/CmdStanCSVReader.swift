import CausalMMMCore
import Foundation

extension CmdStanCSV {
  /// What `write` stores of one chain, read back exactly (every number is written in its shortest
  /// round-trip form): the kept transitions' statistics, the reported values, the adapted step size and
  /// inverse metric, and the chain's `id` (1-based).
  public struct ChainRecord: Sendable {
    public var id: Int
    public var stats: [TransitionStats]
    public var values: [[Double]]
    public var stepSize: Double
    public var inverseMetric: [Double]
  }

  /// Reads a chain file written by `write` (`name` locates errors).
  ///
  /// - Throws: `LocatedError` at the first line that does not have the written shape.
  public static func readChain(text: String, name: String) throws -> ChainRecord {
    var id: Int?
    var stepSize: Double?
    var inverseMetric: [Double] = []
    var inMetric = false
    var header: [String]?
    var stats: [TransitionStats] = []
    var values: [[Double]] = []
    func number(_ field: Substring, line: Int) throws -> Double {
      guard let value = Double(field.trimmingCharacters(in: .whitespaces)) else {
        throw LocatedError(file: name, line: line, "not a number: '\(field)'")
      }
      return value
    }
    for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = offset + 1
      if raw.isEmpty { continue }
      if raw.hasPrefix("#") {
        let body = raw.dropFirst().trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("id = ") {
          id = Int(body.dropFirst("id = ".count))
        } else if body.hasPrefix("Step size = ") {
          stepSize = try number(Substring(body.dropFirst("Step size = ".count)), line: line)
        } else if body.hasPrefix("Diagonal elements of inverse mass matrix:")
          || body.hasPrefix("Elements of inverse mass matrix:")
        {
          inMetric = true
        } else if inMetric {
          if body.isEmpty || body.hasPrefix("Elapsed") {
            inMetric = false
          } else {
            inverseMetric += try body.split(separator: ",").map { try number($0, line: line) }
          }
        }
        continue
      }
      inMetric = false
      let fields = raw.split(separator: ",", omittingEmptySubsequences: false)
      guard let columns = header else {
        let names = fields.map(String.init)
        header = names
        guard Array(names.prefix(statisticColumns.count)) == statisticColumns else {
          throw LocatedError(file: name, line: line, "not a CmdStan column line")
        }
        continue
      }
      guard fields.count == columns.count else {
        throw LocatedError(file: name, line: line, "\(fields.count) fields, expected \(columns.count)")
      }
      guard let depth = Int(fields[3]), let leapfrogs = Int(fields[4]) else {
        throw LocatedError(file: name, line: line, "bad treedepth__ or n_leapfrog__")
      }
      stats.append(
        TransitionStats(
          lp: try number(fields[0], line: line), acceptStat: try number(fields[1], line: line),
          stepSize: try number(fields[2], line: line), treeDepth: depth, leapfrogSteps: leapfrogs,
          divergent: fields[5] == "1", energy: try number(fields[6], line: line)))
      values.append(try fields.dropFirst(statisticColumns.count).map { try number($0, line: line) })
    }
    guard let id, let stepSize, header != nil else {
      throw LocatedError(
        file: name, "not a chain file written by causal-mmm (no id, step size or column line)")
    }
    return ChainRecord(id: id, stats: stats, values: values, stepSize: stepSize, inverseMetric: inverseMetric)
  }
}
