import CausalGraph
import Testing

@testable import Simulation

@Suite("simulated lift tests")
struct LiftTestTests {
  @Test("a go-dark test on x in a linear SCM gives delta_x = -x and delta_y = -(b + a c) x per period")
  func linearGoDark() throws {
    let (a, b, c) = (0.5, 2.0, 3.0)
    let model = try linearMediationModel(a: a, b: b, c: c)
    let scenario = Scenario(
      name: "linear", summary: "", units: [ScenarioUnit(label: nil, model: model)], unitColumn: nil, days: 40,
      outcome: "y", channels: ["x"], estimands: [])
    let rows = try scenario.runLiftTest(
      LiftTestDesign(channel: "x", kind: .goDark, periods: 10..<20, relativeSigma: 0.1))
    let x = try model.simulate(days: 40).series("x")!
    let level = x[10..<20].reduce(0, +) / 10
    #expect(rows.count == 1)
    #expect(abs(rows[0].x - level) < 1e-12)
    #expect(abs(rows[0].deltaX + level) < 1e-12)
    #expect(abs(rows[0].deltaY + (b + a * c) * level) < 1e-9)
    #expect(abs(rows[0].sigma - 0.1 * (b + a * c) * level) < 1e-9)
    #expect(rows[0].start?.description == "2024-01-11" && rows[0].end?.description == "2024-01-20")
  }

  @Test("calibration trap: the go-dark lift per day equals the go_dark_x2 truth divided by the window length")
  func calibrationTrapLift() throws {
    let scenario = try Scenario.calibrationTrap(seed: 5)
    let rows = try scenario.runLiftTest(
      LiftTestDesign(channel: "impressions_x2", kind: .goDark, periods: 880..<980))
    let truth = try scenario.trueEffect(of: scenario.estimands[0])
    #expect(abs(rows[0].deltaY * 100 - truth.total) < 1e-6)
  }

  @Test("geo tests give one row per tested geo, in per-period units")
  func geoRows() throws {
    let scenario = try Scenario.geoLift(seed: 1)
    let rows = try scenario.runLiftTest(
      LiftTestDesign(channel: "channel_1", kind: .scale(1.2), periods: 92..<104, geos: ["geo_01", "geo_05"]))
    #expect(rows.map(\.geo) == ["geo_01", "geo_05"])
    for row in rows {
      #expect(abs(row.deltaX - 0.2 * row.x) < 1e-12)
      #expect(row.deltaY > 0)
    }
    #expect(throws: SimulationError.self) {
      try scenario.runLiftTest(
        LiftTestDesign(channel: "channel_1", kind: .goDark, periods: 0..<4, geos: ["geo_99"]))
    }
  }
}
