import CausalMMMCore
import Foundation
import Inference

// The calibration-trap detector. A lift test is compared with a fitted model in two ways:
//   steady state (PyMC-Marketing's reading): |s(x + Δx) - s(x)| on the channel's saturation curve,
//     z = (|model| - |measured|) / sigma, shown with the measurement's sign;
//   window (the model's own do()): the test's intervention applied to the observed inputs over the
//     test's dates (spend scaled by (x + Δx) / x on those dates, in the test's geo), the model's mean
//     outcome difference per period over the window, z = (model - measured) / sqrt(sigma² + sd²).
// A model whose specification contradicts the DAG (a mediator used as a regressor) can pass the
// first and fail the second: the saturation curve absorbs the lift, the structure does not.
// A third check looks at the levels themselves: x and x + Δx must be per-period levels of the
// channel (a sum over the window, as in seed 001, sits far outside the observed range).

/// One comparison of a fitted model with one lift-test measurement, per period.
public struct CalibrationCheck: Sendable, Hashable {
  /// Creates a check (the readings are computed by ``FittedMMM/calibrationChecks(liftTests:data:)``).
  public init(
    test: String, measured: Double, sigma: Double, model: Double, modelSD: Double, hdiLower: Double,
    hdiUpper: Double, zScore: Double
  ) {
    (self.test, self.measured, self.sigma, self.model, self.modelSD) = (test, measured, sigma, model, modelSD)
    (self.hdiLower, self.hdiUpper, self.zScore) = (hdiLower, hdiUpper, zScore)
  }

  /// The test, for tables: `impressions_x2 go-dark 2024-05-29..2024-09-05`.
  public let test: String
  /// The measured lift per period (signed).
  public let measured: Double
  /// The measurement's standard error.
  public let sigma: Double
  /// The model's lift per period (signed), posterior mean.
  public let model: Double
  /// The model's posterior sd of that lift (NaN for the steady-state check, which uses sigma only).
  public let modelSD: Double
  /// The 94% HDI of the model's lift (signed).
  public let hdiLower: Double
  /// See ``hdiLower``.
  public let hdiUpper: Double
  /// `(model - measured) / scale`, scale `sigma` (steady state) or `sqrt(sigma² + modelSD²)` (window).
  public let zScore: Double
  /// `|z| <= 2`.
  public var passes: Bool { abs(zScore) <= 2 }
  /// `pass` or `FLAG`.
  public var verdict: String { passes ? "pass" : "FLAG" }
}

/// Every check of one lift-test row against a fitted model.
public struct LiftTestCalibration: Sendable {
  /// The row, as read.
  public let liftTest: LiftTest
  /// PyMC-Marketing's steady-state reading.
  public let steadyState: CalibrationCheck
  /// The window-aware reading; `nil` for a row without `start` and `end`.
  public let window: CalibrationCheck?
  /// Problems with the row's levels (per-period vs summed, negative levels).
  public let levelWarnings: [String]

  /// Whether a check flags the model: the window check fails while the steady-state check passes
  /// is the calibration trap.
  public var isTrap: Bool { steadyState.passes && window.map { !$0.passes } == true }
}

/// Checks that lift-test levels look like per-period levels of the channel.
public enum LiftTestLevelCheck {
  static let convention =
    "x and x + delta_x must be per-period levels of the channel (e.g. the mean daily spend during the "
    + "test) and delta_y the per-period lift (the total lift divided by the number of periods); a total "
    + "over the test window is not a level"

  /// Warnings for a row whose `x` or `x + deltaX` lies more than `tolerance` times the channel's
  /// largest observed per-period value above it, or below zero.
  /// - Parameters:
  ///   - test: the row.
  ///   - observedMaximum: the channel's largest observed per-period value (in the row's geo when it
  ///     names one), or `nil` when the channel is not in the data.
  ///   - tolerance: how many times the observed maximum a level may reach (default 2).
  public static func warnings(for test: LiftTest, observedMaximum: Double?, tolerance: Double = 2) -> [String]
  {
    let levels = [("x", test.x), ("x + delta_x", test.x + test.deltaX)]
    var warnings: [String] = []
    if let maximum = observedMaximum, maximum > 0 {
      for (name, level) in levels where level > tolerance * maximum {
        let ratio = (level / maximum * 10).rounded() / 10
        warnings.append(
          "\(name) = \(formatDecimal(level)) is \(formatDecimal(ratio)) times the largest observed per-period "
            + "value (\(formatDecimal(maximum))); \(convention)")
      }
    }
    for (name, level) in levels where level < 0 {
      warnings.append("\(name) = \(formatDecimal(level)) is negative; \(convention)")
    }
    return warnings
  }

  /// The largest value of `channel` in `data` (in `geo` when given), or `nil` when absent.
  public static func observedMaximum(of channel: String, geo: String?, in data: MMMData) -> Double? {
    guard let values = data.columns[channel] else { return nil }
    var maximum: Double? = nil
    for (row, value) in values.enumerated() where geo == nil || data.geos?[row] == geo {
      maximum = max(maximum ?? value, value)
    }
    return maximum
  }
}

extension FittedMMM {
  /// Checks every lift-test row against this fit: the level check, PyMC-Marketing's steady-state
  /// reading and, for rows with `start` and `end`, the window-aware reading (the model's own do()
  /// over the test's dates).
  ///
  /// - Parameters:
  ///   - liftTests: the rows (whether or not they entered the likelihood).
  ///   - data: the training table the fit used (the window check intervenes on it).
  /// - Throws: `LocatedError` for a row the model cannot read (unknown channel or geo, a window
  ///   outside the data).
  public func calibrationChecks(liftTests: [LiftTest], data: MMMData) throws -> [LiftTestCalibration] {
    guard !liftTests.isEmpty else { return [] }
    // The steady-state reading of every row: the same draws in a model that reads the rows without
    // their windows (lift tests add likelihood terms, not coordinates).
    let steadyRows = liftTests.map(\.withoutWindow)
    var steadyConfiguration = model.configuration
    // The reading does not depend on the lift likelihood; the Gamma one refuses delta_y = 0.
    steadyConfiguration.liftTestLikelihood = .normal
    let steadyModel = try MMMModel(configuration: steadyConfiguration, data: data, liftTests: steadyRows)
    let steadyReadings = FittedMMM(model: steadyModel, unconstrainedDraws: unconstrainedDraws).liftChecks()
    var results: [LiftTestCalibration] = []
    for (test, reading) in zip(liftTests, steadyReadings) {
      let label = Self.label(test)
      let sign: Double = test.deltaY < 0 ? -1 : 1
      let steady = CalibrationCheck(
        test: label, measured: test.deltaY, sigma: test.sigma, model: sign * reading.modelLift.mean,
        modelSD: .nan,
        hdiLower: sign < 0 ? -reading.modelLift.hdiUpper : reading.modelLift.hdiLower,
        hdiUpper: sign < 0 ? -reading.modelLift.hdiLower : reading.modelLift.hdiUpper,
        zScore: sign * reading.zScore)
      var window: CalibrationCheck? = nil
      if let start = test.start, let end = test.end, start <= end {
        window = try windowCheck(test, label: label, window: start...end, data: data)
      }
      let maximum = LiftTestLevelCheck.observedMaximum(of: test.channel, geo: test.geo, in: data)
      results.append(
        LiftTestCalibration(
          liftTest: test, steadyState: steady, window: window,
          levelWarnings: LiftTestLevelCheck.warnings(for: test, observedMaximum: maximum)))
    }
    return results
  }

  /// The model's own do() over the test's window: spend multiplied by (x + Δx) / x on the window's
  /// dates (Δx added when x is 0), in the test's geo, mean outcome difference per period.
  func windowCheck(_ test: LiftTest, label: String, window: ClosedRange<CalendarDate>, data: MMMData) throws
    -> CalibrationCheck
  {
    let factor = test.x > 0 ? (test.x + test.deltaX) / test.x : 1
    let counterfactual = try data.modifying(column: test.channel) { date, geo, value in
      guard window.contains(date), test.geo == nil || geo == test.geo else { return value }
      return test.x > 0 ? value * factor : max(0, value + test.deltaX)
    }
    let result = try intervene(counterfactual: counterfactual)
    let periods = Double(Set(model.dates.filter { window.contains($0) }).count)
    guard periods > 0 else {
      throw LocatedError(
        file: test.sourceName, line: test.line, column: "start",
        "no date of the data lies within \(window.lowerBound)...\(window.upperBound)")
    }
    let perPeriod = result.totalDraws(over: window).map { $0 / periods }
    let summary = DrawSummary(perPeriod)
    return CalibrationCheck(
      test: label, measured: test.deltaY, sigma: test.sigma, model: summary.mean, modelSD: summary.sd,
      hdiLower: summary.hdiLower, hdiUpper: summary.hdiUpper,
      zScore: (summary.mean - test.deltaY) / (test.sigma * test.sigma + summary.sd * summary.sd).squareRoot())
  }

  /// `channel go-dark START..END`, `channel +50% START..END`, or `channel x=X dx=DX` without a window.
  static func label(_ test: LiftTest) -> String {
    let kind: String
    if test.x > 0, abs(test.x + test.deltaX) <= 1e-9 * test.x {
      kind = "go-dark"
    } else if test.x > 0 {
      kind = String(format: "%+.0f%%", 100 * test.deltaX / test.x)
    } else {
      kind = "+\(formatDecimal(test.deltaX))"
    }
    let geo = test.geo.map { " in \($0)" } ?? ""
    guard let start = test.start, let end = test.end else {
      return "\(test.channel) \(kind)\(geo) (line \(test.line))"
    }
    return "\(test.channel) \(kind)\(geo) \(start)..\(end)"
  }
}
