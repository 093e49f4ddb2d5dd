import Foundation
import Testing

/// Runs each example's `run.sh` end to end with tiny sampler settings (so the examples cannot rot)
/// against the debug `causal-mmm`, and checks the files and facts that do not depend on sampling.
@Suite("Examples run end to end", .serialized)
struct ExamplesTests {
  static func runExample(_ name: String, environment extra: [String: String]) throws -> (CLIResult, URL) {
    let out = try CLIRunner.temporaryDirectory()
    let result = try runScript(
      "Examples/\(name)/run.sh",
      environment: ["BIN": CLIRunner.executable.path, "OUT": out.path, "CHAINS": "1"]
        .merging(extra) { $1 })
    return (result, out)
  }

  /// Runs `bash SCRIPT ARGUMENTS` (the script relative to the package root) with this process's
  /// environment plus `environment`.
  static func runScript(_ script: String, _ arguments: [String] = [], environment: [String: String]) throws
    -> CLIResult
  {
    try CLIRunner.run(
      [CLIRunner.packageRoot.appendingPathComponent(script).path] + arguments,
      environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
      program: URL(fileURLWithPath: "/bin/bash"))
  }

  static func json(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
  }

  @Test(
    "UnobservedConfounder: fits, reports and cross-validation; the late lift test is excluded from folds 0 and 1"
  )
  func unobservedConfounder() throws {
    let (result, out) = try Self.runExample(
      "UnobservedConfounder", environment: ["TUNE": "20", "DRAWS": "10"])
    defer { try? FileManager.default.removeItem(at: out) }
    #expect(result.status == 0, "\(result.stderr)")
    for file in ["report_go_dark.html", "report_marginal.html", "cv_baseline/cv.html", "cv_go_dark/cv.html"] {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
    }
    // The go-dark tests end in weeks 47, 67 and 111; the folds train on weeks 0-99, 0-108, 0-117.
    let folds =
      try Self.json(out.appendingPathComponent("cv_go_dark/cv.json"))["folds"] as? [[String: Any]] ?? []
    #expect(folds.map { ($0["lift_tests_used"] as? [String])?.count ?? -1 } == [2, 2, 3])
    #expect(folds.map { ($0["lift_tests_excluded"] as? [String])?.count ?? -1 } == [1, 1, 0])
    #expect(result.stdout.contains("true ROAS"))
  }

  @Test(
    "UnobservedConfounder seed002_study.sh: the seed's lift-test table, four variants and one table"
  )
  func seed002Study() throws {
    let out = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try Self.runScript(
      "Examples/UnobservedConfounder/seed002_study.sh", [out.path],
      environment: [
        "BIN": CLIRunner.executable.path, "CHAINS": "1", "TUNE": "20", "DRAWS": "10", "CV_STEP": "4",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    // The seed's df_lift_test: 50, 30, 14 and 12 weeks before the last date (2024-07-01), delta_y = true
    // ROAS x delta_x.
    let truth = try Self.json(out.appendingPathComponent("truth_values.json"))
    let roas = try ["x1", "x2"].map { try #require(truth["roas[\($0)]"] as? Double) }
    let rows = try String(contentsOf: out.appendingPathComponent("lifts_marginal.csv"), encoding: .utf8)
      .split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    #expect(rows.first == ["channel", "x", "delta_x", "delta_y", "sigma", "date"])
    let expected: [(String, Double, Int, String)] = [
      ("x1", 0.25, 0, "2023-07-17"), ("x2", 0.1, 1, "2023-12-04"), ("x1", 0.8, 0, "2024-03-25"),
      ("x2", 0.25, 1, "2024-04-08"),
    ]
    #expect(rows.count == 5)
    for (row, (channel, x, index, date)) in zip(rows.dropFirst(), expected) {
      #expect(
        row[0] == channel && Double(row[1]) == x && Double(row[2]) == x && row[4] == "3" && row[5] == date)
      #expect(abs((Double(row[3]) ?? .nan) - roas[index] * x) < 1e-5)
    }
    // Fold 0 trains on weeks 0-114 (the tests of 2024-03-25 and 2024-04-08 come later), fold 1 on 0-118.
    let folds =
      try Self.json(out.appendingPathComponent("cv_marginal/cv.json"))["folds"] as? [[String: Any]] ?? []
    #expect(folds.map { ($0["lift_tests_used"] as? [String])?.count ?? -1 } == [2, 4])
    for label in ["uncalibrated ", "marginal ", "go-dark ", "cv uncalibrated fold 1", "cv marginal fold 0"] {
      #expect(result.stdout.contains("\n" + label), "\(label)")
    }
    #expect(result.stdout.contains("true ROAS: x1 "))
  }

  /// The process of the seed's public data for channel c (0: x1, 1: x2) on a spend series: normalised
  /// geometric adstock (l_max 4, alpha 0.3 / 0.5), the logistic curve (lam 1 / 2.5), effect = beta
  /// (2 / 1.5) x saturated. Returns the three columns the file holds.
  static func publicProcess(_ spend: [Double], channel c: Int) -> (
    adstocked: [Double], saturated: [Double], effect: [Double]
  ) {
    let (alpha, lam, beta) = ([0.3, 0.5][c], [1.0, 2.5][c], [2.0, 1.5][c])
    let weights: [Double] = (0..<4).map { pow(alpha, Double($0)) }
    let total = weights.reduce(0, +)
    var columns: (adstocked: [Double], saturated: [Double], effect: [Double]) = ([], [], [])
    for t in spend.indices {
      var a = 0.0
      for k in 0..<min(4, t + 1) { a += weights[k] * spend[t - k] }
      a /= total
      let e: Double = exp(-lam * a)
      let saturated: Double = (1 - e) / (1 + e)
      columns.adstocked.append(a)
      columns.saturated.append(saturated)
      columns.effect.append(beta * saturated)
    }
    return columns
  }

  /// A file in the format of the seed's `mmm_roas_data.csv` (its columns, 131 weeks from 2021-10-02),
  /// from the process its README states: x_adstock = normalised geometric adstock (l_max 4) with alpha
  /// 0.3 / 0.5, saturated by the logistic curve with lam 1 / 2.5, effect = 2 / 1.5 x saturated, y = 100 (level
  /// + x1_effect + x2_effect + noise), y01 and y02 without one effect. Spends are a fixed pseudo-random
  /// sequence. Returns the CSV text and each channel's effect column for independent checks.
  static func publicFormatData() -> (csv: String, spend: [[Double]], effect: [[Double]]) {
    let weeks = 131
    var state: UInt64 = 2
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var spend = [[Double]](repeating: [], count: 2)
    for _ in 0..<weeks {
      spend[0].append(0.4 + uniform())
      spend[1].append(uniform() < 0.3 ? 0.5 + uniform() : 0.2 * uniform())
    }
    let process = (0..<2).map { Self.publicProcess(spend[$0], channel: $0) }
    let (adstocked, saturated, effect) = (
      process.map(\.adstocked), process.map(\.saturated), process.map(\.effect)
    )
    let start = DateComponents(calendar: Calendar(identifier: .gregorian), year: 2021, month: 10, day: 2).date
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    var lines = [
      "date,x1,x2,x1_adstock,x2_adstock,x1_adstock_saturated,x2_adstock_saturated,x1_effect,x2_effect,y,y01,y02"
    ]
    for t in 0..<weeks {
      let date = formatter.string(from: (start ?? Date()).addingTimeInterval(Double(7 * 86_400 * t)))
      let season: Double = 0.3 * sin(2 * Double.pi * Double(t) / 52)
      let level: Double = 1 + 0.005 * Double(t) + season + 0.05 * uniform()
      let y: Double = 100 * (level + effect[0][t] + effect[1][t])
      let fields = [
        spend[0][t], spend[1][t], adstocked[0][t], adstocked[1][t], saturated[0][t], saturated[1][t],
        effect[0][t], effect[1][t], y, y - 100 * effect[0][t], y - 100 * effect[1][t],
      ]
      lines.append(([date] + fields.map { "\($0)" }).joined(separator: ","))
    }
    return (lines.joined(separator: "\n") + "\n", spend, effect)
  }

  @Test("seed002_study.sh on a file of the seed's format: its truth, and go-dark tests from its own process")
  func seed002StudyOnTheSeedsData() throws {
    let out = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    let (csv, spend, effect) = Self.publicFormatData()
    let data = out.appendingPathComponent("mmm_roas_data.csv")
    try csv.write(to: data, atomically: true, encoding: .utf8)
    let result = try Self.runScript(
      "Examples/UnobservedConfounder/seed002_study.sh",
      [out.appendingPathComponent("study").path, data.path],
      environment: [
        "BIN": CLIRunner.executable.path, "CHAINS": "1", "TUNE": "20", "DRAWS": "10", "SKIP_CV": "1",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try String(contentsOf: data, encoding: .utf8) == csv, "the user's file is left as it was")
    // The seed's truth: sum(y - y0c) / sum(x_c) = 100 sum(effect_c) / sum(x_c).
    let study = out.appendingPathComponent("study")
    let truth = try Self.json(study.appendingPathComponent("truth_values.json"))
    for c in 0..<2 {
      let expected = 100 * effect[c].reduce(0, +) / spend[c].reduce(0, +)
      #expect(abs((truth["roas[x\(c + 1)]"] as? Double ?? .nan) - expected) < 1e-9 * expected)
    }
    // Go-dark: the 8 weeks ending 50, 30, 14, 12 weeks before the last (indices 80, 100, 116, 118) at zero
    // spend, recomputed here: the window's mean lift of the process and its mean spend.
    let rows = try String(contentsOf: study.appendingPathComponent("lifts_go-dark.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    #expect(rows.count == 4)
    for (row, (c, end)) in zip(rows, [(0, 80), (1, 100), (0, 116), (1, 118)]) {
      // The window's mean lift: the effect with spend against the effect with the window's spend at zero.
      let window = (end - 7)...end
      let dark = Self.publicProcess(
        spend[c].indices.map { window.contains($0) ? 0 : spend[c][$0] }, channel: c)
      let lift = window.map { 100 * (effect[c][$0] - dark.effect[$0]) }.reduce(0, +) / 8
      let meanSpend = window.map { spend[c][$0] }.reduce(0, +) / 8
      #expect(row[0] == "x\(c + 1)")
      #expect(abs((Double(row[2]) ?? .nan) + meanSpend) < 1e-6)
      #expect(abs((Double(row[3]) ?? .nan) + lift) < 1e-5, "\(row) against \(lift)")
    }
    #expect(result.stdout.contains("\nuncalibrated ") && result.stdout.contains("\ngo-dark "))
  }

  @Test("GeoLiftCalibration: uncalibrated and calibrated fits, recovery table and report")
  func geoLiftCalibration() throws {
    let (result, out) = try Self.runExample("GeoLiftCalibration", environment: ["TUNE": "15", "DRAWS": "10"])
    defer { try? FileManager.default.removeItem(at: out) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    let calibrated = try Self.json(out.appendingPathComponent("calibrated/summary.json"))
    #expect((calibrated["lift_checks"] as? [Any])?.count == 4)
    #expect(result.stdout.contains("lam channel_1"))
  }

  @Test("QuasiExperimentPriors: ITS effects, Michaelis-Menten priors, default and informed fits")
  func quasiExperimentPriors() throws {
    let (result, out) = try Self.runExample(
      "QuasiExperimentPriors", environment: ["TUNE": "30", "DRAWS": "20"])
    defer { try? FileManager.default.removeItem(at: out) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    // The cut lowered sales, the boost raised them: the signs do not depend on the sampler settings.
    let cut =
      try Self.json(out.appendingPathComponent("its_cut.json"))["spend_change"] as? [String: Double] ?? [:]
    let boost =
      try Self.json(out.appendingPathComponent("its_boost.json"))["spend_change"] as? [String: Double] ?? [:]
    #expect((cut["delta_y"] ?? 0) < 0 && (boost["delta_y"] ?? 0) > 0)
    #expect(cut["x1"] == 0.3 && boost["x1"] == 6)
    let priors = try String(contentsOf: out.appendingPathComponent("priors.yaml"), encoding: .utf8)
    #expect(
      priors.contains("saturation_alpha: {dist: Gamma") && priors.contains("saturation_lam: {dist: Gamma"))
    #expect(result.stdout.contains("saturation_lam[meta]"))
  }

  @Test("TVExperiment: lift-test row from the 8-week generator, uncalibrated and calibrated fits, shares")
  func tvExperiment() throws {
    let (result, out) = try Self.runExample("TVExperiment", environment: ["TUNE": "15", "DRAWS": "10"])
    defer { try? FileManager.default.removeItem(at: out) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    let lift = try String(contentsOf: out.appendingPathComponent("lift_tests.csv"), encoding: .utf8)
    #expect(lift.hasPrefix("channel,x,delta_x,delta_y,sigma\ntv_spend_raw,0,"))
    let calibrated = try Self.json(out.appendingPathComponent("calibrated/summary.json"))
    #expect((calibrated["lift_checks"] as? [Any])?.count == 1)
    #expect(result.stdout.contains("share of sales"))
  }
}
