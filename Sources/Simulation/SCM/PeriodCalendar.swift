import CausalMMMCore
import MMM

/// The dates of the simulated periods: a start date and a fixed period length (1 = daily, 7 = weekly).
///
/// Dates are proleptic Gregorian calendar days, written `YYYY-MM-DD`; no time zones are involved.
public struct PeriodCalendar: Sendable, Hashable {
  /// The first period's date as a day number (days since 1970-01-01).
  public let startDay: Int
  /// The length of one period in days.
  public let periodDays: Int

  /// Creates a calendar starting at `start` (`YYYY-MM-DD`).
  /// - Throws: ``SimulationError`` when `start` is not a valid date or `periodDays < 1`.
  public init(start: String, periodDays: Int = 1) throws(SimulationError) {
    guard let day = Self.dayNumber(start) else { throw SimulationError(.invalidDate(start)) }
    guard periodDays >= 1 else {
      throw SimulationError(
        .invalidParameter(
          node: "calendar", parameter: "periodDays", value: Double(periodDays), requirement: ">= 1"))
    }
    self.startDay = day
    self.periodDays = periodDays
  }

  /// The day number of period `t`.
  public func day(ofPeriod t: Int) -> Int { startDay + t * periodDays }

  /// The date of period `t`, `YYYY-MM-DD`.
  public func date(ofPeriod t: Int) -> String { Self.format(day(ofPeriod: t)) }

  /// The period whose date is `text`, or `nil` when `text` is not a date or falls between periods.
  public func period(ofDate text: String) -> Int? {
    guard let day = Self.dayNumber(text) else { return nil }
    let offset = day - startDay
    guard offset >= 0, offset % periodDays == 0 else { return nil }
    return offset / periodDays
  }

  /// Days since 1970-01-01 of `YYYY-MM-DD`, or `nil` when invalid (H. Hinnant's days_from_civil).
  public static func dayNumber(_ text: String) -> Int? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
    else { return nil }
    return dayNumber(year: year, month: month, day: day)
  }

  /// Days since 1970-01-01 of a calendar date (no validation).
  public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
    CalendarDate.daysSinceEpoch(year: year, month: month, day: day)
  }

  /// The calendar date of a day number.
  public static func civil(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
    CalendarDate(daysSinceEpoch: dayNumber).civil
  }

  /// `YYYY-MM-DD` of a day number.
  public static func format(_ dayNumber: Int) -> String {
    CalendarDate(daysSinceEpoch: dayNumber).description
  }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
