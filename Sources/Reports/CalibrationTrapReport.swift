import CausalGraph
import CausalMMMCore
import Foundation
import GraphvizIO
import MMM
import Simulation

/// Everything `causal-mmm demo calibration-trap` prints and writes, built from the demo's result:
/// the text report (``text(_:)``), `results.json` (``json(_:)``), the charts, the DAG drawing and
/// the self-contained HTML page (``html(_:dagSVG:)``). ``write(_:to:)`` writes all files.
public enum CalibrationTrapReport {
  /// The treatment whose effect the demo asks about.
  static let treatment = "impressions_x2"
  /// The outcome.
  static let outcome = "target"

  /// The planner's entry for impressions_x2 (its recommended controls and mediators).
  static func treatmentPlan(_ result: CalibrationTrapDemo.Result) -> ChannelPlan? {
    result.plan.channels.first { $0.channel == treatment }
  }

  /// The description of an estimand (`do(impressions_x2 := 0) on days 880-979: ...`), else its key.
  static func describe(_ result: CalibrationTrapDemo.Result, _ key: String) -> String {
    result.truth.effects.first { $0.estimand.key == key }?.estimand.description ?? key
  }

  // MARK: - Charts

  /// True vs estimated daily effect of switching impressions_x2 off over the window, per model.
  public static func effectOverWindowChart(_ result: CalibrationTrapDemo.Result) -> LineChart {
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
  public static func posteriorChart(_ result: CalibrationTrapDemo.Result, estimand key: String)
    -> DensityChart
  {
    let models = result.models.filter { $0.estimates[key] != nil }
    return DensityChart(
      title: describe(result, key), xLabel: "summed effect on target", rows: models.map(\.name),
      fits: [PosteriorDraws(name: "posterior", draws: models.map { $0.estimates[key]?.draws ?? [] })],
      references: [
        ReferenceValues(
          name: "truth (SCM)", values: models.map { _ in result.truth(of: key) }, color: "#000000")
      ])
  }

  /// The DAG's highlights: impressions_x2 -> target, the planner's recommended controls for
  /// impressions_x2 (adjustment set plus precision variables) and its mediators.
  public static func dagAnnotations(_ result: CalibrationTrapDemo.Result) -> DAGAnnotations {
    let plan = treatmentPlan(result)
    return DAGAnnotations(
      treatments: [treatment], outcomes: [outcome], adjustmentSet: Set(plan?.controls ?? []),
      mediators: Set(plan?.mediators ?? []),
      title: "calibration trap: adjust for the adjustment set, never for the mediators")
  }

  /// The DAG drawn by Graphviz with ``dagAnnotations(_:)``, as an SVG document.
  /// - Throws: `SimulationError` (the scenario's graph) or `RenderError` (Graphviz).
  public static func dagSVG(_ result: CalibrationTrapDemo.Result) throws -> String {
    let data = try GraphRenderer.render(
      try Scenario.calibrationTrapDAG(), annotations: dagAnnotations(result), format: .svg)
    return String(decoding: data, as: UTF8.self)
  }

  // MARK: - Text

  /// The report printed on stdout: lift tests, the planner's choice, one table per estimand,
  /// the calibration checks, the sampler, the conclusion.
  public static func text(_ result: CalibrationTrapDemo.Result) -> String {
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
        "  \(row.channel) \(row.start?.description ?? "")..\(row.end?.description ?? ""): x = \(String(format: "%.2f", row.x)), delta_x = "
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
      out += "\n(\(key)) \(describe(result, key))\n  truth: \(number(truth))\n"
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
    let testWidth = 2 + result.models.flatMap(\.steadyStateChecks).map(\.test.count).reduce(22, max)
    out +=
      "  " + pad("model", 22) + pad("test", testWidth) + lpad("measured", 9) + " | " + lpad("steady", 7)
      + lpad("z", 6) + "      | "
      + lpad("window", 7) + lpad("z", 6) + "\n"
    for model in result.models {
      for (steady, window) in zip(model.steadyStateChecks, model.windowChecks) {
        out +=
          "  " + pad(model.name, 22) + pad(steady.test, testWidth)
          + lpad(String(format: "%.2f", steady.measured), 9)
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

  // MARK: - results.json

  /// `results.json`: the truth, the lift tests, per model its estimates, checks and sampler.
  public static func json(_ result: CalibrationTrapDemo.Result) -> JSONValue {
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

  // MARK: - Tables

  /// One table per estimand: each model's estimate against the truth.
  public static func comparisonTable(_ result: CalibrationTrapDemo.Result, estimand key: String) -> Table {
    let rows: [[TableCell]] = result.models.map { model in
      guard let e = model.estimates[key] else {
        return [.text(model.name)] + Array(repeating: TableCell.empty, count: 6) + [.text("not in the model")]
      }
      return [
        .text(model.name), .number(e.mean, decimals: 0), .number(e.hdiLower, decimals: 0),
        .number(e.hdiUpper, decimals: 0), .number(e.width, decimals: 0), .number(e.error, decimals: 0),
        .text(String(format: "%+.0f%%", 100 * e.relativeError)), .text(e.covers ? "yes" : "NO"),
      ]
    }
    return Table(
      columns: ["model", "mean", "hdi_3%", "hdi_97%", "HDI width", "error", "error %", "HDI covers truth"],
      rows: rows,
      caption: "(\(key)) \(describe(result, key)); truth \(String(format: "%.0f", result.truth(of: key)))")
  }

  /// The calibration checks, per model and lift test: steady-state (PyMC-Marketing's reading)
  /// next to the window-aware check (the model's own do() over the test window).
  public static func checksTable(_ result: CalibrationTrapDemo.Result) -> Table {
    func verdict(_ check: CalibrationTrapDemo.CalibrationCheck) -> TableCell {
      .text(check.passes ? "pass" : "FLAG")
    }
    var rows: [[TableCell]] = []
    for model in result.models {
      for (steady, window) in zip(model.steadyStateChecks, model.windowChecks) {
        rows.append([
          .text(model.name), .text(steady.test), .number(steady.measured, decimals: 2),
          .number(steady.model, decimals: 2), .number(steady.zScore, decimals: 1), verdict(steady),
          .number(window.model, decimals: 2), .number(window.zScore, decimals: 1), verdict(window),
        ])
      }
    }
    return Table(
      columns: [
        "model", "lift test", "measured", "steady model", "steady z", "steady", "window model", "window z",
        "window",
      ],
      rows: rows,
      caption:
        "Per day, outcome units; |z| > 2 flags the model (sigma: the lift-test table; window z uses the model's sd too)"
    )
  }

  /// The planner's verdict per channel on one specification.
  static func verdictTable(_ verdicts: [SpecificationVerdict], caption: String) -> Table {
    Table(
      columns: ["channel", "estimates its total effect", "mediators controlled for", "other terms"],
      rows: verdicts.map { verdict in
        [
          .text(verdict.channel), .text(verdict.isValid ? "yes" : "NO"),
          .text(
            verdict.mediatorsAdjusted.isEmpty ? "none" : verdict.mediatorsAdjusted.joined(separator: ", ")),
          .text(verdict.covariates.joined(separator: ", ")),
        ]
      }, caption: caption)
  }

  /// The lift tests run on the truth.
  static func liftTestTable(_ result: CalibrationTrapDemo.Result) -> Table {
    Table(
      columns: ["channel", "start", "end", "x", "delta_x", "delta_y", "sigma"],
      rows: result.liftTests.map { row in
        [
          .text(row.channel), .text(row.start?.description ?? ""), .text(row.end?.description ?? ""),
          .number(row.x, decimals: 2),
          .number(row.deltaX, decimals: 2), .number(row.deltaY, decimals: 3), .number(row.sigma, decimals: 3),
        ]
      }, caption: "Lift tests run on the simulated truth (per-day units)")
  }

  /// Per model: channels, lift tests, sampler time, divergences, R-hat.
  static func modelTable(_ result: CalibrationTrapDemo.Result) -> Table {
    let unconverged = result.models.contains { $0.maxRHat > 1.01 }
    return Table(
      columns: ["model", "channels", "lift tests", "seconds", "divergences", "max R-hat"],
      rows: result.models.map { model in
        [
          .text(model.name), .integer(model.channels.count), .integer(model.liftTestCount),
          .number(model.seconds, decimals: 0), .integer(model.divergences),
          .number(model.maxRHat, decimals: 2),
        ]
      },
      caption: "The fitted models, each with the controls \(result.causalControls.joined(separator: ", "))"
        + (unconverged ? " (R-hat above 1.01: run more draws before trusting the intervals)" : ""))
  }

  // MARK: - HTML

  /// A warning paragraph when some model's chains disagree (R-hat above 1.01), else nothing.
  static func unconvergedNote(_ result: CalibrationTrapDemo.Result) -> [ReportBlock] {
    let flagged = result.models.filter { $0.maxRHat > 1.01 }
    guard let worst = flagged.map(\.maxRHat).max() else { return [] }
    return [
      .paragraph(
        "Caution: the chains of \(flagged.map(\.name).joined(separator: ", ")) disagree (largest R-hat "
          + String(format: "%.2f", worst) + ", above 1.01) with \(result.options.tune) warm-up and "
          + "\(result.options.draws) draws per chain; rerun with more draws before trusting these intervals.")
    ]
  }

  /// The self-contained HTML page of the demo.
  /// - Parameter dagSVG: the DAG drawing (``dagSVG(_:)``); `nil` when it could not be drawn, in
  ///   which case the section says so.
  public static func html(_ result: CalibrationTrapDemo.Result, dagSVG: String?) -> HTMLReport {
    let options = result.options
    let plan = treatmentPlan(result)
    let controls = plan?.controls ?? result.causalControls
    let mediators = plan?.mediators ?? []
    let channels = result.plan.verdicts.map(\.channel)
    var report = HTMLReport(
      title: "The calibration trap (seed 001)",
      subtitle:
        "causal-mmm demo calibration-trap: seed \(options.seed), \(options.chains) chains x "
        + "(\(options.tune) warm-up + \(options.draws) draws) per model")

    report.addSection(
      "Conclusion",
      [
        .paragraph(
          "A structural causal model simulates 1,050 days in which impressions_x2 acts on the target "
            + "directly and through \(mediators.isEmpty ? "its mediators" : mediators.joined(separator: " and ")). "
            + "Five MMMs are fitted on days 0-979 and asked what switching impressions_x2 off on days "
            + "880-979 does; the simulation answers the same question exactly."),
        .list(result.conclusion()),
      ]
        + unconvergedNote(result))

    var dagBlocks: [ReportBlock] = []
    let caption =
      "\(treatment) (treatment) -> \(outcome) (outcome). Recommended controls for \(treatment): "
      + "{\(controls.joined(separator: ", "))}"
      + (mediators.isEmpty
        ? "." : "; mediators, never to be controlled for: \(mediators.joined(separator: ", ")).")
    if let dagSVG {
      dagBlocks.append(.svg(dagSVG, caption: caption))
    } else {
      dagBlocks.append(.paragraph("The DAG could not be drawn (Graphviz failed). " + caption))
    }
    if let plan, let core = plan.adjustmentSet, !plan.rationale.isEmpty {
      dagBlocks.append(
        .paragraph(
          "Why these controls: " + (core.isEmpty ? "" : "{\(core.joined(separator: ", "))} is ")
            + plan.rationale + "."))
    }
    report.addSection("The causal graph", dagBlocks)

    var verdictBlocks: [ReportBlock] = []
    let naiveFormula =
      "\(outcome) ~ " + (channels + result.plan.proposedControls).joined(separator: " + ")
    verdictBlocks.append(.heading("Naive specification: \(naiveFormula)"))
    verdictBlocks.append(
      .table(
        verdictTable(result.plan.verdicts, caption: "Every channel as a regressor, with the causal controls"))
    )
    verdictBlocks.append(.list(result.plan.verdicts.flatMap { v in v.reasons.map { "\(v.channel): \($0)" } }))
    let causalFormula = "\(outcome) ~ " + ([treatment] + result.causalControls).joined(separator: " + ")
    verdictBlocks.append(.heading("Causal specification: \(causalFormula)"))
    if let dag = try? Scenario.calibrationTrapDAG(),
      let causal = try? CausalPlanner.plan(
        dag: dag, outcome: outcome, channels: [treatment], controls: result.causalControls)
    {
      verdictBlocks.append(
        .table(verdictTable(causal.verdicts, caption: "The channel with the planner's recommended controls")))
      verdictBlocks.append(.list(causal.verdicts.flatMap { v in v.reasons.map { "\(v.channel): \($0)" } }))
    }
    report.addSection("The planner's verdicts", verdictBlocks)

    var comparison: [ReportBlock] = [
      .paragraph(
        "Each model's posterior of the effect, summed over days 880-979, against the simulated truth. "
          + "A model covers the truth when its 94% HDI contains it.")
    ]
    for key in CalibrationTrapDemo.estimandKeys {
      comparison.append(.table(comparisonTable(result, estimand: key)))
    }
    report.addSection("Estimates against the truth", comparison)

    report.addSection(
      "Calibration checks",
      [
        .paragraph(
          "Steady-state: PyMC-Marketing's reading of a lift test, the saturation curve's lift at the "
            + "test's spend level, scaled by the test's sigma. Window: the model's own do() re-run over "
            + "the test window, scaled by sigma and the model's posterior sd."),
        .table(checksTable(result)),
      ])

    var charts: [ReportBlock] = [
      .chart(
        effectOverWindowChart(result),
        caption: "Per day of the window: the truth (black) and each model's posterior mean (dashed).")
    ]
    for key in CalibrationTrapDemo.estimandKeys {
      charts.append(
        .chart(
          posteriorChart(result, estimand: key),
          caption: "(\(key)) Posterior density per model, mean and 94% HDI; black: the truth."))
    }
    report.addSection("Charts", charts)

    var details: [ReportBlock] = [.table(liftTestTable(result))]
    if !result.liftTestWarnings.isEmpty {
      details.append(.list(result.liftTestWarnings.map { "warning: \($0)" }))
    }
    details.append(.table(modelTable(result)))
    report.addSection("Lift tests and models", details)
    return report
  }

  // MARK: - Files

  /// The file names ``write(_:to:)`` writes, in order (the DAG drawing only when Graphviz succeeds).
  public static func fileNames() -> [String] {
    ["results.json", "effect_over_window.svg"]
      + CalibrationTrapDemo.estimandKeys.map { "posterior_\($0).svg" }
      + ["dag.svg", "report.html"]
  }

  /// Writes `results.json`, `effect_over_window.svg`, `posterior_KEY.svg`, `dag.svg` and
  /// `report.html` into `directory` (created if missing).
  /// - Returns: warnings (e.g. the DAG could not be drawn); the other files are written regardless.
  /// - Throws: `LocatedError` when a file cannot be written.
  @discardableResult
  public static func write(_ result: CalibrationTrapDemo.Result, to directory: String) throws -> [String] {
    func save(_ text: String, _ name: String) throws {
      let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
      } catch {
        throw LocatedError(file: url.path, message: "cannot write the file (\(error.localizedDescription))")
      }
    }
    try save(json(result).rendered() + "\n", "results.json")
    try save(effectOverWindowChart(result).svg(), "effect_over_window.svg")
    for key in CalibrationTrapDemo.estimandKeys {
      try save(posteriorChart(result, estimand: key).svg(), "posterior_\(key).svg")
    }
    var warnings: [String] = []
    var drawing: String?
    do {
      drawing = try dagSVG(result)
    } catch {
      warnings.append("dag.svg not written: \(error)")
    }
    if let drawing { try save(drawing, "dag.svg") }
    try save(html(result, dagSVG: drawing).html(), "report.html")
    return warnings
  }
}
