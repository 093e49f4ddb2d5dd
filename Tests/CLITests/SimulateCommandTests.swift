import Foundation
import Testing

@Suite("causal-mmm simulate")
struct SimulateCommandTests {
  @Test(
    "simulate calibration-trap writes 1,050 rows plus a truth whose go-dark total equals 100 x the lift row's delta_y"
  )
  func calibrationTrap() throws {
    let directory = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("data.csv").path
    let truth = directory.appendingPathComponent("truth.json").path
    let lifts = directory.appendingPathComponent("lifts.csv").path
    let result = try CLIRunner.run([
      "simulate", "calibration-trap", "--seed", "3", "--out", data, "--truth", truth,
      "--lift-test", "impressions_x2:go-dark:880-980", "--lift-tests-out", lifts, "--lift-test-windows",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 1051)
    #expect(lines[0].hasPrefix("date,impressions_x2,target,"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as? [String: Any])
    let estimands = try #require(json["estimands"] as? [[String: Any]])
    #expect(estimands.map { $0["key"] as? String } == ["go_dark_x2", "plus_50_x2", "go_dark_x3"])
    let total = try #require(estimands[0]["total"] as? Double)
    let liftLines = try String(contentsOfFile: lifts, encoding: .utf8).split(separator: "\n")
    #expect(liftLines[0] == "channel,x,delta_x,delta_y,sigma,start,end")
    let fields = liftLines[1].split(separator: ",")
    let deltaY = try #require(Double(fields[3]))
    #expect(abs(deltaY * 100 - total) < 1e-3)
    let share = try #require((estimands[0]["mediation"] as? [String: Any])?["indirect_share"] as? Double)
    #expect(share > 0.2 && share < 0.4)
  }

  @Test("an unknown scenario exits 1 with one error line and nothing on stdout")
  func unknownScenario() throws {
    let directory = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try CLIRunner.run([
      "simulate", "nope", "--out", directory.appendingPathComponent("x.csv").path,
    ])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("unknown scenario 'nope'; known scenarios: calibration-trap"))
  }
}

@Suite("causal-mmm plan")
struct PlanCommandTests {
  @Test(
    "plan --format json: {events} for impressions_x2; the naive joint model is not valid for it, with mediators named"
  )
  func calibrationTrapJSON() throws {
    let result = try CLIRunner.run([
      "plan", CLIRunner.dag("calibration_trap.dot"), "--channels",
      "impressions_x1,impressions_x2,impressions_x3,impressions_x4", "--controls", "events,trend", "--format",
      "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["outcome"] as? String == "target")
    let channels = try #require(json["channels"] as? [[String: Any]])
    #expect(channels[1]["adjustment_set"] as? [String] == ["events"])
    let verdicts = try #require((json["proposed"] as? [String: Any])?["verdicts"] as? [[String: Any]])
    #expect(verdicts[1]["valid"] as? Bool == false)
    #expect(verdicts[1]["mediators_adjusted"] as? [String] == ["impressions_x3", "impressions_x4"])
    #expect(verdicts[2]["valid"] as? Bool == true)
  }

  @Test("an unknown channel exits 1 with FILE: error on stderr")
  func unknownChannel() throws {
    let file = CLIRunner.dag("calibration_trap.dot")
    let result = try CLIRunner.run(["plan", file, "--channels", "nope"])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("\(file): error: unknown node 'nope'"))
  }
}
