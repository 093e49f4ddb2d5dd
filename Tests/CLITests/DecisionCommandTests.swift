import Foundation
import Testing

/// `predict`/`intervene` on forward tables, `curves` and `optimize` as a user runs them: located errors
/// with exit status 1, and the causal guard on the calibration trap's naive specification.
@Suite("decision commands", .serialized)
struct DecisionCommandTests {
  /// A small national fit of seed 001's calibration trap (days 780-1049), naive or causal, with `dag:`.
  static func trapFit(_ name: String, channels: [String], in directory: URL) throws -> String {
    let data = directory.appendingPathComponent("data.csv")
    if !FileManager.default.fileExists(atPath: data.path) {
      let simulated = try CLIRunner.run(
        ["simulate", "calibration-trap", "--seed", "1", "--out", "all.csv"], in: directory)
      try #require(simulated.status == 0, "\(simulated.stderr)")
      let lines = try String(contentsOf: directory.appendingPathComponent("all.csv"), encoding: .utf8)
        .split(separator: "\n")
      try (([lines[0]] + lines[781...]).joined(separator: "\n") + "\n").write(
        to: data, atomically: true, encoding: .utf8)
    }
    let config =
      "date_column: date\ntarget_column: target\nchannel_columns: [\(channels.joined(separator: ", "))]\n"
      + "control_columns: [events, price]\ndag: \(CLIRunner.dag("calibration_trap.dot"))\n"
      + CalibrationTrapFitTests.priors + "\n"
    try config.write(to: directory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
    let fit = try CLIRunner.run(
      ["fit", "--config", "\(name).yaml", "--data", "data.csv", "--out", name, "--quiet"], in: directory)
    try #require(fit.status == 0, "\(name): \(fit.stderr)")
    return name
  }

  static func lastDate(_ directory: URL) throws -> String {
    let lines = try String(contentsOf: directory.appendingPathComponent("data.csv"), encoding: .utf8)
      .split(separator: "\n")
    return String(lines.last!.split(separator: ",")[0])
  }

  static func day(after date: String, _ days: Int) -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd"
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: f.date(from: date)!.addingTimeInterval(Double(days) * 86400))
  }

  @Test func theCausalGuardRefusesTheNaiveSpecificationAndPassesTheCausalOne() throws {
    let directory = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let naive = try Self.trapFit(
      "naive", channels: ["impressions_x1", "impressions_x2", "impressions_x3", "impressions_x4"],
      in: directory)
    let causal = try Self.trapFit("causal", channels: ["impressions_x2"], in: directory)
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("naive/dag.dot").path))
    let start = Self.day(after: try Self.lastDate(directory), 1)
    let arguments = ["optimize", "--budget", "1000", "--start", start, "--periods", "14"]
    let refused = try CLIRunner.run(arguments + ["--fit", naive], in: directory)
    #expect(refused.status == 1 && refused.stdout.isEmpty)
    #expect(
      refused.stderr.contains("causal guard") && refused.stderr.contains("impressions_x2"),
      "\(refused.stderr)")
    #expect(refused.stderr.contains("mediator"), "\(refused.stderr)")
    #expect(refused.stderr.contains("controls {events"), "\(refused.stderr)")
    #expect(refused.stderr.split(separator: "\n").count == 1)
    let overridden = try CLIRunner.run(
      arguments + ["--fit", naive, "--allow-non-causal", "--format", "json"], in: directory)
    #expect(overridden.status == 0, "\(overridden.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(overridden.stdout.utf8)) as? [String: Any])
    let warnings = try #require(json["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("impressions_x2") && $0.contains("causal guard") })
    let allocation = try #require(json["allocation"] as? [[String: Any]])
    let total = allocation.compactMap { $0["optimal"] as? Double }.reduce(0, +)
    #expect(abs(total - 1000) <= 1e-9 * 1000)
    let passed = try CLIRunner.run(arguments + ["--fit", causal], in: directory)
    #expect(passed.status == 0, "\(passed.stderr)")
    #expect(!passed.stdout.contains("WARNING"), "\(passed.stdout)")
    // Errors: located, one line on stderr, exit status 1, nothing on stdout.
    let cases: [([String], String)] = [
      (["--bounds", "impressions_x2=2000:3000"], "lower bound 2000 exceeds"),
      (["--bounds", "impressions_x2=0:500"], "upper bounds sum to 500, below the budget 1000"),
      (["--bounds", "tv=0:10"], "not a channel of the fit"),
      (["--budget=-5"], "--budget: error: the budget must be a number >= 0"),
    ]
    for (extra, phrase) in cases {
      var args = ["optimize", "--fit", causal, "--start", start, "--periods", "14", "--budget", "1000"]
      if extra.first?.hasPrefix("--budget=") == true { args.removeLast(2) }
      args += extra
      let result = try CLIRunner.run(args, in: directory)
      #expect(result.status == 1 && result.stdout.isEmpty, "\(extra): \(result.stdout)")
      #expect(
        result.stderr.contains(phrase) && result.stderr.contains("error:"), "\(extra): \(result.stderr)")
    }
    let gap = try CLIRunner.run(
      [
        "optimize", "--fit", causal, "--start", Self.day(after: start, 3), "--periods", "14", "--budget",
        "10",
      ],
      in: directory)
    #expect(gap.status == 1 && gap.stderr.contains("gap"), "\(gap.stderr)")
    // Curves and a forward predict on the same fit.
    let curves = try CLIRunner.run(
      ["curves", "--fit", causal, "--multipliers", "0:2:0.5", "--format", "json", "--out", "curves"],
      in: directory)
    #expect(curves.status == 0, "\(curves.stderr)")
    for file in ["curves.json", "curves.csv", "curves.svg"] {
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("curves/\(file)").path))
    }
    let future = "date,impressions_x2,events,price\n\(start),1.0,0,1.0\n\(Self.day(after: start, 1)),1.0,0,\n"
    try future.write(to: directory.appendingPathComponent("future.csv"), atomically: true, encoding: .utf8)
    let missing = try CLIRunner.run(["predict", "--fit", causal, "--data", "future.csv"], in: directory)
    #expect(
      missing.status == 1 && missing.stderr.contains("future.csv:3: error: column 'price': missing value"),
      "\(missing.stderr)")
    // A forward plan and a +50% scenario: intervene with the baseline and the carry-over tail.
    let days = (0..<3).map { Self.day(after: start, $0) }
    let plan =
      "date,impressions_x2,events,price\n" + days.map { "\($0),100,0,0.05" }.joined(separator: "\n") + "\n"
    let more =
      "date,impressions_x2,events,price\n" + days.map { "\($0),150,0,0.05" }.joined(separator: "\n") + "\n"
    try plan.write(to: directory.appendingPathComponent("plan.csv"), atomically: true, encoding: .utf8)
    try more.write(to: directory.appendingPathComponent("more.csv"), atomically: true, encoding: .utf8)
    let predicted = try CLIRunner.run(["predict", "--fit", causal, "--data", "plan.csv"], in: directory)
    #expect(
      predicted.status == 0 && predicted.stdout.split(separator: "\n").count == 4, "\(predicted.stderr)")
    let effect = try CLIRunner.run(
      [
        "intervene", "--fit", causal, "--data", "more.csv", "--baseline", "plan.csv",
        "--include-carryover-tail",
      ],
      in: directory)
    #expect(effect.status == 0, "\(effect.stderr)")
    let effectJSON = try #require(
      try JSONSerialization.jsonObject(with: Data(effect.stdout.utf8)) as? [String: Any])
    #expect((effectJSON["per_date"] as? [Any])?.count == 3 + 7)
    let noBaseline = try CLIRunner.run(["intervene", "--fit", causal, "--data", "more.csv"], in: directory)
    #expect(
      noBaseline.status == 1 && noBaseline.stderr.contains("pass a baseline table"), "\(noBaseline.stderr)")
  }
}
