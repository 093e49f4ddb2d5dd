import CausalMMMCore
import Foundation
import MMM

/// The regret of budget allocations recommended by fitted models, against the structural causal
/// model's own answer: the SCM is simulated under do(channel := allocation × flighting) over a horizon
/// after the training periods, with common random numbers, so the outcome difference is exact.
public enum AllocationRegret {
  /// One allocation judged by the SCM.
  public struct Row: Sendable {
    public let label: String
    /// Total spend per channel over the horizon.
    public let allocation: [Double]
    /// The model's own expected uplift over the current allocation (nil for the reference rows).
    public let modelUplift: Double?
    /// The SCM's outcome over the horizon and its carry-over, minus the same with zero spend.
    public let trueIncrement: Double
    /// True optimum's increment minus this one's.
    public let regret: Double
    /// `regret` as a share of the achievable uplift (true optimum minus current).
    public let regretShare: Double
  }

  /// The study's table.
  public struct Study: Sendable {
    public let scenario: String
    public let seed: UInt64
    public let channels: [String]
    public let budget: Double
    public let start: CalendarDate
    public let periods: Int
    /// Periods after the horizon over which the SCM's outcome difference is summed.
    public let tail: Int
    /// Current, true optimum, then one row per fit.
    public let rows: [Row]

    /// The SCM's incremental outcome at its optimum.
    public var optimumIncrement: Double { rows.count > 1 ? rows[1].trueIncrement : .nan }

    /// A readable table: "% achievable" is the regret over the uplift the true optimum achieves over
    /// the current allocation; "% of optimum" the regret over the optimum's incremental outcome.
    public var text: String {
      func f(_ v: Double) -> String { String(format: "%.4g", v) }
      var lines = [
        "Regret study: \(scenario) seed \(seed); budget \(f(budget)) over \(periods) periods from \(start) "
          + "(historical flighting); the truth sums the SCM's outcome over the horizon and \(tail) periods after it",
        "  " + "allocation".padding(toLength: 34, withPad: " ", startingAt: 0)
          + channels.map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
          + "model uplift  true incr.   regret      % achievable  % of optimum",
      ]
      for row in rows {
        lines.append(
          "  " + row.label.padding(toLength: 34, withPad: " ", startingAt: 0)
            + row.allocation.map { f($0).padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
            + (row.modelUplift.map(f) ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0)
            + f(row.trueIncrement).padding(toLength: 13, withPad: " ", startingAt: 0)
            + f(row.regret).padding(toLength: 12, withPad: " ", startingAt: 0)
            + (row.regretShare.isFinite ? String(format: "%.1f%%", 100 * row.regretShare) : "-")
            .padding(toLength: 14, withPad: " ", startingAt: 0)
            + String(format: "%.2f%%", 100 * row.regret / optimumIncrement))
      }
      return lines.joined(separator: "\n")
    }
  }

  /// Loads the fits, asks each for its allocation of `budget` (default: the channels' spend over the
  /// last `periods` training periods) over the `periods` after the training data, and scores every
  /// allocation with the scenario's SCM.
  ///
  /// - Parameters:
  ///   - fits: (label, fit directory); each fit must be trained on the scenario's data (same
  ///     channels, the scenario's dates).
  ///   - tail: periods after the horizon in which the SCM's carry-over is counted.
  /// - Throws: `LocatedError` for a scenario with geos, other than two channels, or unusable fits.
  public static func run(
    scenario name: String, seed: UInt64, fits: [(label: String, directory: String)], budget: Double?,
    periods: Int, tail: Int = 60
  ) throws -> Study {
    let scenario: Scenario
    do { scenario = try Scenario.named(name, seed: seed) } catch {
      throw LocatedError(file: "--scenario", message: "\(error)")
    }
    guard scenario.units.count == 1, let scm = scenario.units.first?.model else {
      throw LocatedError(
        file: "--scenario", message: "\(name) has geos; the regret study takes a national scenario")
    }
    let channels = scenario.channels
    guard channels.count == 2 else {
      throw LocatedError(
        file: "--scenario", message: "the regret study searches two channels; \(name) has \(channels.count)")
    }
    let days = scenario.days
    guard periods >= 1, periods <= days else {
      throw LocatedError(file: "--periods", message: "must be between 1 and \(days)")
    }
    let observed = try simulate(scm, days: days)
    let history = try channels.map { channel -> [Double] in
      guard let series = observed.series(channel) else {
        throw LocatedError(file: "--scenario", message: "no node '\(channel)'")
      }
      return Array(series.suffix(periods))
    }
    let historyTotals = history.map { $0.reduce(0, +) }
    let patterns = zip(history, historyTotals).map { spend, total in
      spend.map { total > 0 ? $0 / total : 1 / Double(periods) }
    }
    let total = budget ?? historyTotals.reduce(0, +)
    guard total.isFinite, total >= 0 else {
      throw LocatedError(file: "--budget", message: "the budget must be a number >= 0")
    }
    func trueIncrement(_ allocation: [Double]) throws -> Double {
      try AllocationRegret.trueIncrement(
        scm, outcome: scenario.outcome, channels: channels, patterns: patterns, allocation: allocation,
        days: days,
        tail: tail)
    }
    // The SCM's own optimum: golden-section search over the first channel's share.
    var lo = 0.0
    var hi = 1.0
    let ratio = (5.0.squareRoot() - 1) / 2
    var a = hi - ratio * (hi - lo)
    var b = lo + ratio * (hi - lo)
    var fa = try trueIncrement([a * total, (1 - a) * total])
    var fb = try trueIncrement([b * total, (1 - b) * total])
    for _ in 0..<80 {
      if fa < fb {
        lo = a
        a = b
        fa = fb
        b = lo + ratio * (hi - lo)
        fb = try trueIncrement([b * total, (1 - b) * total])
      } else {
        hi = b
        b = a
        fb = fa
        a = hi - ratio * (hi - lo)
        fa = try trueIncrement([a * total, (1 - a) * total])
      }
    }
    var candidates = [(0.5 * (a + b), 0.0), (0.0, 0.0), (1.0, 0.0)]
    for i in candidates.indices {
      candidates[i].1 = try trueIncrement([candidates[i].0 * total, (1 - candidates[i].0) * total])
    }
    let best = candidates.max { $0.1 < $1.1 } ?? candidates[0]
    let optimum = [best.0 * total, (1 - best.0) * total]
    let optimumValue = best.1
    let current = historyTotals.map { total * $0 / max(historyTotals.reduce(0, +), 1e-300) }
    let currentValue = try trueIncrement(current)
    let achievable = optimumValue - currentValue
    func row(_ label: String, _ allocation: [Double], _ modelUplift: Double?) throws -> Row {
      let value = try trueIncrement(allocation)
      return Row(
        label: label, allocation: allocation, modelUplift: modelUplift, trueIncrement: value,
        regret: optimumValue - value, regretShare: achievable > 0 ? (optimumValue - value) / achievable : .nan
      )
    }
    var rows = [try row("current (last periods)", current, nil), try row("true optimum (SCM)", optimum, nil)]
    var start = CalendarDate(daysSinceEpoch: 0)
    for (label, directory) in fits {
      let fit = try FitArchive.load(from: URL(fileURLWithPath: directory))
      guard fit.model.channelNames == channels, fit.model.dates.count == days, days >= 2 else {
        throw LocatedError(
          file: directory,
          message:
            "the fit must be trained on the scenario's \(days) periods with channels \(channels.joined(separator: ", "))"
        )
      }
      let step = fit.model.dates[1].daysSinceEpoch - fit.model.dates[0].daysSinceEpoch
      start = fit.model.dates[days - 1].adding(days: step)
      let allocation = try fit.optimizeBudget(BudgetRequest(budget: total, start: start, periods: periods))
      let spend = channels.map { channel in
        allocation.rows.filter { $0.channel == channel }.reduce(0.0) { $0 + $1.optimal }
      }
      rows.append(try row(label, spend, allocation.uplift.mean))
    }
    return Study(
      scenario: name, seed: seed, channels: channels, budget: total, start: start, periods: periods,
      tail: tail,
      rows: rows)
  }

  /// The SCM's outcome summed over the horizon (`days..<days + N`, N = the patterns' length) and
  /// `tail` periods after it, with channel k set to `allocation[k] * patterns[k]` on the horizon, minus
  /// the same with the channels set to 0 there (same exogenous noise: common random numbers).
  static func trueIncrement(
    _ scm: StructuralCausalModel, outcome node: String, channels: [String], patterns: [[Double]],
    allocation: [Double], days: Int, tail: Int
  ) throws -> Double {
    let periods = patterns.first?.count ?? 0
    let horizon = days..<(days + periods)
    let length = days + periods + tail
    let zero = try outcome(
      scm, node, length: length,
      do: channels.map { Intervention(node: $0, assignment: .constant(0), periods: horizon) })
    let interventions = channels.indices.map { k in
      Intervention(
        node: channels[k], assignment: .series(patterns[k].map { $0 * allocation[k] }), periods: horizon)
    }
    let y = try outcome(scm, node, length: length, do: interventions)
    return (days..<length).reduce(0.0) { $0 + y[$1] - zero[$1] }
  }

  static func simulate(_ scm: StructuralCausalModel, days: Int) throws -> SimulatedWorld {
    do { return try scm.simulate(days: days) } catch {
      throw LocatedError(file: "--scenario", message: "\(error)")
    }
  }

  static func outcome(
    _ scm: StructuralCausalModel, _ node: String, length: Int, do interventions: [Intervention]
  )
    throws -> [Double]
  {
    do {
      let world = try scm.simulate(days: length, do: interventions)
      guard let y = world.series(node) else {
        throw LocatedError(file: "--scenario", message: "no node '\(node)'")
      }
      return y
    } catch let error as LocatedError {
      throw error
    } catch {
      throw LocatedError(file: "--scenario", message: "\(error)")
    }
  }
}
