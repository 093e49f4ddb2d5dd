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
