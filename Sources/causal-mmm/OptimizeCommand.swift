import ArgumentParser
import Foundation
import GraphvizIO
import Reports

struct OptimizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "optimize",
    abstract: "Allocate a budget over channels (and geos) to maximise the expected incremental outcome.",
    discussion: """
      Maximises the posterior mean (or, with --objective cvar:Q, the mean of the worst Q share of draws) \
      of the incremental outcome over the horizon plus its carry-over tail, counting the carry-over of \
      spend before the horizon. Each channel's (and geo's) total spend is spread over the horizon by the \
      flighting pattern. When the fit's configuration names a dag:, channels whose total effect the model \
      does not estimate are refused unless --allow-non-causal.

      Example:
        causal-mmm optimize --fit fit --budget 50000 --start 2024-01-01 \\
          --periods 13 --relative-bounds 0.5:1.5 --out plan
      """)

  @Option(help: "A directory written by `causal-mmm fit`.") var fit: String
  @Option(help: "Total spend over the horizon, all channels and geos.") var budget: Double
  @Option(help: "First date of the horizon (at most one period after the training data).") var start: String
  @Option(help: "Periods in the horizon.") var periods: Int
  @Option(
    parsing: .singleValue,
    help: "CHANNEL=LO:HI bounds on a channel's spend (per geo in a geo model); repeatable.")
  var bounds: [String] = []
  @Option(
    name: .customLong("relative-bounds"), help: "LO:HI bounds relative to the current spend, e.g. 0.5:1.5.")
  var relativeBounds: String?
  @Option(name: .customLong("geo-budgets"), help: "CSV with columns geo,budget (summing to --budget).")
  var geoBudgets: String?
  @Option(help: "Comma-separated channels kept at their current spend.") var fix: String?
  @Option(help: "mean or cvar:Q (mean of the worst Q share of draws).") var objective = "mean"
  @Option(help: "historical (the last N periods' pattern) or flat.") var flighting = "historical"
  @Option(help: "text or json.") var format = "text"
  @Option(help: "Directory for allocation.json, allocation.csv and allocation.svg.") var out: String?
  @Flag(
    name: .customLong("allow-non-causal"),
    help: "Allocate channels the causal guard refuses (with a warning).")
  var allowNonCausal = false
  @Option(
    name: .customLong("export-problem"),
    help: ArgumentHelp(
      "Write the solved problem as JSON (for scripts/decisions/slsqp_check.py).", visibility: .hidden))
  var exportProblem: String?

  func run() throws {
    var options = DecisionReports.OptimizeOptions(
      fitDirectory: fit, budget: budget, start: start, periods: periods)
    options.bounds = bounds
    options.relativeBounds = relativeBounds
    options.geoBudgets = geoBudgets
    options.fix = commaSeparated(fix)
    options.objective = objective
    options.flighting = flighting
    options.format = format
    options.outputDirectory = out
    options.allowNonCausal = allowNonCausal
    options.exportProblem = exportProblem
    print(try DecisionReports.optimize(options) { path in try DOTReader.read(contentsOf: path) })
  }
}
