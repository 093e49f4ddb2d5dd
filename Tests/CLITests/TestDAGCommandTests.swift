import Foundation
import Testing

@Suite("causal-mmm test-dag and sensitivity: results, located errors, render --tests")
struct TestDAGCommandTests {
  /// A temporary directory with chain.dot (a -> b -> c, missing the true a -> c) and data.csv.
  func workspace(rows: [String]? = nil) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "test-dag-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try "digraph { a -> b; b -> c; }\n".write(
      to: directory.appendingPathComponent("chain.dot"), atomically: true, encoding: .utf8)
    var lines = ["date,a,b,c"]
    if let rows {
      lines += rows
    } else {
      // Deterministic data in which c depends on a directly: a _||_ c | b is false.
      var state: UInt64 = 42
      func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53) - 0.5
      }
      for day in 0..<200 {
        let a = uniform()
        let b = 0.8 * a + uniform()
        let c = 0.5 * b + 0.9 * a + uniform()
        // 2020-01-06 plus `day` weeks, from the days since 1970-01-01 (2020-01-06 is day 18,267).
        let text = Self.isoDate(daysSinceEpoch: 18_267 + 7 * day)
        lines.append("\(text),\(a),\(b),\(c)")
      }
    }
    try (lines.joined(separator: "\n") + "\n").write(
      to: directory.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
    return directory
  }

  /// YYYY-MM-DD of a day count since 1970-01-01 (Howard Hinnant's civil-from-days).
  static func isoDate(daysSinceEpoch: Int) -> String {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return String(format: "%04d-%02d-%02d", year, month, day)
  }

  @Test("a DAG missing a -> c is rejected, the edge is named, and render --tests draws a dashed red line")
  func rejectsAndRenders() throws {
    let directory = try workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try CLIRunner.run(
      ["test-dag", "chain.dot", "--data", "data.csv", "--test", "pcor"], in: directory)
    #expect(result.status == 0)
    #expect(result.stdout.contains("1 of 1 implications rejected at 5% after Holm correction"))
    #expect(result.stdout.contains("c _||_ a | b: add a -> c"))
    let json = try CLIRunner.run(
      ["test-dag", "chain.dot", "--data", "data.csv", "--test", "pcor", "--format", "json"], in: directory)
    #expect(json.status == 0)
    try json.stdout.write(
      to: directory.appendingPathComponent("tests.json"), atomically: true, encoding: .utf8)
    let rendered = try CLIRunner.run(
      ["render", "chain.dot", "--tests", "tests.json", "-o", "out.dot"], in: directory)
    #expect(rendered.status == 0)
    let dot = try String(contentsOf: directory.appendingPathComponent("out.dot"), encoding: .utf8)
    #expect(dot.contains(##""a" -> "c" [dir=none, style=dashed, color="#d62728""##))
  }

  @Test(
    "invalid input exits 1 with one located error line",
    arguments: [
      (
        ["2020-01-06,1,2,3", "2020-01-13,2,abc,4"], [String](),
        "data.csv:3: error: column 'b': 'abc' is not a number"
      ),
      (
        ["2020-01-06,1,2,3", "2020-01-13,2,NaN,4"], [],
        "data.csv:3: error: column 'b': 'NaN' is not a finite number"
      ),
      (
        ["2020-01-06,1,2,3", "2020-01-13,1,3,4", "2020-01-20,1,4,4"], [],
        "data.csv: error: column 'a': is constant"
      ),
      (["2020-01-06,1,2,3"], ["--date-column", "day"], "data.csv:1: error: column 'day': missing column"),
      (["2020-01-06,1,2,3"], ["--data", "nowhere.csv"], "nowhere.csv: error: cannot read file"),
    ])
  func locatedErrors(rows: [String], extra: [String], expected: String) throws {
    let directory = try workspace(rows: rows)
    defer { try? FileManager.default.removeItem(at: directory) }
    let arguments =
      ["test-dag", "chain.dot"] + (extra.contains("--data") ? extra : ["--data", "data.csv"] + extra)
    let result = try CLIRunner.run(arguments, in: directory)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test("sensitivity without a fit directory exits 1 with one error line")
  func sensitivityMissingFit() throws {
    let result = try CLIRunner.run(["sensitivity", "--fit", "/nonexistent-fit"])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("/nonexistent-fit/config.json: error: cannot read file"))
  }
}
