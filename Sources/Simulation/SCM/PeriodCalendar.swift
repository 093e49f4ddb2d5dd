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
        .invalidParameter(node: "calendar", parameter: "periodDays", value: Double(periodDays), requirement: ">= 1"))
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
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthIndex = (month + 9) % 12
    let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The calendar date of a day number.
  public static func civil(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
    let z = dayNumber + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// `YYYY-MM-DD` of a day number.
  public static func format(_ dayNumber: Int) -> String {
    let (year, month, day) = civil(dayNumber)
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
