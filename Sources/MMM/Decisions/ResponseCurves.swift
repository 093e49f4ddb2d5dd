import CausalMMMCore
import Inference

/// One point of a response curve: the channel's spend scaled by `multiplier` over the window.
public struct ResponseCurvePoint: Sendable {
  /// The spend multiplier (1 = the spend of the window's pattern).
  public let multiplier: Double
  /// The channel's total spend over the window at this multiplier (all geos, original units).
  public let spend: Double
  /// Expected incremental outcome against zero spend on the channel over the window (carry-over
  /// counted as the window defines), mean and 94% HDI, original units.
  public let incremental: DrawSummary
  /// d(incremental outcome)/d(spend) at this point (analytic), mean and 94% HDI.
  public let marginalROAS: DrawSummary
}

/// A channel's response curve.
public struct ResponseCurve: Sendable {
  public let channel: String
  /// The channel's spend at multiplier 1.
  public let currentSpend: Double
  public let points: [ResponseCurvePoint]
}

/// Response curves for several channels over one window.
public struct ResponseCurves: Sendable {
  /// The first and last dates of the window.
  public let start: CalendarDate
  public let end: CalendarDate
  public let periods: Int
  /// True for the training period (spend as observed, no carry-over out of the data);
  /// false for a forward window (the last `periods` training periods' spend pattern, carry-over from
  /// the training data in, the carry-over tail out counted).
  public let isTrainingPeriod: Bool
  public let curves: [ResponseCurve]

  /// Parses `LO:HI:STEP` (e.g. `0:2:0.1`, 21 points) or a comma-separated list of multipliers.
  ///
  /// - Throws: `LocatedError` located at `option` for a malformed or negative range.
  public static func multipliers(from text: String, option: String = "--multipliers") throws -> [Double] {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    if parts.count == 3 {
      guard let lo = Double(parts[0]), let hi = Double(parts[1]), let step = Double(parts[2]), lo.isFinite,
        hi.isFinite, step.isFinite
      else { throw LocatedError(file: option, message: "'\(text)' is not LO:HI:STEP") }
      guard lo >= 0, hi >= lo, step > 0 else {
        throw LocatedError(file: option, message: "'\(text)' needs 0 <= LO <= HI and STEP > 0")
      }
      let count = Int(((hi - lo) / step + 1e-9).rounded(.down)) + 1
      guard count <= 10_000 else {
        throw LocatedError(file: option, message: "'\(text)' gives \(count) points (at most 10000)")
      }
      return (0..<count).map { lo + Double($0) * step }
    }
    let parsed = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    let values = parsed.compactMap { $0 }.filter { $0 >= 0 && $0.isFinite }
    guard !values.isEmpty, values.count == parsed.count else {
      throw LocatedError(
        file: option, message: "'\(text)' is neither LO:HI:STEP nor a list of multipliers >= 0")
    }
    return values
  }
}

extension FittedMMM {
  /// Resolves `--start DATE --periods N` to a forward decision window on the training grid.
  ///
  /// - Throws: `LocatedError` when the date is off the grid, leaves a gap after the training dates,
  ///   precedes them, or N exceeds the training periods.
  func forwardWindow(start: CalendarDate, periods: Int, option: String = "--start") throws -> DecisionWindow {
    let grid = model.periodGrid
    guard periods >= 1 else {
      throw LocatedError(file: "--periods", message: "must be at least 1, got \(periods)")
    }
    guard periods <= model.dates.count else {
      throw LocatedError(
        file: "--periods",
        message:
          "\(periods) periods exceed the \(model.dates.count) training periods whose spend pattern is used")
    }
    guard let k = grid.index(of: start) else {
      throw LocatedError(
        file: option,
        message:
          "\(start) is off the training data's period grid (\(grid.stepDescription) from \(grid.first))")
    }
    guard k >= 0 else {
      throw LocatedError(
        file: option, message: "\(start) is before the training data's first date \(grid.first)")
    }
    guard k <= grid.count else {
      throw LocatedError(
        file: option,
        message: "\(start) leaves a gap after the last training date \(grid.last): the next period is "
          + "\(grid.date(at: grid.count)), and the carry-over of the missing periods is unknown")
    }
    return DecisionWindow(start: k, periods: periods, includeTail: true, carryIn: true)
  }

  /// Resolves channel names (case-sensitive; nil or empty: every channel).
  func channelIndices(_ names: [String]?, option: String = "--channels") throws -> [Int] {
    guard let names, !names.isEmpty else { return Array(model.channelNames.indices) }
    return try names.map { name in
      guard let c = model.channelNames.firstIndex(of: name) else {
        throw LocatedError(
          file: option,
          message:
            "'\(name)' is not a channel of the fit (channels: \(model.channelNames.joined(separator: ", ")))"
            + didYouMean(name, model.channelNames))
      }
      return c
    }
  }

  /// Per channel: the incremental outcome of scaling its spend by each multiplier, with the analytic
  /// marginal ROAS.
  ///
  /// - Parameters:
  ///   - channels: the channels (nil: all).
  ///   - multipliers: spend multipliers (1 = as observed / as in the pattern).
  ///   - start, periods: a forward window (nil: the training period). A forward window spends along
  ///     the last `periods` training periods of each geo, receives their carry-over and counts its own
  ///     carry-over tail.
  /// - Throws: `LocatedError` for an unknown channel or an invalid window.
  public func responseCurves(
    channels: [String]? = nil, multipliers: [Double], start: CalendarDate? = nil, periods: Int? = nil
  ) throws -> ResponseCurves {
    let indices = try channelIndices(channels)
    guard !multipliers.isEmpty else { throw LocatedError(file: "--multipliers", message: "no multipliers") }
    let T0 = model.inputs.dateCount
    let window: DecisionWindow
    let source: Range<Int>
    if let start {
      guard let periods else { throw LocatedError(file: "--periods", message: "--start needs --periods N") }
      window = try forwardWindow(start: start, periods: periods)
      source = (T0 - periods)..<T0
    } else {
      if periods != nil { throw LocatedError(file: "--periods", message: "--periods needs --start DATE") }
      window = DecisionWindow(start: 0, periods: T0, includeTail: false, carryIn: false)
      source = 0..<T0
    }
    let G = model.geoNames.count
    var curves: [ResponseCurve] = []
    for c in indices {
      let units = (0..<G).map { (geo: $0, channel: c) }
      let spends = units.map { trainingSpend(geo: $0.geo, channel: c, range: source) }
      let totals = spends.map { $0.reduce(0, +) }
      let patterns = zip(spends, totals).map { spend, total in
        spend.map { total > 0 ? $0 / total / model.channelScales[c] : 0 }
      }
      let set = responseSet(units: units, window: window, patterns: patterns)
      let current = totals.reduce(0, +)
      let D = set.drawCount
      var values = [Double](repeating: 0, count: D * multipliers.count)
      var marginal = [Double](repeating: 0, count: D * multipliers.count)
      // d/d(spend) with spend = m Σ_g S_g: Σ_g S_g R'_g(m S_g) / Σ_g S_g.
      set.evaluateGrid(spend: totals, multipliers: multipliers, values: &values, marginal: &marginal)
      let points = multipliers.enumerated().map { j, m -> ResponseCurvePoint in
        ResponseCurvePoint(
          multiplier: m, spend: m * current, incremental: DrawSummary(Array(values[(j * D)..<((j + 1) * D)])),
          marginalROAS: DrawSummary(Array(marginal[(j * D)..<((j + 1) * D)])))
      }
      curves.append(ResponseCurve(channel: model.channelNames[c], currentSpend: current, points: points))
    }
    let grid = model.periodGrid
    return ResponseCurves(
      start: grid.date(at: window.start), end: grid.date(at: window.start + window.periods - 1),
      periods: window.periods, isTrainingPeriod: start == nil, curves: curves)
  }
}
