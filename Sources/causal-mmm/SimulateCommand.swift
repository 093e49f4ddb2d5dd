import ArgumentParser
import CausalMMMCore
import Foundation
import Inference
import MMM
import Simulation

struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Simulate a scenario's structural causal model and write its observed data (and true effects).",
    discussion: "Scenarios: \(Scenario.names.joined(separator: ", ")).")

  @Argument(help: "The scenario: \(Scenario.names.joined(separator: ", ")).") var scenario: String
  @Option(help: "The seed of the exogenous noise.") var seed: UInt64 = 1
  @Option(help: "Where to write the observed data (CSV).") var out: String
  @Option(help: "Where to write the true effects (JSON).") var truth: String?
  @Option(
    help: ArgumentHelp(
      "Also run a lift test and write its rows (CSV): CHANNEL:go-dark|scale=F:START-END (0-based periods, end exclusive).",
      valueName: "spec"))
  var liftTest: [String] = []
  @Option(help: "Where to write the lift-test rows (CSV); required with --lift-test.") var liftTestsOut:
    String?
  @Flag(help: "Add the tests' start,end dates (fit then reads the rows adstock-aware, not steady-state).")
  var liftTestWindows = false
  @Flag(
    name: .customLong("include-latent"),
    help:
      "Also write the latent nodes' columns (an oracle table: what a model that could see them would fit).")
  var includeLatent = false

  func run() throws {
    do {
      let model = try Scenario.named(scenario, seed: seed)
      let table = try model.observedTable(includingLatent: includeLatent)
      try write(table.csv(), to: out)
      print(
        "\(out): \(table.rows.count) rows, columns date\(table.unitColumn.map { ",\($0)" } ?? ""),\(table.columns.joined(separator: ","))"
      )
      if let truth {
        let values = try model.truth(seed: seed)
        try write(values.json(scenario: model).rendered() + "\n", to: truth)
        for effect in values.effects {
          print(
            "truth \(effect.estimand.key): \(String(format: "%.2f", effect.total)) (\(effect.estimand.description))"
          )
        }
        for (key, split) in values.mediation.sorted(by: { $0.key < $1.key }) {
          print(
            "truth \(key): direct \(String(format: "%.2f", split.direct)), indirect \(String(format: "%.2f", split.indirect)) (\(String(format: "%.1f", 100 * split.indirectShare))% through \(split.mediators.joined(separator: ", ")))"
          )
        }
      }
      if !liftTest.isEmpty {
        guard let liftTestsOut else { throw ValidationError("--lift-test needs --lift-tests-out FILE") }
        var rows: [LiftTest] = []
        for spec in liftTest { rows += try model.runLiftTest(LiftTestDesign(specification: spec)) }
        try write(LiftTest.csv(rows, includeWindow: liftTestWindows), to: liftTestsOut)
        print("\(liftTestsOut): \(rows.count) lift-test rows")
      }
    }
  }
}
