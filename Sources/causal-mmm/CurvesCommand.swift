import ArgumentParser
import Foundation
import Reports

struct CurvesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "curves",
    abstract: "Response curves per channel: incremental outcome and marginal ROAS when its spend is scaled.",
    discussion: """
      Over the training period by default; with --start DATE --periods N over a forward window that \
      spends along the last N training periods, receives their carry-over and counts its own carry-over \
      tail. --out writes curves.json, curves.csv and curves.svg.

      Example:
        causal-mmm curves --fit fit --channels tv,search \\
          --multipliers 0:2:0.1 --out curves
      """)

  @Option(help: "A directory written by `causal-mmm fit`.") var fit: String
  @Option(help: "Comma-separated channels (default: all).") var channels: String?
  @Option(help: "Spend multipliers: LO:HI:STEP or a comma-separated list.") var multipliers = "0:2:0.1"
  @Option(help: "First date of a forward window (on the training period grid).") var start: String?
  @Option(help: "Periods of the forward window.") var periods: Int?
  @Option(help: "text or json.") var format = "text"
  @Option(help: "Directory for curves.json, curves.csv and curves.svg.") var out: String?

  func run() throws {
    print(
      try DecisionReports.curves(
        fitDirectory: fit, channels: commaSeparated(channels), multipliers: multipliers, start: start,
        periods: periods,
        format: format, outputDirectory: out))
  }
}
