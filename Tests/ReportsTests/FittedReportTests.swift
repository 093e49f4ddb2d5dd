import CausalMMMCore
import Foundation
import Testing

@testable import Reports

@Suite("fitted.csv: observed vs fitted and the baseline layer of the fit report")
struct FittedReportTests {
  /// Two geos, two dates; the baseline is the mean minus the fixture's contributions
  /// (geo_00: tv 1 + radio 0.5, tv 2 + radio 0.25; geo_01: tv 3, tv 4). The last observation lies
  /// outside its predictive interval.
  static let fitted = """
    date,geo,observed,mean,hdi_3%,hdi_97%,pp_3%,pp_97%,baseline_mean
    2024-01-01,geo_00,10,9,8.5,9.5,7,11,7.5
    2024-01-08,geo_00,12,13,12.5,13.5,11,15,10.75
    2024-01-01,geo_01,20,18,17,19,15,21,15
    2024-01-08,geo_01,30,22,21,23,19,25,18

    """

  static func fixture(fitted: String = fitted) throws -> FitFixture {
    try FitFixture(files: [
      "summary.json": FitFixture.summary, "contributions.csv": FitFixture.contributions,
      "roas.json": FitFixture.roas, "fitted.csv": fitted,
    ])
  }

  static func charts<T>(_ section: ReportSection?, _ type: T.Type) -> [T] {
    (section?.blocks ?? []).compactMap { block in
      if case .chart(let chart, _) = block { return chart as? T }
      return nil
    }
  }

  @Test("fitted.csv is read row by row; a directory without it still loads")
  func read() throws {
    let fixture = try Self.fixture()
    defer { fixture.remove() }
    let fit = try FitDirectory.load(fixture.url.path)
    #expect(fit.fitted.count == 4)
    #expect(
      fit.fitted[1]
        == FitFitted(
          date: "2024-01-08", geo: "geo_00", observed: 12, mean: 13, lower: 12.5, upper: 13.5,
          predictiveLower: 11,
          predictiveUpper: 15, baseline: 10.75))
    let old = try FitFixture.complete()
    defer { old.remove() }
    let oldFit = try FitDirectory.load(old.url.path)
    #expect(oldFit.fitted.isEmpty)
    #expect(
      !FitReport.report(fits: [.init(label: "old", fit: oldFit)]).sections.map(\.title).contains(
        "Observed vs fitted"))
  }

  @Test("A non-numeric cell and a missing column of fitted.csv are located")
  func badFile() throws {
    let broken = try Self.fixture(fitted: Self.fitted.replacingOccurrences(of: "13,12.5", with: "x,12.5"))
    defer { broken.remove() }
    do {
      _ = try FitDirectory.load(broken.url.path)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.file?.hasSuffix("/fitted.csv") == true && error.line == 3 && error.message.contains("'mean'"))
    }
    let noBaseline = try Self.fixture(fitted: "date,geo,observed,mean,hdi_3%,hdi_97%,pp_3%,pp_97%\n")
    defer { noBaseline.remove() }
    do {
      _ = try FitDirectory.load(noBaseline.url.path)
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 1 && error.message.contains("baseline_mean"))
    }
  }

  @Test("Fit quality: R², MAPE and predictive coverage over every row")
  func quality() throws {
    let fixture = try Self.fixture()
    defer { fixture.remove() }
    let stats = FitReport.fitQuality(try FitDirectory.load(fixture.url.path).fitted)
    // observed 10, 12, 20, 30 (mean 18); residuals 1, -1, 2, 8.
    #expect(abs(stats.rSquared - (1 - 70.0 / 248)) < 1e-12)
    #expect(abs(stats.mape - (0.1 + 1.0 / 12 + 0.1 + 8.0 / 30) / 4) < 1e-12)
    #expect(stats.coverage == 0.75)
  }

  @Test("Observed vs fitted: the sum over geos, then each geo with its predictive band")
  func observedVsFitted() throws {
    let fixture = try Self.fixture()
    defer { fixture.remove() }
    let report = FitReport.report(fits: [.init(label: "a", fit: try FitDirectory.load(fixture.url.path))])
    let titles = report.sections.map(\.title)
    #expect(titles.firstIndex(of: "Observed vs fitted")! < titles.firstIndex(of: "Contributions")!)
    let charts = Self.charts(report.sections.first { $0.title == "Observed vs fitted" }, LineChart.self)
    #expect(charts.count == 3)
    #expect(charts[0].series.map(\.y) == [[30, 42], [27, 35]])
    #expect(charts[0].bands.isEmpty)
    #expect(charts[2].title.contains("geo_01"))
    #expect(
      charts[2].series[0].y == [20, 30] && charts[2].bands[0].lower == [15, 19]
        && charts[2].bands[0].upper == [21, 25])
  }

  @Test("The contributions chart stacks the baseline under the channels, observed on top")
  func baselineLayer() throws {
    let fixture = try Self.fixture()
    defer { fixture.remove() }
    let report = FitReport.report(fits: [.init(label: "a", fit: try FitDirectory.load(fixture.url.path))])
    let area = try #require(
      Self.charts(report.sections.first { $0.title == "Contributions" }, StackedAreaChart.self).first)
    #expect(area.components.map(\.name) == ["baseline", "tv", "radio"])
    #expect(area.components[0].values == [22.5, 28.75])
    // Baseline plus channels gives back the summed fit: 27 and 35.
    let stacked = (0..<2).map { t in area.components.reduce(0) { $0 + $1.values[t] } }
    #expect(stacked == [27, 35])
    #expect(area.overlays.map(\.y) == [[30, 42]])
  }

  @Test("A go-dark's model lift (a magnitude in summary.json) is drawn with the measurement's sign")
  func signedLift() {
    let goDark = FitLiftCheck(
      channel: "x1", geo: nil, measuredDeltaY: -34.5, modelMean: 39.1, modelLower: 34.5, modelUpper: 43.9,
      z: 1.33)
    let shown = FitReport.signed(goDark)
    #expect(shown.modelMean == -39.1 && shown.modelLower == -43.9 && shown.modelUpper == -34.5)
    #expect(shown.measuredDeltaY == -34.5 && shown.z == 1.33)
    // A positive measurement, or a model interval already below zero, is left as it is.
    var scaleUp = goDark
    scaleUp.measuredDeltaY = 34.5
    #expect(FitReport.signed(scaleUp) == scaleUp)
    var negative = goDark
    (negative.modelMean, negative.modelLower, negative.modelUpper) = (-39.1, -43.9, -34.5)
    #expect(FitReport.signed(negative) == negative)
  }
}
