import Foundation
import Testing

/// `causal-mmm fit` on a user's own data runs the calibration-trap detector: every lift-test row
/// with dates is re-read by the model's own do() over the test window.
@Suite("the calibration-trap detector in fit")
struct CalibrationTrapFitTests {
  static let priors = """
    adstock: {type: geometric, l_max: 8, normalize: true}
    saturation: {type: michaelis_menten}
    trend: true
    priors:
      adstock_alpha: {dist: Beta, alpha: 1, beta: 1}
      saturation_lam: {dist: Gamma, mu: 2, sigma: 1}
      saturation_alpha: {dist: Gamma, mu: 0.5, sigma: 0.5}
    sampler: {chains: 2, tune: 60, draws: 60, target_accept: 0.9, seed: 1}
    """

  static func configuration(channels: [String]) -> String {
    "date_column: date\ntarget_column: target\nchannel_columns: [\(channels.joined(separator: ", "))]\n"
      + "control_columns: [events, price]\n" + priors + "\n"
  }

  /// The window check of the one lift test in summary.json: (steady z, steady verdict, window z, window verdict).
  static func check(_ directory: URL) throws -> (Double, String, Double, String) {
    let data = try Data(contentsOf: directory.appendingPathComponent("summary.json"))
    let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let checks = try #require(summary["calibration_checks"] as? [[String: Any]])
    try #require(checks.count == 1)
    let steady = try #require(checks[0]["steady_state"] as? [String: Any])
    let window = try #require(checks[0]["window"] as? [String: Any])
    return (
      try #require(steady["z"] as? Double), try #require(steady["verdict"] as? String),
      try #require(window["z"] as? Double), try #require(window["verdict"] as? String)
    )
  }

  @Test(
    "seed 001 with a dated go-dark test: the naive fit passes the steady-state check and fails the window check; the causal fit passes both; one wide CSV feeds both"
  )
  func naiveFlaggedCausalPasses() throws {
    let directory = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let simulated = try CLIRunner.run(
      [
        "simulate", "calibration-trap", "--seed", "1", "--out", "all.csv", "--lift-test",
        "impressions_x2:go-dark:880-980", "--lift-tests-out", "lifts.csv", "--lift-test-windows",
      ], in: directory)
    try #require(simulated.status == 0, "\(simulated.stderr)")
    // Days 780-1049: the test window (days 880-979) with 100 days before it, to keep the fits short.
    let lines = try String(contentsOf: directory.appendingPathComponent("all.csv"), encoding: .utf8)
      .split(separator: "\n")
    let wide = ([lines[0]] + lines[781...]).joined(separator: "\n") + "\n"
    try wide.write(to: directory.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
    let specifications = [
      ("naive", ["impressions_x1", "impressions_x2", "impressions_x3", "impressions_x4"]),
      ("causal", ["impressions_x2"]),
    ]
    var results: [String: (Double, String, Double, String)] = [:]
    for (name, channels) in specifications {
      try Self.configuration(channels: channels).write(
        to: directory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
      let fit = try CLIRunner.run(
        [
          "fit", "--config", "\(name).yaml", "--data", "data.csv", "--lift-tests", "lifts.csv", "--out", name,
        ],
        in: directory)
      try #require(fit.status == 0, "\(name): \(fit.stderr)")
      // The columns the specification does not use are ignored, with one note naming them.
      #expect(fit.stderr.hasPrefix("note: data.csv: ignoring"), "\(fit.stderr)")
      #expect(fit.stdout.contains("Calibration checks"))
      results[name] = try Self.check(directory.appendingPathComponent(name))
    }
    let naive = try #require(results["naive"])
    let causal = try #require(results["causal"])
    #expect(naive.1 == "pass" && abs(naive.0) <= 2, "naive steady-state z \(naive.0)")
    #expect(naive.3 == "FLAG" && abs(naive.2) > 2, "naive window z \(naive.2)")
    #expect(causal.1 == "pass" && causal.3 == "pass", "causal z \(causal.0), \(causal.2)")
  }
}
