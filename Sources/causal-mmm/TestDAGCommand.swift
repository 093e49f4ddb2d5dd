import ArgumentParser
import CausalGraph
import CausalMMMCore
import CausalValidation
import Foundation
import GraphvizIO
import MMM

struct TestDAGCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test-dag",
    abstract: "Test the conditional independencies a DAG implies against data (partial correlations).",
    discussion: """
      Tests DAGitty's basis set (for each node v: v _||_ its non-descendants other than its parents | its \
      parents), one test per pair v, w given Pa(v); --all tests one statement per non-adjacent pair instead. \
      DAG nodes with no data column are latent: statements involving one are listed as not tested. \
      Exit status 0 whatever the verdict; 1 for invalid input.
      """)

  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "Data CSV: a date column and one column per observed DAG node.") var data: String
  @Option(name: .customLong("date-column"), help: "The date column.") var dateColumn: String = "date"
  @Option(name: .customLong("geo-column"), help: "The geo column of a panel (tested within geo, and pooled).")
  var geoColumn: String?
  @Option(help: "pcor (Fisher's z, independent rows) or hac (prewhitened HAC standard error, time series).")
  var test: String = "hac"
  @Option(help: "Significance level of the verdicts.") var alpha: Double = 0.05
  @Option(help: "Multiple-testing correction: holm, bh or none.") var correction: String = "holm"
  @Flag(help: "Test every non-adjacent pair (not only the basis set).") var all = false
  @Option(help: "text or json.") var format: String = "text"
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?

  func run() throws {
    let output = try { () throws -> String in
      guard let method = IndependenceTestMethod(rawValue: test) else {
        throw LocatedError(file: "--test", message: "unknown test '\(test)' (expected pcor or hac)")
      }
      guard let correctionKind = MultipleTestingCorrection(rawValue: correction) else {
        throw LocatedError(
          file: "--correction", message: "unknown correction '\(correction)' (expected holm, bh or none)")
      }
      guard alpha > 0, alpha < 1 else {
        throw LocatedError(file: "--alpha", message: "must lie strictly between 0 and 1, got \(alpha)")
      }
      guard format == "text" || format == "json" else {
        throw LocatedError(file: "--format", message: "unknown format '\(format)' (expected text or json)")
      }
      let dag = try DAGQuery.load(
        file: file, treatment: nil, outcome: nil, latent: latent, requireQuery: false
      ).dag
      let table: DAGTestData
      do {
        table = try DAGTestData.read(path: data, dag: dag, dateColumn: dateColumn, geoColumn: geoColumn)
      } catch let error as LocatedError {
        throw LocatedError(file: error.file ?? data, line: error.line, message: Self.message(error))
      }
      let report = DAGDataCheck.run(
        dag: dag, data: table,
        options: DAGTestOptions(
          method: method, alpha: alpha, correction: correctionKind, statements: all ? .allPairs : .basisSet))
      return format == "json" ? try report.jsonText() : report.text()
    }()
    print(output)
  }

  // LocatedError's text without its `FILE:LINE: error: ` prefix (LocatedError adds it back).
  static func message(_ error: LocatedError) -> String {
    (error.column.map { "\(error.fieldKind) '\($0)': " } ?? "") + error.message
  }
}
