/// A proleptic Gregorian calendar date (`YYYY-MM-DD`), enough for weekly/daily MMM data.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// Days since 1970-01-01.
  public let daysSinceEpoch: Int

  /// Creates a date from days since 1970-01-01.
  public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

  /// Creates a date from its civil fields, or nil when they do not name a real day.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else {
      return nil
    }
    daysSinceEpoch = CalendarDate.daysSinceEpoch(year: year, month: month, day: day)
  }

  /// Days from 1970-01-01 to `year-month-day`, without validation (Howard Hinnant's
  /// days_from_civil, proleptic Gregorian). The one copy of this arithmetic in the package.
  public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// Parses `YYYY-MM-DD` (an optional time part after `T` or a space is ignored).
  public init?(parsing text: String) {
    let datePart = text.split(whereSeparator: { $0 == "T" || $0 == " " }).first.map(String.init) ?? ""
    let fields = datePart.split(separator: "-", omittingEmptySubsequences: false)
    guard fields.count == 3, fields[0].count == 4, let y = Int(fields[0]), let m = Int(fields[1]),
      let d = Int(fields[2])
    else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// Year, month, day.
  public var civil: (year: Int, month: Int, day: Int) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  /// The 1-based day of the year (pandas' `dayofyear`).
  public var dayOfYear: Int {
    let year = civil.year
    return daysSinceEpoch - CalendarDate.daysSinceEpoch(year: year, month: 1, day: 1) + 1
  }

  public var description: String {
    let (y, m, d) = civil
    func pad(_ v: Int, _ n: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
  }

  /// The date `days` later.
  public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days) }

  public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let date = CalendarDate(parsing: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "bad date \(text)"))
    }
    self = date
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}
