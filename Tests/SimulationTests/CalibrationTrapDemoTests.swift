import CausalGraph
import CausalMMMCore
import Foundation
import MMM
import Testing

@testable import Simulation

@Suite("calibration-trap demo: estimates, counterfactual tables, generated conclusion")
struct CalibrationTrapDemoTests {
  @Test("an estimate's error, width and coverage follow from its draws and the truth")
  func estimate() {
    let draws = (0..<1000).map { -600 + Double($0) / 999 * 100 }  // uniform on [-600, -500]
    let missing = CalibrationTrapDemo.Estimate(draws: draws, truth: -800)
    #expect(abs(missing.mean - -550) < 1e-9)
    #expect(abs(missing.width - 94) < 1.5)  // 94% of a uniform of width 100
    #expect(abs(missing.error - 250) < 1e-9)
    #expect(abs(missing.relativeError - 250.0 / 800) < 1e-12)
    #expect(!missing.covers)
    #expect(CalibrationTrapDemo.Estimate(draws: draws, truth: -550).covers)
  }

  @Test("a counterfactual table scales the channel on the window only")
  func counterfactualTable() throws {
    let dates = (0..<10).map { CalendarDate(daysSinceEpoch: PeriodCalendar.dayNumber("2020-01-01")! + $0) }
    let data = try MMMData(
      dates: dates, columns: ["c": (1...10).map(Double.init), "d": [Double](repeating: 1, count: 10)])
    let changed = try CalibrationTrapDemo.counterfactual(data, channel: "c", factor: 0, periods: 3..<5)
    #expect(changed.columns["c"] == [1, 2, 3, 0, 0, 6, 7, 8, 9, 10])
    #expect(changed.columns["d"] == data.columns["d"])
  }

  @Test(
    "the conclusion says the naive model misses and the steady-state check passes when the numbers say so")
  func conclusionFromNumbers() throws {
    let scenario = try Scenario.calibrationTrap(seed: 1)
    let truth = try scenario.truth(seed: 1)
    let trueA = truth.effects[0].total
    func model(_ name: String, center: Double, steadyZ: Double, windowZ: Double)
      -> CalibrationTrapDemo.ModelResult
    {
      let draws = (0..<200).map { center - 5 + Double($0) / 20 }
      let check = { (z: Double) in
        CalibrationTrapDemo.CalibrationCheck(
          test: "go-dark days 880-979", measured: trueA / 100, sigma: abs(trueA) / 1000, model: trueA / 100,
          modelSD: .nan, hdiLower: trueA / 100, hdiUpper: trueA / 100, zScore: z)
      }
      return CalibrationTrapDemo.ModelResult(
        name: name, channels: ["impressions_x2"], controls: ["events"], liftTestCount: 1,
        estimates: ["go_dark_x2": CalibrationTrapDemo.Estimate(draws: draws, truth: trueA)],
        steadyStateChecks: [check(steadyZ)], windowChecks: [check(windowZ)], dailyGoDark: [], divergences: 0,
        maxRHat: 1, seconds: 1)
    }
    let result = CalibrationTrapDemo.Result(
      options: .init(), truth: truth, trueDailyGoDark: [], liftTests: [], liftTestWarnings: [],
      plan: try CausalPlanner.plan(dag: scenario.dag, outcome: "target", channels: ["impressions_x2"]),
      causalControls: ["events"],
      models: [
        model("naive + calibration", center: 0.7 * trueA, steadyZ: 0.3, windowZ: 3.2),
        model("causal", center: trueA, steadyZ: 0.1, windowZ: 0.2),
      ])
    let lines = result.conclusion()
    #expect(
      lines.contains {
        $0.hasPrefix("With the go-dark lift test, naive + calibration") && $0.contains("still misses")
          && $0.contains("check passes")
      })
    #expect(lines.contains { $0.contains("window-aware check flags it") && $0.contains("z = 3.2") })
    #expect(lines.contains { $0.hasPrefix("The causal model") && $0.contains("covers the truth") })
  }
}
