import Foundation
import Testing

@Suite("causal-mmm fit with structure: dag, and causal-mmm effects")
struct StructuralCLITests {
  static let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")

  /// The good national config with `structure: dag` and `dag: graph.dot`, and the DOT text, in a fresh folder.
  static func setUp(dot: String) throws -> URL {
    let dir = try CLIRunner.temporaryDirectory()
    let base = try String(contentsOf: good.appendingPathComponent("mmm_config.yaml"), encoding: .utf8)
    try (base + "structure: dag\ndag: graph.dot\n").write(
      to: dir.appendingPathComponent("model.yaml"), atomically: true, encoding: .utf8)
    try dot.write(to: dir.appendingPathComponent("graph.dot"), atomically: true, encoding: .utf8)
    return dir
  }

  static func fit(in dir: URL) throws -> CLIResult {
    try CLIRunner.run([
      "fit", "--config", dir.appendingPathComponent("model.yaml").path, "--data",
      good.appendingPathComponent("mmm_data.csv").path, "--out", dir.appendingPathComponent("fit").path,
      "--quiet",
    ])
  }

  @Test("radio mediating tv: one equation each for radio and y; effects splits tv's effect through radio")
  func mediatedFitAndEffects() throws {
    let dir = try Self.setUp(dot: "digraph {\n  tv -> radio -> y;\n  tv -> y [transform=linear];\n}\n")
    defer { try? FileManager.default.removeItem(at: dir) }
    let fit = try Self.fit(in: dir)
    #expect(fit.status == 0, "\(fit.stderr)")
    let summary = try Data(contentsOf: dir.appendingPathComponent("fit/summary.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
    let parameters = try #require(json["parameters"] as? [String: Any])
    #expect(parameters["saturation_lam[radio,tv]"] != nil)
    #expect(parameters["saturation_lam[y,radio]"] != nil)
    #expect(parameters["gamma_control[y,tv]"] != nil, "the edge attribute makes tv linear in y's equation")
    #expect(parameters["y_sigma[radio]"] != nil)
    let structure = try #require(json["structure"] as? [String: Any])
    #expect(structure["mediators"] as? [String] == ["radio"])
    for file in ["chain-1.csv", "provenance.json", "structure.json", "config.json", "data.csv"] {
      #expect(
        FileManager.default.fileExists(atPath: dir.appendingPathComponent("fit/\(file)").path), "\(file)")
    }

    let effects = try CLIRunner.run([
      "effects", "--fit", dir.appendingPathComponent("fit").path, "--window", "2023-03-06:2023-05-29",
      "--format",
      "json",
    ])
    #expect(effects.status == 0, "\(effects.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(effects.stdout.utf8)) as? [String: Any])
    let rows = try #require(report["effects"] as? [[String: Any]])
    #expect(rows.map { $0["channel"] as? String } == ["tv", "tv", "radio", "radio"])
    #expect(rows.map { $0["intervention"] as? String } == ["go_dark", "plus_50", "go_dark", "plus_50"])
    let tv = rows[0]
    let total = try #require((tv["total"] as? [String: Any])?["mean"] as? Double)
    let direct = try #require((tv["direct"] as? [String: Any])?["mean"] as? Double)
    let indirect = try #require((tv["indirect"] as? [String: Any])?["mean"] as? Double)
    #expect(abs(total - (direct + indirect)) <= 1e-9 * max(1, abs(total)))
    let through = try #require(tv["through_mediators"] as? [[String: Any]])
    #expect(through.map { $0["mediator"] as? String } == ["radio"])
    #expect((rows[2]["through_mediators"] as? [Any])?.isEmpty == true)

    let intervene = try CLIRunner.run([
      "intervene", "--fit", dir.appendingPathComponent("fit").path, "--data",
      Self.good.appendingPathComponent("mmm_data.csv").path,
    ])
    #expect(intervene.status == 1)
    #expect(intervene.stderr.contains("a structural fit (structure: dag): query it with `causal-mmm effects"))

    let text = try CLIRunner.run(["effects", "--fit", dir.appendingPathComponent("fit").path])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("tv go_dark"))
    #expect(text.stdout.contains("through radio"))

    // The HTML report of a structural fit carries the compiled equations and the same effects (over every
    // training date, as `effects` without --window).
    let all = try CLIRunner.run([
      "effects", "--fit", dir.appendingPathComponent("fit").path, "--format", "json",
    ])
    let allRows = try #require(
      (try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])?["effects"]
        as? [[String: Any]])
    let tvTotal = try #require((allRows[0]["total"] as? [String: Any])?["mean"] as? Double)
    let viaRadio = try #require(
      ((allRows[0]["through_mediators"] as? [[String: Any]])?.first?["effect"] as? [String: Any])?["mean"]
        as? Double)
    let html = dir.appendingPathComponent("report.html").path
    let written = try CLIRunner.run(["report", "--fit", dir.appendingPathComponent("fit").path, "-o", html])
    #expect(written.status == 0, "\(written.stderr)")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.contains("Structural effects"))
    #expect(page.contains("radio = intercept + "))
    #expect(
      page.contains("radio \(Int((100 * viaRadio / tvTotal).rounded()))%"), "share of tv's effect via radio")
  }

  @Test(
    "a latent common cause of tv and radio: radio's equation is refused at the dir=both edge, nothing fitted")
  func latentConfounderRefused() throws {
    let dir = try Self.setUp(
      dot: "digraph {\n  tv -> radio -> y;\n  tv -> y;\n  tv -> radio [dir=both];\n}\n")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try Self.fit(in: dir)
    #expect(result.status == 1)
    let graph = dir.appendingPathComponent("graph.dot").path
    #expect(
      result.stderr.hasPrefix("\(graph):4: error: the equation of 'radio' is not identified"),
      "\(result.stderr)")
    #expect(result.stderr.contains("tv <- U_radio_tv -> radio"))
    #expect(result.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("fit/summary.json").path))
  }

  @Test("effects on a single-equation fit is refused with one located line")
  func effectsNeedsAStructuralFit() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try CLIRunner.run(["effects", "--fit", dir.path])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("\(dir.path): error: not a structural fit"))
  }
}
