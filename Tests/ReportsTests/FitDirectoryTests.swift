import CausalMMMCore
import Foundation
import GraphvizIO
import Testing

@testable import Reports

/// A fit directory written by hand in the `causal-mmm fit` format, in a fresh temporary folder.
struct FitFixture {
  let url: URL

  static let summary = """
    {
      "parameters": {
        "saturation_lam[geo_00,tv]": {"mean": 2.4, "sd": 0.3, "hdi_3%": 1.9, "hdi_97%": 3.0, "mcse_mean": 0.01, "r_hat": 1.002, "ess_bulk": 812.0, "ess_tail": 700.0},
        "adstock_alpha[tv]": {"mean": 0.5, "sd": 0.1, "hdi_3%": 0.3, "hdi_97%": 0.7, "mcse_mean": 0.01, "r_hat": 1.02, "ess_bulk": 400.0, "ess_tail": 350.0},
        "intercept": {"mean": 1.0, "sd": 0.05, "hdi_3%": 0.9, "hdi_97%": 1.1, "mcse_mean": 0.001, "r_hat": null, "ess_bulk": 900.0, "ess_tail": 800.0}
      },
      "sampler": {"chains": 2, "tune": 100, "draws": 3, "divergences": 1, "seconds": 0.5, "e_bfmi": [1.0, 0.9]},
      "scales": {"target": 10.0, "channels": {"tv": 100.0}},
      "lift_checks": [{"channel": "tv", "geo": "geo_00", "measured_delta_y": 0.2, "model_mean": 0.25, "model_hdi_3%": 0.2, "model_hdi_97%": 0.3, "z": 1.5}]
    }
    """

  static func chain(_ offset: Double) -> String {
    """
    # stan_version_major = 2
    # column labels (CmdStan column : parameter name)
    #   label saturation_lam.1.1 : saturation_lam[geo_00,tv]
    #   label adstock_alpha.1 : adstock_alpha[tv]
    lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,saturation_lam.1.1,adstock_alpha.1,intercept
    # Adaptation terminated
    # Step size = 0.3
    -1,0.9,0.3,2,3,0,1,\(2 + offset),0.5,1
    -1,0.9,0.3,2,3,0,1,\(2.5 + offset),0.4,1.1
    -1,0.9,0.3,2,3,1,1,\(3 + offset),0.6,nan
    # 
    #  Elapsed Time: 0.5 seconds (Total)

    """
  }

  static let contributions = """
    date,geo,channel,mean,hdi_3%,hdi_97%
    2024-01-01,geo_00,tv,1.0,0.5,1.5
    2024-01-08,geo_00,tv,2.0,1.5,2.5
    2024-01-01,geo_01,tv,3.0,2.5,3.5
    2024-01-08,geo_01,tv,4.0,3.5,4.5
    2024-01-01,geo_00,radio,0.5,0.2,0.8
    2024-01-08,geo_00,radio,0.25,0.1,0.4

    """

  static let roas = """
    {
      "tv": {"spend": 100.0, "contribution_mean": 10.0, "contribution_hdi_3%": 8.0, "contribution_hdi_97%": 12.0, "roas_mean": 0.1, "roas_hdi_3%": 0.08, "roas_hdi_97%": 0.12},
      "radio": {"spend": 50.0, "contribution_mean": 0.75, "contribution_hdi_3%": 0.3, "contribution_hdi_97%": 1.2, "roas_mean": 0.015, "roas_hdi_3%": 0.006, "roas_hdi_97%": 0.024}
    }
    """

  init(files: [String: String]) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("fit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
  }

  static func complete() throws -> FitFixture {
    try FitFixture(files: [
      "summary.json": summary, "chain-1.csv": chain(0), "chain-2.csv": chain(10),
      "contributions.csv": contributions, "roas.json": roas,
    ])
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite("Fit directories and the fit report")
struct FitDirectoryTests {
  @Test("summary.json is read in file order with nulls as NaN; sampler keys keep their order")
  func summary() throws {
    let fixture = try FitFixture.complete()
    defer { fixture.remove() }
    let fit = try FitDirectory.load(fixture.url.path)
    #expect(fit.parameters.map(\.name) == ["saturation_lam[geo_00,tv]", "adstock_alpha[tv]", "intercept"])
    #expect(fit.parameters[0].hdiLower == 1.9 && fit.parameters[0].hdiUpper == 3.0)
    #expect(fit.parameters[2].rHat.isNaN)
    #expect(fit.sampler.map(\.key) == ["chains", "tune", "draws", "divergences", "seconds", "e_bfmi"])
    #expect(fit.sampler.first { $0.key == "e_bfmi" }?.value == "1, 0.9")
    #expect(fit.targetScale == 10)
    #expect(fit.liftChecks.count == 1 && fit.liftChecks[0].geo == "geo_00" && fit.liftChecks[0].z == 1.5)
  }

  @Test("Chain CSVs are pooled in chain order, statistics dropped, CmdStan columns renamed by labels")
  func chains() throws {
    let fixture = try FitFixture.complete()
    defer { fixture.remove() }
    let fit = try FitDirectory.load(fixture.url.path)
    #expect(fit.chainCount == 2)
    #expect(fit.draws["saturation_lam[geo_00,tv]"] == [2, 2.5, 3, 12, 12.5, 13])
    #expect(fit.draws["adstock_alpha[tv]"] == [0.5, 0.4, 0.6, 0.5, 0.4, 0.6])
    #expect(fit.draws["intercept"]?.count == 6)
    #expect(fit.draws["intercept"]?[2].isNaN == true)
    #expect(fit.draws["lp__"] == nil && fit.draws["divergent__"] == nil)
  }

  @Test("contributions.csv and roas.json are read row by row")
  func contributionsAndROAS() throws {
    let fixture = try FitFixture.complete()
    defer { fixture.remove() }
    let fit = try FitDirectory.load(fixture.url.path)
    #expect(fit.contributions.count == 6)
    #expect(
      fit.contributions[2]
        == FitContribution(date: "2024-01-01", geo: "geo_01", channel: "tv", mean: 3, lower: 2.5, upper: 3.5))
    #expect(fit.roas.map(\.channel) == ["tv", "radio"])
    #expect(fit.roas[1].roasUpper == 0.024 && fit.roas[0].spend == 100)
  }

  @Test("Only summary.json is required")
  func minimal() throws {
    let fixture = try FitFixture(files: ["summary.json": FitFixture.summary])
    defer { fixture.remove() }
    let fit = try FitDirectory.load(fixture.url.path)
    #expect(fit.chainCount == 0 && fit.draws.isEmpty && fit.contributions.isEmpty && fit.roas.isEmpty)
    let html = FitReport.report(fits: [.init(label: "only", fit: fit)]).html()
    #expect(html.contains("<h2>Parameters</h2>") && !html.contains("<h2>ROAS</h2>"))
  }

  private func loadError(_ files: [String: String]) throws -> LocatedError? {
    let fixture = try FitFixture(files: files)
    defer { fixture.remove() }
    do {
      _ = try FitDirectory.load(fixture.url.path)
      return nil
    } catch {
      return error
    }
  }

  @Test("A missing summary.json is reported with its path")
  func missingSummary() throws {
    let error = try #require(try loadError(["roas.json": FitFixture.roas]))
    #expect(error.file?.hasSuffix("/summary.json") == true && error.line == nil)
    #expect(error.message.contains("cannot read"))
  }

  @Test("A non-numeric draw is reported at its file, line and column")
  func badDraw() throws {
    let broken = FitFixture.chain(0).replacingOccurrences(of: "0.4,1.1", with: "oops,1.1")
    let error = try #require(try loadError(["summary.json": FitFixture.summary, "chain-1.csv": broken]))
    #expect(error.file?.hasSuffix("/chain-1.csv") == true)
    #expect(error.line == 9)  // the 9th line of the chain text holds the second draw
    #expect(error.message.contains("adstock_alpha.1") && error.message.contains("oops"))
  }

  @Test("A short contributions row and a missing column are located")
  func badContributions() throws {
    let short = FitFixture.contributions.replacingOccurrences(
      of: "2024-01-08,geo_00,tv,2.0,1.5,2.5", with: "2024-01-08,geo_00")
    let error = try #require(try loadError(["summary.json": FitFixture.summary, "contributions.csv": short]))
    #expect(error.line == 3 && error.message.contains("fields"))
    let noMean = "date,geo,channel,avg,hdi_3%,hdi_97%\n"
    let missing = try #require(
      try loadError(["summary.json": FitFixture.summary, "contributions.csv": noMean]))
    #expect(missing.line == 1 && missing.message.contains("'mean'"))
  }

  @Test("A parameter without hdi_3% is located on its line of summary.json")
  func badSummary() throws {
    let broken = FitFixture.summary.replacingOccurrences(of: "\"hdi_3%\": 0.3, ", with: "")
    let error = try #require(try loadError(["summary.json": broken]))
    #expect(error.line == 4)
    #expect(error.message.contains("adstock_alpha[tv]") && error.message.contains("hdi_3%"))
  }

  @Test("Truth files must map names to finite numbers")
  func truthFile() throws {
    let fixture = try FitFixture(files: [
      "good.json": "{\"intercept\": 1.5}", "bad.json": "{\n\"a\": 1,\n\"b\": \"x\"}",
    ])
    defer { fixture.remove() }
    #expect(
      try FitReport.readTruth(fixture.url.appendingPathComponent("good.json").path) == ["intercept": 1.5])
    do {
      _ = try FitReport.readTruth(fixture.url.appendingPathComponent("bad.json").path)
      Issue.record("expected an error")
    } catch {
      #expect(error.line == 3 && error.message.contains("'b'"))
    }
  }

  @Test("Contributions are summed over geos per date; totals per channel add up")
  func contributionTotals() throws {
    let fixture = try FitFixture.complete()
    defer { fixture.remove() }
    let fit = try FitDirectory.load(fixture.url.path)
    let report = FitReport.report(fits: [.init(label: "a", fit: fit)])
    let section = try #require(report.sections.first { $0.title == "Contributions" })
    var area: StackedAreaChart? = nil
    var waterfall: WaterfallChart? = nil
    for block in section.blocks {
      if case .chart(let chart, _) = block {
        if let chart = chart as? StackedAreaChart { area = chart }
        if let chart = chart as? WaterfallChart { waterfall = chart }
      }
    }
    let stacked = try #require(area)
    #expect(stacked.isTime)
    #expect(stacked.components.map(\.name) == ["tv", "radio"])
    #expect(stacked.components[0].values == [4, 6])  // 1 + 3, 2 + 4
    #expect(stacked.components[1].values == [0.5, 0.25])
    #expect(try #require(waterfall).values == [10, 0.75])
  }

  @Test("A comparison report has both fits, truth coverage, width changes and well-formed charts")
  func comparison() throws {
    let first = try FitFixture.complete()
    let second = try FitFixture.complete()
    defer {
      first.remove()
      second.remove()
    }
    let fits = try [
      FitReport.LabelledFit(label: "uncalibrated", fit: FitDirectory.load(first.url.path)),
      FitReport.LabelledFit(label: "calibrated", fit: FitDirectory.load(second.url.path)),
    ]
    let report = FitReport.report(fits: fits, truth: ["adstock_alpha[tv]": 0.8, "roas[tv]": 0.1])
    let html = report.html()
    #expect(html.contains("uncalibrated mean [94% HDI]") && html.contains("calibrated covers"))
    #expect(html.contains("<td>0.500 [0.300, 0.700]</td>"))
    // adstock_alpha HDI 0.3 ... 0.7 does not cover 0.8; identical fits change width by +0%.
    #expect(html.contains("<td>no</td>") && html.contains("+0%"))
    #expect(html.contains("true ROAS"))
    #expect(!html.lowercased().contains("<script") && !html.contains("http://"))
    #expect(
      report.sections.map(\.title) == [
        "Sampler", "Parameters", "Posterior densities", "Lift tests", "Contributions", "ROAS",
      ])
    for (name, svg) in report.standaloneSVGs() {
      #expect(ParsedXML(svg).isWellFormed, "\(name)")
    }
  }
}
