import ArgumentParser
import CausalMMMCore
import Foundation
import Reports
import Simulation

struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run a demonstration end to end.",
    subcommands: [CalibrationTrapDemoCommand.self, RegretDemoCommand.self])
}

struct CalibrationTrapDemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calibration-trap",
    abstract:
      "Seed 001: lift-test calibration cannot rescue a causally misspecified MMM; the DAG's specification can."
  )

  @Option(help: "Scenario seed.") var seed: UInt64 = 1
  @Option(help: "Output directory for results.json, the SVG charts and report.html.") var out: String =
    "out/calibration-trap"
  @Option(help: "Kept draws per chain.") var draws: Int = 300
  @Option(help: "Warm-up iterations per chain.") var tune: Int = 300
  @Option(help: "Chains per model.") var chains: Int = 2
  @Flag(help: "Print only the tables and the conclusion.") var quiet = false
  @Flag(name: .customLong("only-structural"), help: "Fit only the structural model (coverage studies).")
  var onlyStructural = false

  func validate() throws {
    // Fewer draws leave the rank-normalised diagnostics (R-hat, ESS) without enough lags.
    guard draws >= 50, tune >= 50 else { throw ValidationError("--draws and --tune must be at least 50") }
    guard chains >= 1 else { throw ValidationError("--chains must be at least 1") }
  }

  func run() throws {
    var options = CalibrationTrapDemo.Options()
    options.seed = seed
    options.draws = draws
    options.tune = tune
    options.chains = chains
    options.onlyStructural = onlyStructural
    let result = try CalibrationTrapDemo.run(options) { line in if !quiet { printError(line) } }
    print(CalibrationTrapReport.text(result), terminator: "")
    let warnings = try CalibrationTrapReport.write(result, to: out)
    for warning in warnings { printError("causal-mmm: warning: \(warning)") }
    print("wrote \(out)/results.json, effect_over_window.svg, posterior_*.svg, dag.svg")
    print("wrote \(out)/report.html")
  }
}
