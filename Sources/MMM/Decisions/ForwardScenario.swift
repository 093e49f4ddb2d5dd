import CausalMMMCore
import Inference

// Forward tables: a table whose dates run past (or lie wholly after) the training dates, on the same
// period grid. The last `tapCount - 1` training periods before the table's first date are prepended
// (PyMC-Marketing's `include_last_observations`), so their carry-over enters the table's first
// periods; Fourier terms and the trend come from the dates (the trend extrapolated linearly with the
// training scaling, as `ScaledInputs` computes it).

/// The training data's period grid: daily, weekly (any fixed step in days) or monthly.
struct PeriodGrid: Sendable {
  let first: CalendarDate
  let last: CalendarDate
  let count: Int
  /// The step in days, or nil for a monthly grid.
  let stepDays: Int?
  /// Monthly grids: whether the dates are month ends.
  let monthEnd: Bool

  init(dates: [CalendarDate]) {
    first = dates[0]
    last = dates[dates.count - 1]
    count = dates.count
    let steps = zip(dates, dates.dropFirst()).map { $1.daysSinceEpoch - $0.daysSinceEpoch }
    if !steps.isEmpty, steps.filter({ (28...31).contains($0) }).count * 2 > steps.count {
      stepDays = nil
      monthEnd = PeriodGrid.isMonthEnd(dates[0])
    } else {
      var counts: [Int: Int] = [:]
      for step in steps { counts[step, default: 0] += 1 }
      stepDays = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key ?? 1
      monthEnd = false
    }
  }

  static func isMonthEnd(_ date: CalendarDate) -> Bool {
    date.adding(days: 1).civil.month != date.civil.month
  }

  /// A human name of the step.
  var stepDescription: String {
    guard let stepDays else { return "one month" }
    return stepDays == 1 ? "1 day" : "\(stepDays) days"
  }

  /// The date `k` periods after the first training date (k may be negative or past the end).
  func date(at k: Int) -> CalendarDate {
    if let stepDays { return first.adding(days: k * stepDays) }
    let (y, m, d) = first.civil
    let months = (y * 12 + (m - 1)) + k
    let year = months >= 0 ? months / 12 : (months - 11) / 12
    let month = months - year * 12 + 1
    let nextMonth =
      month == 12
      ? CalendarDate.daysSinceEpoch(year: year + 1, month: 1, day: 1)
      : CalendarDate.daysSinceEpoch(year: year, month: month + 1, day: 1)
    let lastDay = CalendarDate(daysSinceEpoch: nextMonth - 1).civil.day
    return CalendarDate(
      daysSinceEpoch: CalendarDate.daysSinceEpoch(
        year: year, month: month, day: monthEnd ? lastDay : min(d, lastDay)))
  }

  /// The grid index of `date`, or nil when it is off the grid.
  func index(of date: CalendarDate) -> Int? {
    if let stepDays {
      let difference = date.daysSinceEpoch - first.daysSinceEpoch
      guard stepDays > 0, difference % stepDays == 0 else { return nil }
      return difference / stepDays
    }
    let (y0, m0, _) = first.civil
    let (y, m, _) = date.civil
    let k = (y * 12 + m) - (y0 * 12 + m0)
    return self.date(at: k) == date ? k : nil
  }
}

/// A table's inputs with the training history that carries over into it.
struct ForwardInputs: Sendable {
  /// `history` training periods, then the table's periods.
  let inputs: ScaledInputs
  /// The table as a panel.
  let panel: Panel
  /// The number of leading training periods (0 when the table starts at the training start or off the grid).
  let history: Int
  /// The model's geo index of each of the table's geos.
  let geoIndices: [Int]
  /// The grid index of the table's first date (nil when off the grid).
  let firstIndex: Int?

  /// The table's own number of periods.
  var dateCount: Int { panel.dateCount }
}

extension ScaledInputs {
  /// Assembles inputs from their parts (same layouts as the panel-based initialiser).
  init(
    dateCount: Int, geoCount: Int, channels: [Double], controls: [Double], features: [Double],
    featureCount: Int, times: [Double]
  ) {
    self.dateCount = dateCount
    self.geoCount = geoCount
    self.channels = channels
    self.controls = controls
    self.features = features
    self.featureCount = featureCount
    self.times = times
  }
}

extension MMMModel {
  /// The training data's period grid.
  var periodGrid: PeriodGrid { PeriodGrid(dates: dates) }

  /// Scaled inputs for `data` with carry-over from the training periods before its first date.
  ///
  /// A table may repeat training dates, extend past them or lie wholly after them, on the training
  /// period grid without gaps. A table wholly within the training span keeps the old reading when its
  /// dates are off the grid (adstock starts at its first row).
  ///
  /// - Throws: `LocatedError` for an invalid table, an unknown geo, an off-grid date or a gap after the
  ///   training dates.
  func forwardInputs(for data: MMMData) throws -> ForwardInputs {
    let (tableInputs, panel) = try scaledInputs(for: data)
    for geo in panel.geoNames where !geoNames.contains(geo) {
      throw LocatedError(column: configuration.geoColumn, "unknown geo '\(geo)'\(didYouMean(geo, geoNames))")
    }
    let geoIndices = panel.geoNames.map { geoNames.firstIndex(of: $0) ?? 0 }  // all known (checked above)
    let grid = periodGrid
    let extendsPast = panel.dates[panel.dates.count - 1] > grid.last
    func line(of date: CalendarDate) -> Int? {
      data.dates.firstIndex(of: date).map { data.line(ofRow: $0) }
    }
    let firstIndex = grid.index(of: panel.dates[0])
    if extendsPast {
      for date in panel.dates where grid.index(of: date) == nil {
        throw LocatedError(
          file: data.sourceName, line: line(of: date), column: configuration.dateColumn,
          "\(date) is off the training data's period grid (\(grid.stepDescription) from \(grid.first)); a forward "
            + "table must continue the training periods")
      }
      // Consecutive table dates are evenly spaced (Panel checks); they must step by the training period.
      if panel.dates.count >= 2, let a = grid.index(of: panel.dates[0]),
        let b = grid.index(of: panel.dates[1]),
        b != a + 1
      {
        throw LocatedError(
          file: data.sourceName, line: line(of: panel.dates[1]), column: configuration.dateColumn,
          "the table's dates step by \(b - a) periods; the training data's period is \(grid.stepDescription)")
      }
      if let k = firstIndex, k > grid.count {
        throw LocatedError(
          file: data.sourceName, line: line(of: panel.dates[0]), column: configuration.dateColumn,
          "\(panel.dates[0]) leaves a gap after the last training date \(grid.last): the next period is "
            + "\(grid.date(at: grid.count)), and the carry-over of the missing periods is unknown")
      }
      if let k = firstIndex, k < 0 {
        throw LocatedError(
          file: data.sourceName, line: line(of: panel.dates[0]), column: configuration.dateColumn,
          "the table starts at \(panel.dates[0]), before the training data's first date \(grid.first)")
      }
    }
    guard let k = firstIndex, k > 0, k <= grid.count,
      panel.dates.count < 2 || grid.index(of: panel.dates[1]) == k + 1
    else {
      return ForwardInputs(
        inputs: tableInputs, panel: panel, history: 0, geoIndices: geoIndices, firstIndex: firstIndex)
    }
    let history = min(k, max(components.adstock.tapCount - 1, 0))
    guard history > 0 else {
      return ForwardInputs(
        inputs: tableInputs, panel: panel, history: 0, geoIndices: geoIndices, firstIndex: k)
    }
    let T0 = inputs.dateCount
    let T = panel.dateCount
    let total = history + T
    let G = panel.geoCount
    let C = channelNames.count
    let K = configuration.controlColumns.count
    var channels = [Double](repeating: 0, count: G * C * total)
    var controls = [Double](repeating: 0, count: G * K * total)
    let F = tableInputs.featureCount
    var features = [Double](repeating: 0, count: F * total)
    for (g, mg) in geoIndices.enumerated() {
      for c in 0..<C {
        for h in 0..<history {
          channels[(g * C + c) * total + h] = inputs.channels[(mg * C + c) * T0 + k - history + h]
        }
        for t in 0..<T {
          channels[(g * C + c) * total + history + t] = tableInputs.channels[(g * C + c) * T + t]
        }
      }
      for j in 0..<K {
        for h in 0..<history {
          controls[(g * K + j) * total + h] = inputs.controls[(mg * K + j) * T0 + k - history + h]
        }
        for t in 0..<T {
          controls[(g * K + j) * total + history + t] = tableInputs.controls[(g * K + j) * T + t]
        }
      }
    }
    for f in 0..<F {
      for h in 0..<history { features[f * total + h] = inputs.features[f * T0 + k - history + h] }
      for t in 0..<T { features[f * total + history + t] = tableInputs.features[f * T + t] }
    }
    let times = Array(inputs.times[(k - history)..<k]) + tableInputs.times
    let combined = ScaledInputs(
      dateCount: total, geoCount: G, channels: channels, controls: controls, features: features,
      featureCount: F, times: times)
    return ForwardInputs(
      inputs: combined, panel: panel, history: history, geoIndices: geoIndices, firstIndex: k)
  }

  /// The mean μ (`[g * T + t]`, scaled units) over the table's own periods (the history dropped).
  /// With `geos`, only the table's geos in that range (`g` counted from its lower bound).
  func forwardMean(
    slots v: [Double], _ forward: ForwardInputs, intercepts: [Double]? = nil, geos: Range<Int>? = nil
  ) -> [Double] {
    let full = meanAndContributions(
      slots: v, inputs: forward.inputs, geoIndices: forward.geoIndices, intercepts: intercepts, geos: geos
    ).mean
    guard forward.history > 0 else { return full }
    let total = forward.inputs.dateCount
    let T = forward.dateCount
    let G = geos?.count ?? forward.panel.geoCount
    var mean = [Double](repeating: 0, count: G * T)
    for g in 0..<G {
      for t in 0..<T { mean[g * T + t] = full[g * total + forward.history + t] }
    }
    return mean
  }

  /// `forward` extended by `periods` periods of zero spend (controls and features repeated from its
  /// last period: they cancel in a difference; the time index continues one period a step, so the media
  /// multiplier is the HSGP's own extrapolation), for the carry-over tail of an intervention.
  func extendingWithZeroSpend(_ forward: ForwardInputs, periods: Int) -> ScaledInputs {
    let src = forward.inputs
    let n = src.dateCount
    let total = n + periods
    let G = src.geoCount
    let C = channelNames.count
    let K = configuration.controlColumns.count
    let F = src.featureCount
    var channels = [Double](repeating: 0, count: G * C * total)
    var controls = [Double](repeating: 0, count: G * K * total)
    var features = [Double](repeating: 0, count: F * total)
    for g in 0..<G {
      for c in 0..<C {
        for t in 0..<n { channels[(g * C + c) * total + t] = src.channels[(g * C + c) * n + t] }
      }
      for j in 0..<K {
        for t in 0..<total {
          controls[(g * K + j) * total + t] = src.controls[(g * K + j) * n + min(t, n - 1)]
        }
      }
    }
    for f in 0..<F { for t in 0..<total { features[f * total + t] = src.features[f * n + min(t, n - 1)] } }
    let last = src.times[n - 1]
    let times = src.times + (0..<periods).map { last + Double($0 + 1) }
    return ScaledInputs(
      dateCount: total, geoCount: G, channels: channels, controls: controls, features: features,
      featureCount: F, times: times)
  }
}
