import CausalMMMCore
import Testing

@testable import MMM

@Suite("lift-test calibration checks")
struct CalibrationCheckTests {
  @Test("a lift test whose x is a 100-day sum is warned about as not per-period; the per-day version is not")
  func summedLevelWarned() {
    let daily = (0..<200).map { 10 + 10 * Double($0 % 3) }  // observed per-day maximum 30
    let sum = daily[100..<200].reduce(0, +)
    let summed = LiftTest(channel: "tv", x: sum, deltaX: -sum, deltaY: -600, sigma: 0.3)
    let perDay = LiftTest(channel: "tv", x: sum / 100, deltaX: -sum / 100, deltaY: -6, sigma: 0.6)
    let maximum = daily.max()!
    #expect(LiftTestLevelCheck.warnings(for: perDay, observedMaximum: maximum).isEmpty)
    let warnings = LiftTestLevelCheck.warnings(for: summed, observedMaximum: maximum)
    #expect(warnings.count == 1)
    #expect(
      warnings.first?.hasPrefix("x = 2000 is 66.7 times the largest observed per-period value (30)") == true)
    #expect(warnings.first?.contains("per-period levels") == true)
  }

  @Test("a level below zero is warned about")
  func negativeLevel() {
    let row = LiftTest(channel: "c", x: 1, deltaX: -2, deltaY: -1, sigma: 0.1)
    let warnings = LiftTestLevelCheck.warnings(for: row, observedMaximum: 5)
    #expect(warnings.count == 1)
    #expect(warnings[0].hasPrefix("x + delta_x = -1 is negative"))
  }

  @Test("the observed maximum is taken within the row's geo when it names one")
  func observedMaximumPerGeo() throws {
    let dates = (0..<2).map { CalendarDate(daysSinceEpoch: 19_000 + $0) }
    var data = try MMMData(
      dates: dates + dates, geos: ["a", "a", "b", "b"], columns: ["tv": [1, 2, 30, 40], "y": [1, 2, 3, 4]])
    data.sourceName = "t"
    #expect(LiftTestLevelCheck.observedMaximum(of: "tv", geo: "a", in: data) == 2)
    #expect(LiftTestLevelCheck.observedMaximum(of: "tv", geo: nil, in: data) == 40)
    #expect(LiftTestLevelCheck.observedMaximum(of: "radio", geo: nil, in: data) == nil)
  }
}
