import ArgumentParser
import CausalGraph
import CausalMMMCore
import Foundation
import GraphvizIO
import Inference
import MMM
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
  @Option(help: "Output directory for results.json and the SVG charts.") var out: String =
    "out/calibration-trap"
  @Option(help: "Kept draws per chain.") var draws: Int = 300
  @Option(help: "Warm-up iterations per chain.") var tune: Int = 300
  @Option(help: "Chains per model.") var chains: Int = 2
  @Flag(help: "Print only the tables and the conclusion.") var quiet = false

  func validate() throws {
    // Fewer draws leave the rank-normalised diagnostics (R-hat, ESS) without enough lags.
    guard draws >= 50, tune >= 50 else { throw ValidationError("--draws and --tune must be at least 50") }
    guard chains >= 1 else { throw ValidationError("--chains must be at least 1") }
  }

  func run() {
    var options = CalibrationTrapDemo.Options()
    options.seed = seed
    options.draws = draws
    options.tune = tune
    options.chains = chains
    let result = exitOnLocatedError {
      do {
        return try CalibrationTrapDemo.run(options) { line in if !quiet { printError(line) } }
      } catch let error as LocatedError {
        throw LocatedError(file: "calibration-trap", message: error.description)
      }
    }
    print(Self.report(result), terminator: "")
    exitOnLocatedError {
      try write(Self.json(result).rendered() + "\n", to: out + "/results.json")
      try write(Self.effectOverWindowChart(result).svg(), to: out + "/effect_over_window.svg")
      for key in CalibrationTrapDemo.estimandKeys {
        try write(Self.posteriorChart(result, estimand: key).svg(), to: out + "/posterior_\(key).svg")
      }
      let dag = try Scenario.calibrationTrapDAG()
      let annotations = DAGAnnotations(
        treatments: ["impressions_x2"], outcomes: ["target"],
        adjustmentSet: Set(
          result.plan.channels.first { $0.channel == "impressions_x2" }?.adjustmentSet ?? []),
        mediators: Set(result.plan.channels.first { $0.channel == "impressions_x2" }?.mediators ?? []),
        title: "calibration trap: adjust for the adjustment set, never for the mediators")
      do {
        let svg = try GraphRenderer.render(dag, annotations: annotations, format: .svg)
        try svg.write(to: URL(fileURLWithPath: out + "/dag.svg"))
      } catch let error as RenderError {
        printError("causal-mmm: warning: dag.svg not written: \(error)")
      }
    }
    print("wrote \(out)/results.json, effect_over_window.svg, posterior_*.svg, dag.svg")
  }

  /// True vs estimated daily effect of switching impressions_x2 off over the window, per model.
  static func effectOverWindowChart(_ result: CalibrationTrapDemo.Result) -> LineChart {
    let days = CalibrationTrapDemo.window.map(Double.init)
    var series = [Series(name: "truth (SCM)", x: days, y: result.trueDailyGoDark, color: "#000000")]
    var bands: [Band] = []
    for model in result.models {
      series.append(Series(name: model.name, x: days, y: model.dailyGoDark.map(\.mean), dashed: true))
      if model.name == "naive" || model.name == "causal" {
        bands.append(
          Band(
            name: model.name, x: days, lower: model.dailyGoDark.map(\.hdiLower),
            upper: model.dailyGoDark.map(\.hdiUpper)))
      }
    }
    return LineChart(
      title: "Daily effect of do(impressions_x2 := 0) on the target, days 880-979 (bands: 94% HDI)",
      xLabel: "day", yLabel: "effect on target per day", series: series, bands: bands, yIncludesZero: true)
  }

  /// Each model's posterior of one estimand, with the SCM truth marked.
  static func posteriorChart(_ result: CalibrationTrapDemo.Result, estimand key: String) -> DensityChart {
    let models = result.models.filter { $0.estimates[key] != nil }
    let description = result.truth.effects.first { $0.estimand.key == key }?.estimand.description ?? key
    return DensityChart(
      title: description, xLabel: "summed effect on target", rows: models.map(\.name),
      fits: [PosteriorDraws(name: "posterior", draws: models.map { $0.estimates[key]?.draws ?? [] })],
      references: [
        ReferenceValues(
          name: "truth (SCM)", values: models.map { _ in result.truth(of: key) }, color: "#000000")
      ])
  }

  static func report(_ result: CalibrationTrapDemo.Result) -> String {
    func pad(_ text: String, _ width: Int) -> String {
      text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
    func lpad(_ text: String, _ width: Int) -> String {
      text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
    func number(_ value: Double) -> String { String(format: "%.0f", value) }
    var out =
      "Calibration trap (seed 001), seed \(result.options.seed): \(result.options.chains) chains x "
      + "(\(result.options.tune) + \(result.options.draws)) per model\n\n"
    out += "Lift tests run on the truth (per-day units):\n"
    for row in result.liftTests {
      out +=
        "  \(row.channel) \(row.start)..\(row.end): x = \(String(format: "%.2f", row.x)), delta_x = "
        + "\(String(format: "%.2f", row.deltaX)), delta_y = \(String(format: "%.3f", row.deltaY)), sigma = \(String(format: "%.3f", row.sigma))\n"
    }
    for warning in result.liftTestWarnings { out += "  warning: \(warning)\n" }
    out +=
      "\nPlanner: for impressions_x2 adjust for {\(result.plan.channels[1].adjustmentSet?.joined(separator: ", ") ?? "")}"
      + "; causal model: target ~ impressions_x2 + \(result.causalControls.joined(separator: " + "))\n"
    if let verdict = result.plan.verdicts.first(where: { $0.channel == "impressions_x2" }) {
      out +=
        "  naive model (all channels + \(result.causalControls.joined(separator: " + "))): \(verdict.reasons.first ?? "")\n"
    }
    for key in CalibrationTrapDemo.estimandKeys {
      let truth = result.truth(of: key)
      let description = result.truth.effects.first { $0.estimand.key == key }?.estimand.description ?? key
      out += "\n(\(key)) \(description)\n  truth: \(number(truth))\n"
      out +=
        "  " + pad("model", 22) + lpad("mean", 8) + "  " + pad("94% HDI", 18) + lpad("width", 7)
        + lpad("error", 8) + lpad("error%", 8) + "  covers\n"
      for model in result.models {
        guard let e = model.estimates[key] else {
          out += "  " + pad(model.name, 22) + lpad("n/a", 8) + "  (not in the model)\n"
          continue
        }
        out +=
          "  " + pad(model.name, 22) + lpad(number(e.mean), 8) + "  "
          + pad("[\(number(e.hdiLower)), \(number(e.hdiUpper))]", 18)
          + lpad(number(e.width), 7) + lpad(number(e.error), 8)
          + lpad(String(format: "%+.0f%%", 100 * e.relativeError), 8)
          + "  " + (e.covers ? "yes" : "no") + "\n"
      }
    }
    out += "\nCalibration checks (per day; |z| > 2 flags the model):\n"
    out +=
      "  " + pad("model", 22) + pad("test", 24) + lpad("measured", 9) + " | " + lpad("steady", 7)
      + lpad("z", 6) + "      | "
      + lpad("window", 7) + lpad("z", 6) + "\n"
    for model in result.models {
      for (steady, window) in zip(model.steadyStateChecks, model.windowChecks) {
        out +=
          "  " + pad(model.name, 22) + pad(steady.test, 24) + lpad(String(format: "%.2f", steady.measured), 9)
          + " | "
          + lpad(String(format: "%.2f", steady.model), 7) + lpad(String(format: "%.1f", steady.zScore), 6)
          + (steady.passes ? " pass " : " FLAG ") + "| " + lpad(String(format: "%.2f", window.model), 7)
          + lpad(String(format: "%.1f", window.zScore), 6) + (window.passes ? " pass" : " FLAG") + "\n"
      }
    }
    out +=
      "\nSampler: "
      + result.models.map {
        "\($0.name) \(String(format: "%.0f", $0.seconds)) s, \($0.divergences) div., R-hat \(String(format: "%.2f", $0.maxRHat))"
      }
      .joined(separator: "; ") + "\n"
    out += "\nConclusion:\n"
    for line in result.conclusion() { out += "  - \(line)\n" }
    return out
  }

  static func json(_ result: CalibrationTrapDemo.Result) -> JSONValue {
    func estimate(_ e: CalibrationTrapDemo.Estimate) -> [(String, JSONValue)] {
      [
        ("mean", .number(e.mean)), ("hdi_3%", .number(e.hdiLower)), ("hdi_97%", .number(e.hdiUpper)),
        ("width", .number(e.width)), ("error", .number(e.error)),
        ("relative_error", .number(e.relativeError)),
        ("covers", .bool(e.covers)),
      ]
    }
    func checks(_ list: [CalibrationTrapDemo.CalibrationCheck]) -> JSONValue {
      .array(
        list.map {
          .object([
            ("test", .string($0.test)), ("measured", .number($0.measured)), ("sigma", .number($0.sigma)),
            ("model", .number($0.model)), ("model_sd", $0.modelSD.isFinite ? .number($0.modelSD) : .null),
            ("z", .number($0.zScore)), ("passes", .bool($0.passes)),
          ])
        })
    }
    let truthObject = JSONValue.object(
      result.truth.effects.map { effect in
        var members: [(String, JSONValue)] = [
          ("description", .string(effect.estimand.description)), ("total", .number(effect.total)),
        ]
        if let split = result.truth.mediation[effect.estimand.key] {
          members += [
            ("direct", .number(split.direct)), ("indirect", .number(split.indirect)),
            ("indirect_share", .number(split.indirectShare)),
          ]
        }
        return (effect.estimand.key, .object(members))
      })
    return .object([
      ("scenario", .string("calibration-trap")),
      ("seed", .integer(Int(result.options.seed))),
      ("estimand", .string("go_dark_x2")),
      ("true_effect", .number(result.truth(of: "go_dark_x2"))),
      ("truth", truthObject),
      (
        "lift_tests",
        .array(
          result.liftTests.map {
            .object([
              ("channel", .string($0.channel)), ("x", .number($0.x)), ("delta_x", .number($0.deltaX)),
              ("delta_y", .number($0.deltaY)), ("sigma", .number($0.sigma)),
              ("start", .string($0.start?.description ?? "")), ("end", .string($0.end?.description ?? "")),
            ])
          })
      ),
      ("lift_test_warnings", .strings(result.liftTestWarnings)),
      (
        "models",
        .array(
          result.models.map { model in
            let headline = model.estimates["go_dark_x2"].map(estimate) ?? []
            return .object(
              [
                ("name", .string(model.name)), ("channels", .strings(model.channels)),
                ("controls", .strings(model.controls)), ("lift_tests", .integer(model.liftTestCount)),
              ] + headline + [
                (
                  "estimands",
                  .object(
                    CalibrationTrapDemo.estimandKeys.map { key in
                      (key, model.estimates[key].map { .object(estimate($0)) } ?? .null)
                    })
                ),
                ("steady_state_check", checks(model.steadyStateChecks)),
                ("window_check", checks(model.windowChecks)),
                (
                  "sampler",
                  .object([
                    ("chains", .integer(result.options.chains)), ("tune", .integer(result.options.tune)),
                    ("draws", .integer(result.options.draws)), ("divergences", .integer(model.divergences)),
                    ("max_r_hat", .number(model.maxRHat)), ("seconds", .number(model.seconds)),
                  ])
                ),
              ])
          })
      ),
      ("conclusion", .strings(result.conclusion())),
    ])
  }
}
