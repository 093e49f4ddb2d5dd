import Foundation
import Testing

@Suite("one recommended adjustment set")
struct RecommendedSetTests {
  /// The DOT files shipped in dags/.
  static let dags: [String] = {
    let directory = CLIRunner.packageRoot.appendingPathComponent("dags")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".dot") }.sorted()
  }()

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test("adjust, render and plan recommend the same set for every DAG in dags/", arguments: dags)
  func sameSetEverywhere(_ name: String) throws {
    let file = CLIRunner.dag(name)
    let adjust = try CLIRunner.run(["adjust", file, "--format", "json"])
    try #require(adjust.status == 0, "\(adjust.stderr)")
    let adjustJSON = try Self.json(adjust.stdout)
    let treatment = try #require(adjustJSON["treatment"] as? String)
    let outcome = try #require(adjustJSON["outcome"] as? String)
    let fromAdjust = adjustJSON["recommended_adjustment_set"] as? [String]

    let plan = try CLIRunner.run([
      "plan", file, "--outcome", outcome, "--channels", treatment, "--format", "json",
    ])
    try #require(plan.status == 0, "\(plan.stderr)")
    let channels = try #require(try Self.json(plan.stdout)["channels"] as? [[String: Any]])
    let fromPlan = channels.first?["recommended_adjustment_set"] as? [String]

    let directory = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let drawing = directory.appendingPathComponent("dag.dot").path
    let render = try CLIRunner.run(["render", file, "-o", drawing])
    try #require(render.status == 0, "\(render.stderr)")
    // The drawing fills the adjustment set's nodes with #ffe680 (GraphvizIO's `adjusted` style).
    let text = try String(contentsOfFile: drawing, encoding: .utf8)
    var fromRender: [String] = []
    for line in text.split(separator: "\n") where line.contains("#ffe680") && !line.contains("->") {
      let name = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
      let node = name.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      if !node.isEmpty, !node.hasPrefix("§") { fromRender.append(node) }  // § marks the legend's nodes
    }
    #expect(fromAdjust == fromPlan, "\(name): adjust \(String(describing: fromAdjust)) vs plan")
    #expect((fromAdjust ?? []).sorted() == fromRender.sorted(), "\(name): render drew \(fromRender)")
    #expect(adjust.stdout.isEmpty == false)
  }

  @Test("adjust's text names the set and why it was chosen")
  func textSaysWhy() throws {
    let result = try CLIRunner.run(["adjust", CLIRunner.dag("calibration_trap.dot")])
    #expect(
      result.stdout.contains(
        "Recommended controls: {events, price, trend} (the smallest valid set; add {price, trend} for precision)"
      ))
  }
}
