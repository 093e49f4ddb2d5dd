import CausalMMMCore
import Foundation
import MMM

/// Maps a data interval onto a pixel interval linearly: `domain.lower` goes to `rangeStart`,
/// `domain.upper` to `rangeEnd` (either may be the larger, so a y axis maps upwards).
public struct LinearScale: Sendable, Hashable {
  /// The lower end of the data interval.
  public var domainLower: Double
  /// The upper end of the data interval.
  public var domainUpper: Double
  /// The pixel coordinate of `domainLower`.
  public var rangeStart: Double
  /// The pixel coordinate of `domainUpper`.
  public var rangeEnd: Double

  /// Creates a scale; a degenerate domain (`lower == upper`) maps everything to the range's middle.
  public init(domainLower: Double, domainUpper: Double, rangeStart: Double, rangeEnd: Double) {
    self.domainLower = domainLower
    self.domainUpper = domainUpper
    self.rangeStart = rangeStart
    self.rangeEnd = rangeEnd
  }

  /// The pixel coordinate of the data value `value`.
  public func callAsFunction(_ value: Double) -> Double {
    let span = domainUpper - domainLower
    if span == 0 { return (rangeStart + rangeEnd) / 2 }
    return rangeStart + (value - domainLower) / span * (rangeEnd - rangeStart)
  }
}

/// Axis ticks at "nice" positions: multiples of 1, 2 or 5 times a power of ten.
public struct NiceTicks: Sendable, Hashable {
  /// The distance between consecutive ticks.
  public let step: Double
  /// The tick positions, ascending; the first is at or below the data minimum and the last at or
  /// above the data maximum, so the ticks cover the data.
  public let values: [Double]
  /// The tick labels, formatted with as many decimals as `step` needs (and k/M/B suffixes for
  /// large magnitudes).
  public let labels: [String]

  /// The axis interval the ticks span (`values.first ... values.last`).
  public var domain: ClosedRange<Double> { values[0]...values[values.count - 1] }

  /// Ticks covering `lower ... upper` with about `targetCount` intervals.
  ///
  /// The step is the smallest of {1, 2, 5} x 10^k that is at least `(upper - lower) / targetCount`,
  /// so there are at most `targetCount + 1` intervals between the covering ticks. A degenerate
  /// interval is widened around its value; non-finite bounds give the interval 0 ... 1.
  /// - Parameter includeZero: Extend the interval to contain 0 first (bar charts).
  public init(covering lower: Double, _ upper: Double, targetCount: Int = 5, includeZero: Bool = false) {
    var low = lower.isFinite ? lower : 0
    var high = upper.isFinite ? upper : 1
    if low > high { swap(&low, &high) }
    if includeZero {
      low = min(low, 0)
      high = max(high, 0)
    }
    if high == low {
      let pad = low == 0 ? 1 : abs(low) * 0.1
      low -= pad
      high += pad
    }
    let step = NiceTicks.niceStep(span: high - low, targetCount: max(1, targetCount))
    let first = (low / step).rounded(.down)
    let last = (high / step).rounded(.up)
    var values: [Double] = []
    var index = first
    while index <= last + 0.5 {
      values.append(NiceTicks.clean(index * step, step: step))
      index += 1
    }
    self.step = step
    self.values = values
    self.labels = NumberLabelFormat(step: step, magnitude: values.map(abs).max() ?? 0).labels(for: values)
  }

  /// The smallest of {1, 2, 5} x 10^k that is at least `span / targetCount`.
  static func niceStep(span: Double, targetCount: Int) -> Double {
    let raw = span / Double(targetCount)
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let residual = raw / magnitude
    let nice: Double
    if residual <= 1 + 1e-9 {
      nice = 1
    } else if residual <= 2 + 1e-9 {
      nice = 2
    } else if residual <= 5 + 1e-9 {
      nice = 5
    } else {
      nice = 10
    }
    return nice * magnitude
  }

  /// Removes floating-point noise (0.30000000000000004 -> 0.3) by rounding to the step's precision.
  static func clean(_ value: Double, step: Double) -> Double {
    let decimals = max(0, Int(-(log10(step)).rounded(.down)) + 2)
    if decimals > 15 { return value }
    let factor = pow(10, Double(decimals))
    let cleaned = (value * factor).rounded() / factor
    return cleaned == 0 ? 0 : cleaned
  }
}

/// Formats tick values so consecutive ticks differ in their labels and no label carries noise.
struct NumberLabelFormat {
  let divisor: Double
  let suffix: String
  let decimals: Int
  let scientific: Bool
  /// Mantissa decimals in scientific notation: enough to tell values `step` apart.
  let scientificDecimals: Int

  init(step: Double, magnitude: Double) {
    if magnitude >= 1e9 {
      (divisor, suffix) = (1e9, "B")
    } else if magnitude >= 1e6 {
      (divisor, suffix) = (1e6, "M")
    } else if magnitude >= 1e4 {
      (divisor, suffix) = (1e3, "k")
    } else {
      (divisor, suffix) = (1, "")
    }
    let scaledStep = step / divisor
    scientific = magnitude > 0 && magnitude < 1e-3
    decimals = max(0, min(12, Int(-(log10(scaledStep) + 1e-9).rounded(.down))))
    let magnitudeExponent = magnitude > 0 ? Int(log10(magnitude).rounded(.down)) : 0
    let stepExponent = Int((log10(step) + 1e-9).rounded(.down))
    scientificDecimals = max(0, min(12, magnitudeExponent - stepExponent))
  }

  func label(_ value: Double) -> String {
    if value == 0 { return "0" }
    if scientific { return String(format: "%.\(scientificDecimals)e", value) }
    let text = String(format: "%.\(decimals)f", value / divisor)
    return (text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text) + suffix
  }

  func labels(for values: [Double]) -> [String] { values.map(label) }
}

/// Formats a single value for annotations (bar labels, tooltips): `significantDigits`
/// significant digits without trailing zeros (`0.9`, `31`, `1.25`), thousands separated by commas
/// from 10,000 on (`231,000`), scientific notation below 0.001 or from 10^9 on.
public func formatNumber(_ value: Double, significantDigits: Int = 4) -> String {
  guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
  if value == 0 { return "0" }
  let magnitude = abs(value)
  if magnitude >= 1e9 || magnitude < 1e-3 {
    return String(format: "%.\(max(0, significantDigits - 1))e", value)
  }
  let integerDigits = Int(log10(magnitude).rounded(.down)) + 1
  let decimals = max(0, significantDigits - integerDigits)
  var text = String(format: "%.\(decimals)f", value)
  if text.contains(".") {
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
  }
  if magnitude >= 1e4 {
    let negative = text.hasPrefix("-")
    let parts = (negative ? String(text.dropFirst()) : text).split(separator: ".", maxSplits: 1)
    let digits = Array(parts[0])
    var grouped = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
      grouped.append(digit)
    }
    text = (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
  }
  return text == "-0" ? "0" : text
}

/// Ticks on a time axis at calendar boundaries (days, weeks starting on Monday, months, years),
/// all in UTC. Values are seconds since 1970-01-01 (`Date.timeIntervalSince1970`).
public struct DateTicks: Sendable, Hashable {
  /// The calendar unit between consecutive ticks.
  public enum Unit: Sendable, Hashable {
    case day(Int)
    case month(Int)
    case year(Int)
  }

  /// The spacing that was chosen.
  public let unit: Unit
  /// Tick positions (seconds since 1970), ascending, all inside the requested interval.
  public let values: [Double]
  /// Readable labels: `Mar 4` for days (with the year on the first tick and at year changes),
  /// `Mar` for months (`Jan 2024` at year changes and on the first tick), `2024` for years.
  public let labels: [String]

  static let units: [Unit] = [
    .day(1), .day(2), .day(7), .day(14), .month(1), .month(2), .month(3), .month(6),
    .year(1), .year(2), .year(5), .year(10), .year(20), .year(50), .year(100),
  ]

  /// At most `maxCount` ticks inside `lower ... upper` at the finest calendar spacing that fits.
  ///
  /// Non-finite bounds are treated as 1970-01-01; bounds are clamped to +/- 10^12 s (about
  /// 30,000 years), far beyond any marketing data.
  public init(covering lower: Double, _ upper: Double, maxCount: Int = 6) {
    let limit = 1e12
    let clamp = { (value: Double) in value.isFinite ? min(limit, max(-limit, value)) : 0 }
    let low = min(clamp(lower), clamp(upper))
    let high = max(clamp(lower), clamp(upper))
    var chosen: (Unit, [Double]) = (.year(100), [])
    for unit in DateTicks.units {
      let values = DateTicks.ticks(unit: unit, lower: low, upper: high, limit: max(2, maxCount) + 1)
      if values.count <= max(2, maxCount) {
        chosen = (unit, values)
        break
      }
    }
    if chosen.1.isEmpty { chosen.1 = [low] }
    unit = chosen.0
    values = chosen.1
    labels = DateTicks.labels(for: values, unit: unit)
  }

  /// The UTC calendar date (year, month 1-12, day 1-31) of day `days` after 1970-01-01
  /// (proleptic Gregorian; H. Hinnant's civil-from-days algorithm).
  static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
    CalendarDate(daysSinceEpoch: days).civil
  }

  /// Days from 1970-01-01 to the UTC date `year-month-day` (the inverse of ``civilDate``).
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    CalendarDate.daysSinceEpoch(year: year, month: month, day: day)
  }

  /// The civil date of a time position (seconds since 1970).
  static func civilDate(seconds: Double) -> (year: Int, month: Int, day: Int) {
    civilDate(daysSinceEpoch: Int((seconds / 86_400).rounded(.down)))
  }

  static let monthNames = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  /// Tick positions for one unit; stops early once more than `limit` are found.
  static func ticks(unit: Unit, lower: Double, upper: Double, limit: Int) -> [Double] {
    let day = 86_400.0
    var values: [Double] = []
    switch unit {
    case .day(let count):
      // Epoch day 0 (1970-01-01) was a Thursday; weekly ticks fall on Mondays (day 4 mod 7).
      let offset = count == 7 || count == 14 ? 4.0 : 0.0
      var index = ((lower / day - offset) / Double(count)).rounded(.up)
      while values.count <= limit {
        let value = (index * Double(count) + offset) * day
        if value > upper { break }
        values.append(value)
        index += 1
      }
    case .month(let count):
      let start = civilDate(seconds: lower)
      var monthIndex = (start.year * 12 + start.month - 1)
      monthIndex = (monthIndex + count - 1) / count * count
      while values.count <= limit {
        let days = daysSinceEpoch(year: monthIndex / 12, month: monthIndex % 12 + 1, day: 1)
        let value = Double(days) * day
        monthIndex += count
        if value < lower { continue }
        if value > upper { break }
        values.append(value)
      }
    case .year(let count):
      var year = civilDate(seconds: lower).year
      year = (year + count - 1) / count * count
      while values.count <= limit {
        let value = Double(daysSinceEpoch(year: year, month: 1, day: 1)) * day
        year += count
        if value < lower { continue }
        if value > upper { break }
        values.append(value)
      }
    }
    return values
  }

  static func labels(for values: [Double], unit: Unit) -> [String] {
    var previousYear: Int? = nil
    return values.map { value in
      let parts = civilDate(seconds: value)
      let year = parts.year
      let month = monthNames[parts.month - 1]
      defer { previousYear = year }
      switch unit {
      case .day:
        return previousYear == year ? "\(month) \(parts.day)" : "\(month) \(parts.day), \(year)"
      case .month:
        return previousYear == year ? month : "\(month) \(year)"
      case .year:
        return "\(year)"
      }
    }
  }
}
