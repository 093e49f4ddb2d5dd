import CausalMMMCore
import Inference

/// A time-varying term of a fit over a table's dates, one geo: the posterior mean and 94% HDI per date.
public struct TimeVaryingPath: Sendable, Equatable {
  /// `intercept`: the intercept over time, intercept_baseline × p(t), original units of the target;
  /// `media`: the media multiplier M(t) (1 = the channels' average effect over the training dates).
  public let term: TimeVaryingTerm
  public let geo: String
  public let dates: [CalendarDate]
  public let summaries: [DrawSummary]
}

extension FittedMMM {
  /// The fit's time-varying terms (`time_varying_intercept`, `time_varying_media`) per geo over the
  /// training dates, or over `data`'s dates: a forward table continues the time index past the training
  /// dates, where each draw's HSGP extrapolates itself (so the band widens back towards the prior).
  ///
  /// - Returns: one path per term the model has and geo of the table (none for a constant model).
  /// - Throws: `LocatedError` for an invalid table (as `predict`).
  public func timeVaryingPaths(for data: MMMData? = nil) throws -> [TimeVaryingPath] {
    let terms = [model.interceptMultiplier, model.mediaMultiplier].compactMap { $0?.term }
    guard !terms.isEmpty else { return [] }
    let times: [Double]
    let dates: [CalendarDate]
    let geos: [(name: String, index: Int)]
    if let data {
      let forward = try model.forwardInputs(for: data)
      times = Array(forward.inputs.times.dropFirst(forward.history))
      dates = forward.panel.dates
      geos = zip(forward.panel.geoNames, forward.geoIndices).map { ($0, $1) }
    } else {
      times = model.inputs.times
      dates = model.dates
      geos = model.geoNames.enumerated().map { ($1, $0) }
    }
    // draws[term][geo][date]: one pass over the draws.
    var draws = [[[[Double]]]](
      repeating: [[[Double]]](
        repeating: [[Double]](repeating: [], count: dates.count), count: geos.count),
      count: terms.count)
    let intercepts = terms.contains(.intercept) ? interceptDraws() : []
    for (d, v) in slots.enumerated() {
      for (k, geo) in geos.enumerated() {
        let (p, multiplier) = model.timeVaryingTerms(slots: v, geo: geo.index, times: times)
        for (i, term) in terms.enumerated() {
          switch term {
          case .intercept:
            let baseline =
              intercepts[d][model.offsets.interceptVariesByGeo ? geo.index : 0] * model.targetScale
            for (t, value) in (p ?? []).enumerated() { draws[i][k][t].append(value * baseline) }
          case .media:
            for (t, value) in (multiplier ?? []).enumerated() { draws[i][k][t].append(value) }
          }
        }
      }
    }
    var paths: [TimeVaryingPath] = []
    for (i, term) in terms.enumerated() {
      for (k, geo) in geos.enumerated() {
        paths.append(
          TimeVaryingPath(
            term: term, geo: geo.name, dates: dates, summaries: draws[i][k].map { DrawSummary($0) }))
      }
    }
    return paths
  }
}

extension FitArchive {
  /// `time_varying.csv`: per term, geo and date, the posterior mean and 94% HDI of the intercept over
  /// time (original units) and of the media multiplier (`FittedMMM.timeVaryingPaths` over the training
  /// table); nil for a model without time-varying terms.
  static func timeVaryingCSV(_ paths: [TimeVaryingPath]) -> String? {
    guard !paths.isEmpty else { return nil }
    var lines = ["term,geo,date,mean,hdi_3%,hdi_97%"]
    for path in paths {
      for (date, summary) in zip(path.dates, path.summaries) {
        let values = [summary.mean, summary.hdiLower, summary.hdiUpper].map(number).joined(separator: ",")
        lines.append("\(path.term.rawValue),\(path.geo),\(date),\(values)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
