import Foundation
import Testing

@Suite("causal-mmm fit checks the specification against the configuration's dag:")
struct FitPlannerTests {
  static let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")

  /// Writes the good national config plus `dag: graph.dot` and the DOT text into a fresh folder.
  static func setUp(dot: String) throws -> URL {
    let dir = try CLIRunner.temporaryDirectory()
    let base = try String(contentsOf: good.appendingPathComponent("mmm_config.yaml"), encoding: .utf8)
    try (base + "dag: graph.dot\n").write(
      to: dir.appendingPathComponent("model.yaml"), atomically: true, encoding: .utf8)
    try dot.write(to: dir.appendingPathComponent("graph.dot"), atomically: true, encoding: .utf8)
    return dir
  }

  static func fit(in dir: URL) throws -> CLIResult {
    try CLIRunner.run([
      "fit", "--config", dir.appendingPathComponent("model.yaml").path, "--data",
      good.appendingPathComponent("mmm_data.csv").path, "--out", dir.appendingPathComponent("fit").path,
    ])
  }

  @Test("radio mediating tv: the joint model is flagged for tv, in the output and in summary.json")
  func mediatorFlagged() throws {
    let dir = try Self.setUp(dot: "digraph { tv -> radio -> y; tv -> y }")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try Self.fit(in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("WARNING: tv: this model does not estimate its total effect on y"))
    #expect(result.stdout.contains("radio is a mediator of tv"))
    let summary = try Data(contentsOf: dir.appendingPathComponent("fit/summary.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
    let warnings = try #require(json["warnings"] as? [String])
    #expect(warnings.contains { $0.hasPrefix("tv: this model does not estimate its total effect") })
    #expect(!warnings.contains { $0.hasPrefix("radio:") }, "radio's total effect is estimated")
  }

  @Test("two independent channels: no planner warning")
  func validSpecification() throws {
    let dir = try Self.setUp(dot: "digraph { tv -> y; radio -> y }")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try Self.fit(in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("does not estimate its total effect"))
  }

  @Test("a cyclic dag: file is refused with its location, nothing fitted")
  func cyclicDAGRefused() throws {
    let dir = try Self.setUp(dot: "digraph {\n tv -> y\n y -> tv\n}\n")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try Self.fit(in: dir)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("graph.dot:"))
    #expect(result.stderr.contains("error: the graph has a cycle"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("fit").path))
  }
}

@Suite("causal-mmm fit tests the configuration's DAG on the columns it read")
struct FitDAGDataCheckTests {
  /// 104 weeks in which radio is driven by tv (radio = tv + small noise) and y by both.
  static func table() -> String {
    // A fixed, deterministic pseudo-random sequence (no generator state shared with the product).
    func noise(_ i: Int, _ salt: Double) -> Double {
      let x = sin(Double(i) * 12.9898 + salt * 78.233) * 43_758.5453
      return x - x.rounded(.down) - 0.5
    }
    var lines = ["date,tv,radio,y"]
    for week in 0..<104 {
      let day = 19_358 + 7 * week  // 2023-01-01 onwards
      let date = Date(timeIntervalSince1970: Double(day) * 86_400)
      let text = ISO8601DateFormatter.string(
        from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: .withFullDate)
      let tv = 20 + 10 * noise(week, 1)
      let radio = tv + 1.5 * noise(week, 2)
      let y = 10 + 0.2 * tv + 0.1 * radio + noise(week, 3)
      lines.append("\(text),\(tv),\(radio),\(y)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test(
    "a DAG without the tv -> radio edge is rejected by the data, warned in summary.json; with it, no warning")
  func missingEdgeWarned() throws {
    for (dot, warned) in [
      ("digraph { tv -> y; radio -> y }", true), ("digraph { tv -> radio -> y; tv -> y }", false),
    ] {
      let dir = try CLIRunner.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: dir) }
      try Self.table().write(to: dir.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
      try dot.write(to: dir.appendingPathComponent("graph.dot"), atomically: true, encoding: .utf8)
      try """
      target_column: y
      channel_columns: [tv, radio]
      adstock: {type: geometric, l_max: 2}
      dag: graph.dot
      sampler: {chains: 1, tune: 30, draws: 20, seed: 5}
      """.write(to: dir.appendingPathComponent("model.yaml"), atomically: true, encoding: .utf8)
      let result = try CLIRunner.run(
        ["fit", "--config", "model.yaml", "--data", "data.csv", "--out", "fit", "--quiet"], in: dir)
      #expect(result.status == 0, "\(result.stderr)")
      let summary = try Data(contentsOf: dir.appendingPathComponent("fit/summary.json"))
      let json = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
      let warnings = try #require(json["warnings"] as? [String])
      let rejection = warnings.first { $0.hasPrefix("the data reject the DAG's implication") }
      #expect((rejection != nil) == warned, "\(dot): \(warnings)")
      if warned {
        #expect(rejection?.contains("tv -> radio") == true || rejection?.contains("radio -> tv") == true)
      }
    }
  }
}

@Suite("causal-mmm plan --data tests the DAG before recommending")
struct PlanDataCheckTests {
  @Test("plan --data names the rejected implication and the edges that would explain it")
  func planWarns() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try FitDAGDataCheckTests.table().write(
      to: dir.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
    try "digraph { tv -> y; radio -> y }".write(
      to: dir.appendingPathComponent("graph.dot"), atomically: true, encoding: .utf8)
    let result = try CLIRunner.run(
      ["plan", "graph.dot", "--outcome", "y", "--channels", "tv,radio", "--data", "data.csv"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("Data check"))
    #expect(result.stdout.contains("the data reject the DAG's implication tv _||_ radio"))
    #expect(result.stdout.contains("tv -> radio"))
  }
}
