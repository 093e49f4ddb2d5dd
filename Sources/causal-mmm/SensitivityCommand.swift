import ArgumentParser
import CausalMMMCore
import CausalValidation
import Foundation
import MMM

struct SensitivityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sensitivity",
    abstract: "Sensitivity of each channel's effect to an unobserved confounder (Cinelli & Hazlett 2020).",
    discussion: """
      Regresses the outcome by OLS on each channel's fitted transformed series (adstock and saturation at \
      the posterior mean) and the other terms of the fit, and reports the channel's partial R2, robustness \
      values RV (q = 1) and RV at alpha = 0.05 (OLS confidence interval), and the bounds for a confounder \
      1, 2 or 3 times as strong as each --benchmark control.
      """)

  @Option(help: "A fit directory written by `causal-mmm fit`.") var fit: String?
  @Option(
    parsing: .upToNextOption, help: "Controls (or other model terms) to benchmark a confounder against.")
  var benchmark: [String] = []
  @Option(help: "text or json.") var format: String = "text"
  // A plain-CSV entry to the same OLS analysis, for cross-checks against sensemakr (not for users).
  @Option(help: .hidden) var table: String?
  @Option(help: .hidden) var outcome: String?
  @Option(help: .hidden) var treatment: String?
  @Option(help: .hidden) var covariates: String?
  @Option(name: .customLong("fixed-effects"), help: .hidden) var fixedEffects: String?

  func run() throws {
    guard format == "text" || format == "json" else {
      throw LocatedError(column: "--format", "unknown format '\(format)' (expected text or json)")
    }
    if let table {
      let result = try OLSTableSensitivity.analyse(
        path: table, outcome: outcome ?? "", treatment: treatment ?? "",
        covariates: commaSeparated(covariates),
        fixedEffects: fixedEffects, benchmarks: benchmark)
      print(try result.jsonText())
      return
    }
    guard let fit else { throw LocatedError(column: "--fit", "missing: pass the fit directory") }
    let fitted = try FitArchive.load(from: URL(fileURLWithPath: fit))
    let report = try ChannelSensitivity.analyse(fit: fitted, benchmarks: benchmark)
    print(format == "json" ? try report.jsonText() : report.text())
  }
}
