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

  func run() {
    exitOnLocatedError {
      let model = try Scenario.named(scenario, seed: seed)
      let table = try model.observedTable()
      try write(table.csv(), to: out)
      print(
        "\(out): \(table.rows.count) rows, columns date\(table.unitColumn.map { ",\($0)" } ?? ""),\(table.columns.joined(separator: ","))"
      )
      if let truth {
        let values = try model.truth(seed: seed)
        try write(Self.truthJSON(values, scenario: model).rendered() + "\n", to: truth)
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
        for spec in liftTest { rows += try model.runLiftTest(Self.parseLiftTest(spec)) }
        try write(LiftTest.csv(rows, includeWindow: liftTestWindows), to: liftTestsOut)
        print("\(liftTestsOut): \(rows.count) lift-test rows")
      }
    }
  }

  /// `CHANNEL:go-dark:START-END` or `CHANNEL:scale=1.5:START-END`.
  static func parseLiftTest(_ spec: String) throws -> LiftTestDesign {
    let parts = spec.split(separator: ":").map(String.init)
    let bounds = parts.count == 3 ? parts[2].split(separator: "-").compactMap { Int($0) } : []
    guard parts.count == 3, bounds.count == 2, bounds[0] < bounds[1] else {
      throw ValidationError("invalid --lift-test '\(spec)': expected CHANNEL:go-dark|scale=F:START-END")
    }
    let kind: LiftTestDesign.Kind
    if parts[1] == "go-dark" {
      kind = .goDark
    } else if parts[1].hasPrefix("scale="), let factor = Double(parts[1].dropFirst(6)), factor.isFinite {
      kind = .scale(factor)
    } else {
      throw ValidationError("invalid --lift-test kind '\(parts[1])': expected go-dark or scale=F")
    }
    return LiftTestDesign(channel: parts[0], kind: kind, periods: bounds[0]..<bounds[1])
  }

  static func truthJSON(_ truth: ScenarioTruth, scenario: Scenario) -> JSONValue {
    .object([
      ("scenario", .string(truth.scenario)),
      ("seed", .integer(Int(truth.seed))),
      ("periods", .integer(scenario.days)),
      ("outcome", .string(scenario.outcome)),
      ("channels", .strings(scenario.channels)),
      (
        "estimands",
        .array(
          truth.effects.map { effect in
            var members: [(String, JSONValue)] = [
              ("key", .string(effect.estimand.key)),
              ("description", .string(effect.estimand.description)),
              (
                "window",
                .array([
                  .integer(effect.estimand.window.lowerBound),
                  .integer(effect.estimand.window.upperBound - 1),
                ])
              ),
              ("total", .number(effect.total)),
              ("per_period", .number(effect.total / Double(effect.perPeriod.count))),
            ]
            if let units = effect.estimand.units { members.append(("geos", .strings(units))) }
            if let split = truth.mediation[effect.estimand.key] {
              members.append(
                (
                  "mediation",
                  .object([
                    ("mediators", .strings(split.mediators)), ("direct", .number(split.direct)),
                    ("indirect", .number(split.indirect)), ("indirect_share", .number(split.indirectShare)),
                  ])
                ))
            }
            return .object(members)
          })
      ),
    ])
  }
}

/// Writes text to a file, creating the parent directory.
func write(_ text: String, to path: String) throws {
  let url = URL(fileURLWithPath: path)
  try FileManager.default.createDirectory(
    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  try text.write(to: url, atomically: true, encoding: .utf8)
}
