import CausalGraph
import CausalMMMCore
import Foundation
import Inference
import MMM
import Testing

@testable import Reports
@testable import Simulation

/// A small synthetic demo result: seed 001's DAG and planner, made-up truth and posteriors whose
/// summaries are known in closed form (uniform draws).
enum SyntheticDemo {
  static let window = 880..<980
  /// Truth per day of the window, so the totals are -800, +200 and -100.
  static let truthGoDark = -800.0
  static let truthPlus50 = 200.0
  static let truthX3 = -100.0

  /// 1,001 draws evenly spaced on [center - 10, center + 10]: mean `center`, 94% HDI about ±9.4.
  static func draws(_ center: Double) -> [Double] { (0...1000).map { center - 10 + Double($0) / 50 } }

  static func estimate(_ center: Double, truth: Double) -> CalibrationTrapDemo.Estimate {
    CalibrationTrapDemo.Estimate(draws: draws(center), truth: truth)
  }

  static func check(z: Double, modelSD: Double = .nan) -> CalibrationTrapDemo.CalibrationCheck {
    CalibrationTrapDemo.CalibrationCheck(
      test: "go-dark days 880-979", measured: -8, sigma: 0.8, model: -8 + 0.8 * z, modelSD: modelSD,
      hdiLower: -8 + 0.8 * z - 0.1, hdiUpper: -8 + 0.8 * z + 0.1, zScore: z)
  }

  static func model(
    _ name: String, channels: [String], goDark: Double, x3: Double?, steadyZ: Double, windowZ: Double
  ) -> CalibrationTrapDemo.ModelResult {
    var estimates = [
      "go_dark_x2": estimate(goDark, truth: truthGoDark), "plus_50_x2": estimate(150, truth: truthPlus50),
    ]
    if let x3 { estimates["go_dark_x3"] = estimate(x3, truth: truthX3) }
    return CalibrationTrapDemo.ModelResult(
      name: name, channels: channels, controls: ["events", "price", "trend"], liftTestCount: 1,
      estimates: estimates, steadyStateChecks: [check(z: steadyZ)],
      windowChecks: [check(z: windowZ, modelSD: 0.5)],
      dailyGoDark: window.map { _ in DrawSummary(draws(goDark / 100)) }, divergences: 0, maxRHat: 1.01,
      seconds: 2)
  }

  static func result() throws -> CalibrationTrapDemo.Result {
    let dag = try Scenario.calibrationTrapDAG()
    let channels = ["impressions_x1", "impressions_x2", "impressions_x3", "impressions_x4"]
    let controls = try CausalPlanner.plan(dag: dag, outcome: "target", channels: ["impressions_x2"])
      .channels[0].controls
    let plan = try CausalPlanner.plan(dag: dag, outcome: "target", channels: channels, controls: controls)
    func effect(_ key: String, _ description: String, _ total: Double) -> EffectTruth {
      EffectTruth(
        estimand: Estimand(key: key, description: description, interventions: [], window: window),
        perPeriod: window.map { _ in total / 100 })
    }
    let truth = ScenarioTruth(
      scenario: "calibration-trap", seed: 1,
      effects: [
        effect("go_dark_x2", "do(impressions_x2 := 0) on days 880-979: summed effect on target", truthGoDark),
        effect("plus_50_x2", "do(impressions_x2 := 1.5 x) on days 880-979", truthPlus50),
        effect("go_dark_x3", "do(impressions_x3 := 0) on days 880-979", truthX3),
      ],
      mediation: [
        "go_dark_x2": MediationTruth(
          mediators: ["impressions_x3", "impressions_x4"], total: truthGoDark, direct: -560)
      ])
    return CalibrationTrapDemo.Result(
      options: .init(), truth: truth, trueDailyGoDark: window.map { _ in truthGoDark / 100 },
      liftTests: [
        LiftTest(
          channel: "impressions_x2", x: 4, deltaX: -4, deltaY: -8, sigma: 0.8,
          start: CalendarDate(parsing: "2022-05-30"), end: CalendarDate(parsing: "2022-09-06"))
      ],
      liftTestWarnings: [], plan: plan, causalControls: controls,
      models: [
        model("naive", channels: channels, goDark: -560, x3: -100, steadyZ: 0.1, windowZ: 3.2),
        model("causal", channels: ["impressions_x2"], goDark: -795, x3: nil, steadyZ: -1.4, windowZ: 0.5),
      ])
  }
}

@Suite("The calibration-trap report: text, results.json, tables, the HTML page")
struct CalibrationTrapReportTests {
  @Test("The HTML page has every section, inlines the DAG and charts, and is self-contained")
  func pageSections() throws {
    let result = try SyntheticDemo.result()
    let dag = try CalibrationTrapReport.dagSVG(result)
    let report = CalibrationTrapReport.html(result, dagSVG: dag)
    let html = report.html()
    for title in [
      "Conclusion", "The causal graph", "The planner's verdicts", "Estimates against the truth",
      "Calibration checks", "Charts",
    ] {
      #expect(html.contains("<h2>\(xmlEscaped(title))</h2>"), "\(title)")
    }
    // The DAG (every node of seed 001's graph) and 4 charts (effect over the window, 3 posteriors).
    #expect(html.contains("class=\"node\""))
    for node in try Scenario.calibrationTrapDAG().nodes.map(\.name) {
      #expect(html.contains("<title>\(node)</title>"), "\(node)")
    }
    // The DAG, the effect-over-window chart and one posterior chart per estimand.
    #expect(html.components(separatedBy: "<svg").count - 1 == 1 + 1 + CalibrationTrapDemo.estimandKeys.count)
    // Verdicts: the naive model controls for impressions_x2's mediators, the causal one does not.
    #expect(html.contains("Naive specification: target ~ impressions_x1 + impressions_x2 + impressions_x3"))
    #expect(html.contains("Causal specification: target ~ impressions_x2 + events + price + trend"))
    #expect(html.contains("impressions_x3 and impressions_x4 are mediators of impressions_x2"))
    // The conclusion sentences, as the Simulation module generates them.
    for line in result.conclusion() { #expect(html.contains(xmlEscaped(line)), "\(line)") }
    let lower = html.lowercased()
    #expect(!lower.contains("<script"))
    #expect(!lower.contains("http"))
    #expect(!lower.contains("src=") && !lower.contains("<link") && !lower.contains("url("))
    #expect(ParsedXML(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "")).isWellFormed)
  }

  @Test("Without a DAG drawing the page says so and keeps the other sections")
  func pageWithoutDAG() throws {
    let html = CalibrationTrapReport.html(try SyntheticDemo.result(), dagSVG: nil).html()
    #expect(html.contains("The DAG could not be drawn"))
    #expect(html.components(separatedBy: "<svg").count - 1 == 1 + CalibrationTrapDemo.estimandKeys.count)
  }

  @Test("The DAG marks impressions_x2 -> target, the recommended controls and the mediators")
  func annotations() throws {
    let annotations = CalibrationTrapReport.dagAnnotations(try SyntheticDemo.result())
    #expect(annotations.treatments == ["impressions_x2"] && annotations.outcomes == ["target"])
    // Seed 001's graph: {events} closes the back door; price and trend are parents of the target only.
    #expect(annotations.adjustmentSet == ["events", "price", "trend"])
    #expect(annotations.mediators == ["impressions_x3", "impressions_x4"])
  }

  @Test("The comparison table holds each model's mean, HDI, width, error and coverage")
  func comparisonTable() throws {
    let result = try SyntheticDemo.result()
    let table = CalibrationTrapReport.comparisonTable(result, estimand: "go_dark_x2")
    #expect(table.rows.count == 2)
    // Naive: mean -560 against a truth of -800: error +240, +30%; the HDI (about ±9.4) misses.
    let naive = table.rows[0].map(\.text)
    #expect(naive[0] == "naive" && naive[1] == "-560" && naive[5] == "240" && naive[6] == "+30%")
    #expect(naive[7] == "NO")
    #expect(Double(naive[4]).map { abs($0 - 19) <= 1 } == true)
    let causal = table.rows[1].map(\.text)
    #expect(causal[1] == "-795" && causal[5] == "5" && causal[7] == "yes")
    #expect(table.caption.contains("truth -800"))
    // A model without the estimand says so.
    let x3 = CalibrationTrapReport.comparisonTable(result, estimand: "go_dark_x3")
    #expect(x3.rows[1].map(\.text) == ["causal", "", "", "", "", "", "", "not in the model"])
  }

  @Test("The checks table flags |z| > 2 per model and test, steady-state next to window")
  func checksTable() throws {
    let table = CalibrationTrapReport.checksTable(try SyntheticDemo.result())
    #expect(table.rows.count == 2)
    let naive = table.rows[0].map(\.text)
    #expect(naive[0] == "naive" && naive[1] == "go-dark days 880-979" && naive[2] == "-8.00")
    // model = measured + sigma * z: steady -8 + 0.08, window -8 + 2.56.
    #expect(naive[3] == "-7.92" && naive[4] == "0.1" && naive[5] == "pass")
    #expect(naive[6] == "-5.44" && naive[7] == "3.2" && naive[8] == "FLAG")
    let causal = table.rows[1].map(\.text)
    #expect(causal[5] == "pass" && causal[8] == "pass")
  }

  @Test("The printed text and results.json carry the truth, estimates and checks")
  func textAndJSON() throws {
    let result = try SyntheticDemo.result()
    let text = CalibrationTrapReport.text(result)
    #expect(text.hasPrefix("Calibration trap (seed 001), seed 1: 2 chains x (300 + 300) per model\n"))
    #expect(text.contains("  truth: -800\n"))
    // The model column is 22 wide, then "n/a" right-aligned in 8.
    #expect(text.contains("  causal" + String(repeating: " ", count: 16 + 5) + "n/a  (not in the model)\n"))
    #expect(
      text.contains(
        "Planner: for impressions_x2 adjust for {events}; causal model: target ~ impressions_x2 + events + price + trend\n"
      ))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(CalibrationTrapReport.json(result).rendered().utf8))
        as? [String: Any])
    #expect(object["true_effect"] as? Double == -800)
    let models = try #require(object["models"] as? [[String: Any]])
    #expect(models.map { $0["name"] as? String } == ["naive", "causal"])
    #expect(models[0]["covers"] as? Bool == false && models[1]["covers"] as? Bool == true)
    #expect(abs((models[0]["error"] as? Double ?? 0) - 240) < 1e-9)
    let window = try #require(models[0]["window_check"] as? [[String: Any]])
    #expect(window[0]["passes"] as? Bool == false && window[0]["model_sd"] as? Double == 0.5)
    let steady = try #require(models[0]["steady_state_check"] as? [[String: Any]])
    #expect(steady[0]["model_sd"] is NSNull)
  }

  @Test("write(to:) writes results.json, the charts, dag.svg and report.html")
  func files() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let warnings = try CalibrationTrapReport.write(try SyntheticDemo.result(), to: directory.path)
    #expect(warnings.isEmpty)
    for name in CalibrationTrapReport.fileNames() {
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), "\(name)")
    }
    let page = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(page.contains("<h2>Calibration checks</h2>"))
  }

  @Test("The conclusion warns when a model's R-hat exceeds 1.01, and only then")
  func convergenceNote() throws {
    let result = try SyntheticDemo.result()  // every model at R-hat 1.01: no warning
    #expect(CalibrationTrapReport.unconvergedNote(result).isEmpty)
    var models = result.models
    let naive = models[0]
    models[0] = CalibrationTrapDemo.ModelResult(
      name: naive.name, channels: naive.channels, controls: naive.controls,
      liftTestCount: naive.liftTestCount,
      estimates: naive.estimates, steadyStateChecks: naive.steadyStateChecks,
      windowChecks: naive.windowChecks,
      dailyGoDark: naive.dailyGoDark, divergences: 0, maxRHat: 1.24, seconds: 1)
    let unconverged = CalibrationTrapDemo.Result(
      options: result.options, truth: result.truth, trueDailyGoDark: result.trueDailyGoDark,
      liftTests: result.liftTests, liftTestWarnings: [], plan: result.plan,
      causalControls: result.causalControls,
      models: models)
    let html = CalibrationTrapReport.html(unconverged, dagSVG: nil).html()
    #expect(html.contains("Caution: the chains of naive disagree (largest R-hat 1.24, above 1.01)"))
  }
}
