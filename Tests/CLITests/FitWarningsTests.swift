import Foundation
import Testing

@Suite("causal-mmm fit: no silent wrong answers (finite summaries, warnings in summary.json and in bold)")
struct FitWarningsTests {
  static let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")

  struct FitOutput {
    let result: CLIResult
    let summary: [String: Any]
    let roas: [String: [String: Any]]
    var warnings: [String] { summary["warnings"] as? [String] ?? [] }
  }

  static func fit(data: String, lifts: String? = nil, arguments: [String]) throws -> FitOutput {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var command = [
      "fit", "--config", good.appendingPathComponent("mmm_config.yaml").path, "--data",
      good.appendingPathComponent(data).path, "--out", dir.appendingPathComponent("fit").path,
    ]
    if let lifts { command += ["--lift-tests", good.appendingPathComponent(lifts).path] }
    let result = try CLIRunner.run(command + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    let summaryData = try Data(contentsOf: dir.appendingPathComponent("fit/summary.json"))
    let summary = try #require(try JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
    let roasData = try Data(contentsOf: dir.appendingPathComponent("fit/roas.json"))
    let roas = try #require(try JSONSerialization.jsonObject(with: roasData) as? [String: [String: Any]])
    return FitOutput(result: result, summary: summary, roas: roas)
  }

  @Test(
    "spend in the millions, y near 1e-6 and an all-zero channel: finite summaries, the zero channel explained"
  )
  func extremeData() throws {
    let output = try Self.fit(
      data: "mmm_data_extreme.csv",
      arguments: ["--chains", "2", "--tune", "80", "--draws", "60", "--seed", "2"])
    let parameters = try #require(output.summary["parameters"] as? [String: [String: Any]])
    #expect(parameters.count >= 7)
    for (name, fields) in parameters {
      for key in ["mean", "sd", "hdi_3%", "hdi_97%"] {
        #expect(
          (fields[key] as? Double)?.isFinite == true, "\(name) \(key) is \(String(describing: fields[key]))")
      }
    }
    // radio is 0 in every row: ROAS 0/0 is written as null, and a warning says why.
    #expect(output.roas["radio"]?["roas_mean"] is NSNull)
    #expect(output.warnings.contains { $0.hasPrefix("channel 'radio' has no spend") })
    #expect(!output.warnings.contains { $0.contains("'tv' has no spend") })
    #expect(output.result.stdout.contains("**WARNING: channel 'radio' has no spend"))
  }

  @Test("the r_hat and divergence warnings appear exactly when summary.json's own numbers cross 1.01 and 1%")
  func diagnosticsWarningsMatchTheSummary() throws {
    // A deliberately short run (R-hat well above 1.01 is likely) and a longer one.
    for (tune, draws, seed) in [(10, 12, "4"), (150, 150, "4")] {
      let output = try Self.fit(
        data: "mmm_data.csv",
        arguments: [
          "--chains", "2", "--tune", String(tune), "--draws", String(draws), "--seed", seed, "--quiet",
        ])
      let parameters = try #require(output.summary["parameters"] as? [String: [String: Any]])
      let maxRHat = parameters.values.compactMap { $0["r_hat"] as? Double }.max() ?? 0
      let sampler = try #require(output.summary["sampler"] as? [String: Any])
      let divergences = try #require(sampler["divergences"] as? Int)
      let hasRHatWarning = output.warnings.contains { $0.hasPrefix("r_hat up to") }
      let hasDivergenceWarning = output.warnings.contains { $0.contains("divergent transitions") }
      #expect(hasRHatWarning == (maxRHat > 1.01), "max r_hat \(maxRHat), warnings \(output.warnings)")
      #expect(hasDivergenceWarning == (Double(divergences) > 0.01 * Double(2 * draws)))
      if tune == 10 {
        #expect(hasRHatWarning, "a 12-draw run should not look converged (max r_hat \(maxRHat))")
      }
    }
  }

  @Test(
    "a lift test the model cannot reproduce (400 measured, sigma 0.05) fails its calibration check, warned")
  func implausibleLiftTest() throws {
    let output = try Self.fit(
      data: "mmm_data.csv", lifts: "mmm_lifts_implausible.csv",
      arguments: ["--chains", "1", "--tune", "60", "--draws", "40", "--seed", "3", "--quiet"])
    let checks = try #require(output.summary["lift_checks"] as? [[String: Any]])
    let upper = try #require(checks.first?["model_hdi_97%"] as? Double)
    // y is about 10 to 20 in this table: no posterior draw comes near a lift of 400.
    #expect(upper + 2 * 0.05 < 400)
    #expect(output.warnings.contains { $0.contains("the steady-state reading gives") && $0.contains("400") })
    let calibration = try #require(output.summary["calibration_checks"] as? [[String: Any]])
    let steady = try #require(calibration.first?["steady_state"] as? [String: Any])
    #expect(steady["verdict"] as? String == "FLAG")
  }
}
