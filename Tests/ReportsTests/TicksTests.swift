import Foundation
import Testing

@testable import Reports

@Suite("Nice and calendar ticks")
struct TicksTests {
  @Test("0 ... 9.3 with 5 intervals gets step 2 and ticks 0, 2, ..., 10")
  func evenStep() {
    let ticks = NiceTicks(covering: 0, 9.3, targetCount: 5)
    #expect(ticks.step == 2)
    #expect(ticks.values == [0, 2, 4, 6, 8, 10])
    #expect(ticks.labels == ["0", "2", "4", "6", "8", "10"])
  }

  @Test("-0.37 ... 1.52 gets step 0.5 and labels with one decimal")
  func negativeAndFractional() {
    // span 1.89 / 5 = 0.378 -> next of {1, 2, 5} x 10^k is 0.5.
    let ticks = NiceTicks(covering: -0.37, 1.52, targetCount: 5)
    #expect(ticks.step == 0.5)
    #expect(ticks.values == [-0.5, 0, 0.5, 1, 1.5, 2])
    #expect(ticks.labels == ["-0.5", "0", "0.5", "1.0", "1.5", "2.0"])
  }

  @Test("Tick values carry no floating-point noise (0.1 steps equal the decimal literals)")
  func noNoise() {
    let ticks = NiceTicks(covering: 0, 0.3, targetCount: 3)
    #expect(ticks.values == [0, 0.1, 0.2, 0.3])
    #expect(ticks.labels == ["0", "0.1", "0.2", "0.3"])
  }

  @Test("Millions are labelled with an M suffix and enough decimals to tell ticks apart")
  func millions() {
    let ticks = NiceTicks(covering: 0, 2.5e6, targetCount: 5)
    #expect(ticks.step == 500_000)
    #expect(ticks.labels == ["0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"])
    let thousands = NiceTicks(covering: 12_000, 47_000, targetCount: 4)
    // span 35000 / 4 = 8750 -> 10000.
    #expect(thousands.values == [10_000, 20_000, 30_000, 40_000, 50_000])
    #expect(thousands.labels == ["10k", "20k", "30k", "40k", "50k"])
  }

  @Test("includeZero extends a positive range down to 0; a single value is widened")
  func zeroAndDegenerate() {
    #expect(NiceTicks(covering: 40, 90, targetCount: 5, includeZero: true).values.first == 0)
    let single = NiceTicks(covering: 5, 5, targetCount: 4)
    #expect(single.values.first! < 5 && single.values.last! > 5)
  }

  @Test("For random ranges the ticks cover the data, use 1-2-5 steps, stay within count bounds")
  func randomRangeProperties() {
    var state: UInt64 = 7
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    for _ in 0..<2_000 {
      let scale = pow(10, uniform() * 12 - 6)
      let a = (uniform() * 2 - 1) * scale
      let b = a + uniform() * scale * 3 + scale * 1e-3
      let target = 2 + Int(uniform() * 9)
      let ticks = NiceTicks(covering: a, b, targetCount: target)
      #expect(ticks.values.first! <= a && ticks.values.last! >= b, "\(a) ... \(b)")
      let mantissa = ticks.step / pow(10, log10(ticks.step).rounded(.down))
      #expect([1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-9 }, "step \(ticks.step)")
      // step >= span / target gives at most target + 1 intervals between covering ticks, so
      // at most target + 2 ticks; and at least 2.
      #expect(
        ticks.values.count >= 2 && ticks.values.count <= target + 2, "\(ticks.values.count) for \(target)")
      for index in 1..<ticks.values.count {
        let gap = ticks.values[index] - ticks.values[index - 1]
        #expect(abs(gap - ticks.step) <= 1e-6 * ticks.step)
      }
      #expect(Set(ticks.labels).count == ticks.labels.count, "\(ticks.labels)")
      // The step is the smallest nice one: the next smaller nice step would exceed the target.
      let smaller = ticks.step * (abs(mantissa - 1) < 1e-9 ? 0.5 : (abs(mantissa - 2) < 1e-9 ? 0.5 : 0.4))
      #expect((b - a) / smaller > Double(target) * (1 - 1e-9))
    }
  }

  private func epoch(_ iso: String) -> Double {
    // A malformed literal yields NaN, which fails every comparison below.
    ISO8601DateFormatter().date(from: iso)?.timeIntervalSince1970 ?? .nan
  }

  @Test("Civil dates from day counts agree with Foundation's Gregorian calendar in UTC")
  func civilDates() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
    for days in stride(from: -40_000, through: 60_000, by: 97) {
      let date = Date(timeIntervalSince1970: Double(days) * 86_400)
      let parts = calendar.dateComponents([.year, .month, .day], from: date)
      let civil = DateTicks.civilDate(daysSinceEpoch: days)
      #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day, "day \(days)")
      #expect(DateTicks.daysSinceEpoch(year: civil.year, month: civil.month, day: civil.day) == days)
    }
  }

  @Test("Non-finite bounds do not trap")
  func nonFiniteDates() {
    let ticks = DateTicks(covering: .nan, .infinity, maxCount: 5)
    #expect(ticks.values.count >= 1)
  }

  @Test("Two years of weekly data with at most 6 ticks get half-year ticks on Jan 1 and Jul 1")
  func halfYears() {
    let ticks = DateTicks(covering: epoch("2023-01-02T00:00:00Z"), epoch("2024-12-30T00:00:00Z"), maxCount: 6)
    // Quarterly ticks would be Apr 2023 ... Oct 2024 = 7 > 6; half-yearly are 3.
    #expect(ticks.unit == .month(6))
    #expect(
      ticks.values == [
        epoch("2023-07-01T00:00:00Z"), epoch("2024-01-01T00:00:00Z"), epoch("2024-07-01T00:00:00Z"),
      ])
    #expect(ticks.labels == ["Jul 2023", "Jan 2024", "Jul"])
  }

  @Test("Six weeks get weekly ticks on Mondays, the year on the first label only")
  func weeklyMondays() {
    let ticks = DateTicks(covering: epoch("2024-03-01T00:00:00Z"), epoch("2024-04-10T00:00:00Z"), maxCount: 6)
    #expect(ticks.unit == .day(7))
    let mondays = ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25", "2024-04-01", "2024-04-08"]
    #expect(ticks.values == mondays.map { epoch($0 + "T00:00:00Z") })
    #expect(ticks.labels == ["Mar 4, 2024", "Mar 11", "Mar 18", "Mar 25", "Apr 1", "Apr 8"])
  }

  @Test("Decades of data get yearly multiples")
  func years() {
    let ticks = DateTicks(covering: epoch("2001-06-01T00:00:00Z"), epoch("2019-03-01T00:00:00Z"), maxCount: 5)
    #expect(ticks.unit == .year(5))
    #expect(ticks.labels == ["2005", "2010", "2015"])
  }

  @Test("A linear scale maps the domain ends to the range ends and 2.5 of 0...10 to a quarter")
  func linearScale() {
    let scale = LinearScale(domainLower: 0, domainUpper: 10, rangeStart: 100, rangeEnd: 500)
    #expect(scale(0) == 100)
    #expect(scale(10) == 500)
    #expect(scale(2.5) == 200)
    let upward = LinearScale(domainLower: -1, domainUpper: 1, rangeStart: 300, rangeEnd: 50)
    #expect(upward(0) == 175)
  }

  @Test("formatNumber trims zeros and groups thousands")
  func numberFormatting() {
    #expect(formatNumber(0.9, significantDigits: 3) == "0.9")
    #expect(formatNumber(31, significantDigits: 3) == "31")
    #expect(formatNumber(231_000, significantDigits: 3) == "231,000")
    #expect(formatNumber(-14_500, significantDigits: 3) == "-14,500")
    #expect(formatNumber(1.23456) == "1.235")
  }
}
