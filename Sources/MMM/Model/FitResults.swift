import CausalMMMCore
import Inference

/// The posterior of the outcome difference between a counterfactual table and the observed inputs.
public struct InterventionResult: Sendable {
  /// The dates of the table.
  public let dates: [CalendarDate]
  /// Per kept draw: Σ over geos and dates of (counterfactual − observed) expected outcome, original units.
  public let totalDraws: [Double]
  /// Per date (summed over geos): mean and 94% HDI of the difference.
  public let perDate: [DrawSummary]
  /// Per date (summed over geos), per kept draw: the difference, original units (`[t][draw]`).
  public let dailyDraws: [[Double]]
  /// Mean and 94% HDI of the total difference.
  public var total: DrawSummary { DrawSummary(totalDraws) }

  /// Per kept draw: the difference summed over the dates in `window` (and over geos).
  public func totalDraws(over window: ClosedRange<CalendarDate>) -> [Double] {
    var sums = [Double](repeating: 0, count: totalDraws.count)
    for (t, date) in dates.enumerated() where window.contains(date) {
      for (k, value) in dailyDraws[t].enumerated() { sums[k] += value }
    }
    return sums
  }
}

/// Posterior predictive of the outcome for a table, original units.
public struct PredictionResult: Sendable {
  public let geoNames: [String]
  public let dates: [CalendarDate]
  /// `[g][t]` expected outcome (μ × c_y): mean and HDI.
  public let expected: [[DrawSummary]]
  /// `[g][t]` posterior predictive (μ plus observation noise): mean and HDI.
  public let predictive: [[DrawSummary]]
  /// The time-varying terms over the table's dates, per term and geo (`FittedMMM.timeVaryingPaths`;
  /// empty without `time_varying_intercept` and `time_varying_media`).
  public let timeVarying: [TimeVaryingPath]
}

/// One channel's contribution series and totals, original units.
public struct ChannelContribution: Sendable {
  public let channel: String
  /// `[g][t]` contribution: mean and 94% HDI.
  public let series: [[DrawSummary]]
  /// Total over geos and dates, per draw.
  public let totalDraws: [Double]
}

/// Return on ad spend: Σ contribution / Σ spend, original units.
public struct ChannelROAS: Sendable, Codable {
  public let channel: String
  public let spend: Double
  public let contribution: DrawSummary
  public let roas: DrawSummary
}

/// The model's reading of one lift test against the measurement.
public struct LiftCheck: Sendable {
  public let test: LiftTest
  /// The model's lift (steady-state |s(x+Δx)−s(x)|, or the windowed mean lift), original units.
  public let modelLift: DrawSummary
  /// (model mean − measured |Δy|) / sigma.
  public let zScore: Double
}

/// A response curve with its HDI band: saturation over input, or adstock weights over lag.
public struct CurveBand: Sendable {
  public let channel: String
  public let geo: String
  public let x: [Double]
  public let band: [DrawSummary]
}
