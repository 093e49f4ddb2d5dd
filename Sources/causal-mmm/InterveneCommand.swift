import ArgumentParser
import Foundation
import MMM

struct InterveneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "intervene",
    abstract:
      "Posterior of the outcome difference for a counterfactual input table, from a saved fit (JSON on stdout).",
    discussion: """
      Without --baseline the table's dates must be training dates and the baseline is the training \
      data. A forward table (dates past the training dates, on the same period grid) needs --baseline, \
      a table with the same geos and dates holding the planned inputs; the carry-over of the last \
      training periods enters both.

      Example:
        causal-mmm intervene --fit fit --data plan_plus_20pct.csv \\
          --baseline plan.csv --include-carryover-tail
      """)

  @Option(help: "A directory written by `causal-mmm fit`.") var fit: String
  @Option(help: "Counterfactual table: the training table with channel/control columns changed.") var data:
    String
  @Option(help: "Baseline table with the counterfactual's geos and dates (default: the training data).")
  var baseline: String?
  @Flag(
    name: .customLong("include-carryover-tail"),
    help: "Also count the effect that spills past the table's last date (l_max periods of zero spend added).")
  var includeCarryoverTail = false

  func run() throws {
    do {
      let fitted = try FitArchive.load(from: URL(fileURLWithPath: fit))
      let table = try FitArchive.readData(
        path: data, configuration: fitted.model.configuration, requireTarget: false)
      let base = try baseline.map {
        try FitArchive.readData(path: $0, configuration: fitted.model.configuration, requireTarget: false)
      }
      let result = try fitted.intervene(
        counterfactual: table, baseline: base, includeCarryoverTail: includeCarryoverTail)
      func n(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
      let total = result.total
      let perDate = zip(result.dates, result.perDate).map { date, s in
        "    {\"date\": \"\(date)\", \"mean\": \(n(s.mean)), \"hdi_3%\": \(n(s.hdiLower)), \"hdi_97%\": \(n(s.hdiUpper))}"
      }
      print(
        "{\n  \"total\": {\"mean\": \(n(total.mean)), \"hdi_3%\": \(n(total.hdiLower)), \"hdi_97%\": \(n(total.hdiUpper)), "
          + "\"draws\": \(result.totalDraws.count)},\n  \"per_date\": [\n" + perDate.joined(separator: ",\n")
          + "\n  ]\n}")
    } catch {
      throw error
    }
  }
}
