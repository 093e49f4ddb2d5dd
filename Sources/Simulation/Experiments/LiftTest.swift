/// The design of a simulated lift test: an intervention on one channel over a window of periods,
/// optionally in some geos only.
public struct LiftTestDesign: Sendable, Hashable {
  /// What the test does to the channel.
  public enum Kind: Sendable, Hashable {
    /// The channel is switched off: `do(channel := 0)`.
    case goDark
    /// The channel is multiplied: `do(channel := factor * channel)` (1.5: +50%).
    case scale(Double)
  }

  /// The channel (a node of the scenario).
  public var channel: String
  /// Go-dark or scale-up.
  public var kind: Kind
  /// The test window (0-based periods).
  public var periods: Range<Int>
  /// The reported standard error as a fraction of the measured lift (0.1: 10%).
  public var relativeSigma: Double
  /// The geos tested (`nil`: every unit, one row each).
  public var geos: [String]?

  /// Creates a design.
  public init(channel: String, kind: Kind, periods: Range<Int>, relativeSigma: Double = 0.1, geos: [String]? = nil) {
    self.channel = channel
    self.kind = kind
    self.periods = periods
    self.relativeSigma = relativeSigma
    self.geos = geos
  }

  /// The interventions the test applies.
  public var interventions: [Intervention] {
    switch kind {
    case .goDark: return [Intervention(node: channel, assignment: .constant(0), periods: periods)]
    case .scale(let factor): return [Intervention(node: channel, assignment: .scale(factor), periods: periods)]
    }
  }
}

/// One lift-test measurement in PyMC-Marketing's per-period convention: `x` is the channel's mean
/// level per period during the test without the intervention, `deltaX` the mean change per
/// period, `deltaY` the mean lift in the outcome per period, `sigma` its standard error.
public struct LiftTestRow: Sendable, Hashable {
  /// The tested channel.
  public var channel: String
  /// The mean per-period level of the channel during the window, had there been no test.
  public var x: Double
  /// The mean per-period change of the channel the test caused.
  public var deltaX: Double
  /// The mean per-period change of the outcome the test caused.
  public var deltaY: Double
  /// The standard error of `deltaY`.
  public var sigma: Double
  /// The geo, when the test ran in one geo.
  public var geo: String?
  /// The first date of the window.
  public var start: String
  /// The last date of the window.
  public var end: String

  /// Creates a row.
  public init(
    channel: String, x: Double, deltaX: Double, deltaY: Double, sigma: Double, geo: String? = nil,
    start: String, end: String
  ) {
    self.channel = channel
    self.x = x
    self.deltaX = deltaX
    self.deltaY = deltaY
    self.sigma = sigma
    self.geo = geo
    self.start = start
    self.end = end
  }

  /// Lift-test rows as CSV with PyMC-Marketing's columns `channel,x,delta_x,delta_y,sigma`,
  /// followed by `geo` (when any row has one), `start`, `end`.
  public static func csv(_ rows: [LiftTestRow]) -> String {
    let hasGeo = rows.contains { $0.geo != nil }
    var lines = ["channel,x,delta_x,delta_y,sigma" + (hasGeo ? ",geo" : "") + ",start,end"]
    for row in rows {
      var fields = [row.channel, formatNumber(row.x), formatNumber(row.deltaX), formatNumber(row.deltaY), formatNumber(row.sigma)]
      if hasGeo { fields.append(row.geo ?? "") }
      fields += [row.start, row.end]
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension Scenario {
  /// Runs a lift test on the truth: per tested unit, `do()` on the channel over the window with
  /// the same exogenous noise, giving exact per-period `x`, `deltaX`, `deltaY`; `sigma` is
  /// `relativeSigma * |deltaY|`.
  /// - Throws: ``SimulationError`` for an unknown channel or geo, or a window outside the data.
  public func runLiftTest(_ design: LiftTestDesign) throws(SimulationError) -> [LiftTestRow] {
    guard dag.index(of: design.channel) != nil else {
      throw SimulationError(.unknownChannel(design.channel, known: channels))
    }
    guard design.relativeSigma > 0, design.relativeSigma.isFinite else {
      throw SimulationError(
        .invalidParameter(node: design.channel, parameter: "relative sigma", value: design.relativeSigma, requirement: "> 0"))
    }
    var rows: [LiftTestRow] = []
    for index in try unitIndices(design.geos) {
      let model = units[index].model
      let observed = try model.simulate(days: days)
      let tested = try model.simulate(days: days, do: design.interventions)
      let channelChange = observed.difference(to: tested, of: design.channel)
      let outcomeChange = observed.difference(to: tested, of: outcome)
      let level = observed.series(design.channel)!
      let n = Double(design.periods.count)
      let x = design.periods.reduce(0) { $0 + level[$1] } / n
      let deltaX = design.periods.reduce(0) { $0 + channelChange[$1] } / n
      let deltaY = design.periods.reduce(0) { $0 + outcomeChange[$1] } / n
      rows.append(
        LiftTestRow(
          channel: design.channel, x: x, deltaX: deltaX, deltaY: deltaY, sigma: design.relativeSigma * abs(deltaY),
          geo: units[index].label, start: observed.dates[design.periods.lowerBound],
          end: observed.dates[design.periods.upperBound - 1]))
    }
    return rows
  }
}

/// A warning about a lift-test row whose levels do not look like per-period levels.
public struct LiftTestWarning: Sendable, Hashable, CustomStringConvertible {
  /// The row's position (0-based) in the lift-test list.
  public let row: Int
  /// The row's channel.
  public let channel: String
  /// What is wrong and what the convention is.
  public let message: String

  public var description: String { "lift test \(row + 1) (\(channel)): \(message)" }
}

/// Checks that lift-test levels lie within the channel's observed per-period range.
///
/// PyMC-Marketing reads `x` and `x + delta_x` on the channel's saturation curve, which the model
/// fits to per-period data; a level far outside the observed per-period range (typically a sum
/// over the test window, as in seed 001, 20 times the largest daily value) puts the lift
/// likelihood where the curve is flat, and the calibration collapses.
public enum LiftTestLevelCheck {
  /// Warnings for rows whose `x` or `x + deltaX` lies more than `tolerance` times the observed
  /// maximum above it, or below zero.
  /// - Parameters:
  ///   - rows: the lift-test rows.
  ///   - observedMaximum: the largest observed per-period value of a channel (per geo when the
  ///     row has one), or `nil` when the channel is not in the data.
  ///   - tolerance: how many times the observed maximum a level may reach (default 2).
  public static func warnings(
    for rows: [LiftTestRow], tolerance: Double = 2, observedMaximum: (_ channel: String, _ geo: String?) -> Double?
  ) -> [LiftTestWarning] {
    let convention =
      "x and x + delta_x must be per-period levels of the channel (e.g. the mean daily impressions "
      + "during the test) and delta_y the per-period lift (the total lift divided by the number of "
      + "periods); a total over the test window is not a level"
    var warnings: [LiftTestWarning] = []
    for (index, row) in rows.enumerated() {
      let levels = [("x", row.x), ("x + delta_x", row.x + row.deltaX)]
      if let maximum = observedMaximum(row.channel, row.geo), maximum > 0 {
        for (name, level) in levels where level > tolerance * maximum {
          let ratio = level / maximum
          warnings.append(
            LiftTestWarning(
              row: index, channel: row.channel,
              message: "\(name) = \(formatNumber(level)) is \(formatNumber((ratio * 10).rounded() / 10)) times "
                + "the largest observed per-period value (\(formatNumber(maximum))); \(convention)"))
        }
      }
      for (name, level) in levels where level < 0 {
        warnings.append(
          LiftTestWarning(
            row: index, channel: row.channel, message: "\(name) = \(formatNumber(level)) is negative; \(convention)"))
      }
    }
    return warnings
  }
}
