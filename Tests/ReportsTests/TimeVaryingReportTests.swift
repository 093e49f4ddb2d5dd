import CausalMMMCore
import Foundation
import Testing

@testable import Reports

@Suite("time_varying.csv: the baseline and the media multiplier over time in the fit report")
struct TimeVaryingReportTests {
  /// The intercept over time in two geos and the media multiplier in one, two dates each.
  static let timeVarying = """
    term,geo,date,mean,hdi_3%,hdi_97%
    intercept,geo_00,2024-01-01,100,90,110
    intercept,geo_00,2024-01-08,104,95,113
    intercept,geo_01,2024-01-01,50,45,55
    intercept,geo_01,2024-01-08,51,46,57
    media,geo_00,2024-01-01,0.9,0.7,1.1
    media,geo_00,2024-01-08,1.1,0.8,1.4

    """

  static func fixture(_ text: String = timeVarying) throws -> FitFixture {
    try FitFixture(files: ["summary.json": FitFixture.summary, "time_varying.csv": text])
  }

  @Test("Rows are read in order; one chart per term and geo with the mean line and the 94% HDI band")
  func readAndDraw() throws {
    let fixture = try Self.fixture()
    defer { fixture.remove() }
    let fit = try FitDirectory.load(fixture.url.path)
    #expect(fit.timeVarying.count == 6)
    #expect(
      fit.timeVarying[4]
        == FitTimeVarying(term: "media", geo: "geo_00", date: "2024-01-01", mean: 0.9, lower: 0.7, upper: 1.1)
    )
    let report = FitReport.report(fits: [.init(label: "tvp", fit: fit)])
    let section = report.sections.first { $0.title == "Time-varying terms" }
    let charts = FittedReportTests.charts(section, LineChart.self)
    #expect(
      charts.map(\.title) == [
        "Baseline over time: geo_00", "Baseline over time: geo_01", "Media multiplier over time: geo_00",
      ])
    #expect(charts[0].series.first?.y == [100, 104])
    #expect(charts[0].bands.first?.lower == [90, 95] && charts[0].bands.first?.upper == [110, 113])
    #expect(charts[2].bands.first?.upper == [1.1, 1.4])
    // A directory without the file has no such section.
    let plain = try FitFixture(files: ["summary.json": FitFixture.summary])
    defer { plain.remove() }
    let plainFit = try FitDirectory.load(plain.url.path)
    #expect(plainFit.timeVarying.isEmpty)
    #expect(
      !FitReport.report(fits: [.init(label: "plain", fit: plainFit)]).sections.map(\.title).contains(
        "Time-varying terms"))
  }

  @Test("A non-numeric cell and a missing column of time_varying.csv are located")
  func badFile() throws {
    let broken = try Self.fixture(Self.timeVarying.replacingOccurrences(of: "104,95", with: "x,95"))
    defer { broken.remove() }
    do {
      _ = try FitDirectory.load(broken.url.path)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.file?.hasSuffix("/time_varying.csv") == true && error.line == 3
          && error.message.contains("'mean'"))
    }
    let noTerm = try Self.fixture("geo,date,mean,hdi_3%,hdi_97%\n")
    defer { noTerm.remove() }
    do {
      _ = try FitDirectory.load(noTerm.url.path)
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 1 && error.message.contains("'term'"))
    }
  }
}
