import Foundation
import Testing

/// Runs each example's `run.sh` end to end with tiny sampler settings (so the examples cannot rot)
/// against the debug `causal-mmm`, and checks the files and facts that do not depend on sampling.
@Suite("Examples run end to end", .serialized)
struct ExamplesTests {
  static func runExample(_ name: String, environment extra: [String: String]) throws -> (CLIResult, URL) {
    let out = try CLIRunner.temporaryDirectory()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [CLIRunner.packageRoot.appendingPathComponent("Examples/\(name)/run.sh").path]
    var environment = ProcessInfo.processInfo.environment
    environment["BIN"] = CLIRunner.executable.path
    environment["OUT"] = out.path
    environment["CHAINS"] = "1"
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    try process.run()
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      CLIResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)), out
    )
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
