import Foundation
import Testing

@Suite("adjust, implications and instruments commands")
struct AdjustCommandTests {
  @Test("adjust --format json on the calibration trap: keys in contract order, {events} the only minimal set")
  func adjustJSON() throws {
    let result = try CLIRunner.run(["adjust", CLIRunner.dag("calibration_trap.dot"), "--format", "json"])
    #expect(result.status == 0)
    let keys = [
      "\"treatment\"", "\"outcome\"", "\"latent\"", "\"identifiable\"", "\"minimal_adjustment_sets\"",
      "\"optimal_adjustment_set\"", "\"roles\"",
    ]
    let positions = keys.compactMap { result.stdout.range(of: $0)?.lowerBound }
    #expect(positions.count == keys.count && positions == positions.sorted())
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["treatment"] as? String == "impressions_x2")
    #expect(json["minimal_adjustment_sets"] as? [[String]] == [["events"]])
    #expect(json["identifiable"] as? Bool == true)
  }

  @Test("--check-set events,spend_x1 says valid but not minimal and names spend_x1 as droppable")
  func checkSet() throws {
    let result = try CLIRunner.run([
      "adjust", CLIRunner.dag("calibration_trap.dot"), "--check-set", "events,spend_x1",
    ])
    #expect(result.status == 0)
    #expect(
      result.stdout.contains(
        "{events, spend_x1} is valid but not minimal: {events} suffices; {spend_x1} can be dropped."))
  }

  @Test("treatment equal to outcome and unknown nodes: exit 1, located error, nothing on stdout")
  func invalidQueries() throws {
    let file = CLIRunner.dag("calibration_trap.dot")
    for arguments in [
      ["--treatment", "target", "--outcome", "target"], ["--treatment", "nope"], ["--forbid", "nope"],
    ] {
      let result = try CLIRunner.run(["adjust", file] + arguments)
      #expect(result.status == 1)
      #expect(result.stdout.isEmpty)
      #expect(result.stderr.hasPrefix("\(file): error:"))
    }
    let cyclic = try CLIRunner.run([
      "adjust", CLIRunner.fixture("cycle3.dot"), "--treatment", "a", "--outcome", "b",
    ])
    #expect(cyclic.status == 1 && cyclic.stdout.isEmpty)
  }

  @Test("instruments lists spend_x2 unconditionally; implications includes events ⊥ price")
  func instrumentsAndImplications() throws {
    let file = CLIRunner.dag("calibration_trap.dot")
    let instruments = try CLIRunner.run(["instruments", file])
    #expect(instruments.status == 0 && instruments.stdout.split(separator: "\n") == ["spend_x2"])
    let implications = try CLIRunner.run(["implications", file])
    #expect(implications.status == 0 && implications.stdout.contains("events _||_ price\n"))
  }
}
