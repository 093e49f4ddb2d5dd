import CausalMMMCore
import Foundation
import Testing

@testable import Inference
@testable import MMM
@testable import Reports

@Suite("The cross-validation report: per-fold table, cv.json, HTML")
struct CrossValidationReportTests {
  static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

  /// Two folds of a one-channel model; fold 1 uses the lift test, fold 0 does not know it yet.
  static func folds() -> [CrossValidationFold] {
    let lift = LiftTest(
      channel: "tv", x: 10, deltaX: 5, deltaY: 2, sigma: 0.5, date: date("2024-02-01"), line: 2)
    func fold(_ index: Int, crps: Double, roas: Double) -> CrossValidationFold {
      CrossValidationFold(
        fold: .init(
          index: index, training: 0..<(40 + 10 * index), test: (40 + 10 * index)..<(45 + 10 * index)),
        trainingStart: date("2024-01-01"), trainingEnd: date(index == 0 ? "2024-02-09" : "2024-02-19"),
        testStart: date(index == 0 ? "2024-02-10" : "2024-02-20"),
        testEnd: date(index == 0 ? "2024-02-14" : "2024-02-24"),
        usedLiftTests: index == 0 ? [] : [lift], excludedLiftTests: index == 0 ? [lift] : [],
        parameters: [
          ParameterSummary(
            name: "saturation_lam[tv]", mean: 2 + Double(index), sd: 0.1, hdiLower: 1.8, hdiUpper: 2.2,
            mcseMean: 0.01, essBulk: 400, essTail: 300, rHat: 1.001)
        ],
        roas: [
          ChannelROAS(
            channel: "tv", spend: 100, contribution: DrawSummary([roas * 100]), roas: DrawSummary([roas]))
        ],
        crps: crps, crpsPerDate: [crps, crps], observedTest: [], predictedTest: [], divergences: 0,
        seconds: 1)
    }
    return [fold(0, crps: 1.25, roas: 0.5), fold(1, crps: 0.75, roas: 0.625)]
  }

  @Test("The table has one row per fold with dates, lift-test counts, CRPS and ROAS")
  func table() {
    let table = CrossValidationReport.table(Self.folds(), channels: ["tv"])
    #expect(table.columns.last == "ROAS tv mean [94% HDI]")
    #expect(
      table.rows[0].map(\.text) == [
        "0", "2024-02-09", "2024-02-10...2024-02-14", "0", "1", "1.250", "0.500 [0.500, 0.500]",
      ])
    #expect(table.rows[1].map(\.text)[3] == "1" && table.rows[1].map(\.text)[5] == "0.750")
  }

  @Test("cv.json lists the folds with the lift tests used and excluded")
  func json() throws {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(CrossValidationReport.json(Self.folds()).utf8))
        as? [String: Any])
    let folds = try #require(object["folds"] as? [[String: Any]])
    #expect(folds.count == 2)
    #expect(folds[0]["crps"] as? Double == 1.25 && folds[0]["training_dates"] as? Int == 40)
    #expect(folds[0]["lift_tests_excluded"] as? [String] == ["tv 2024-02-01 (line 2)"])
    #expect(folds[1]["lift_tests_used"] as? [String] == ["tv 2024-02-01 (line 2)"])
    let roas = try #require((folds[1]["roas"] as? [String: Any])?["tv"] as? [String: Any])
    #expect(roas["mean"] as? Double == 0.625)
  }

  @Test("The HTML report has the folds, ROAS, parameters and CRPS sections and writes both files")
  func report() throws {
    let report = CrossValidationReport.report(Self.folds(), channels: ["tv"], truth: ["tv": 0.6], title: "CV")
    #expect(
      report.sections.map(\.title) == ["Folds", "ROAS per fold", "Parameters per fold", "Out-of-sample CRPS"])
    let html = report.html()
    #expect(html.contains("fold 1 (training to 2024-02-19): tv 2024-02-01 (line 2)"))
    #expect(html.contains("fold 0 (training to 2024-02-09): no lift test"))
    #expect(!html.lowercased().contains("<script") && !html.contains("http"))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cv-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try CrossValidationReport.write(
      Self.folds(), channels: ["tv"], truth: [:], title: "CV", to: directory.path)
    for name in ["cv.json", "cv.html"] {
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path))
    }
  }
}
