import CausalMMMCore
import Inference

extension MMMModel {
  /// The training inputs on the dates (and geos) of `forward`, history included: the baseline of an
  /// intervention without a baseline table.
  ///
  /// - Throws: `LocatedError` when the table's dates are not consecutive training dates.
  func trainingSlice(like forward: ForwardInputs, file: String) throws -> ForwardInputs {
    let dates = forward.panel.dates
    guard let k = forward.firstIndex, k >= 0, k + dates.count <= self.dates.count,
      Array(self.dates[k..<(k + dates.count)]) == dates
    else {
      let last = self.dates[self.dates.count - 1]
      let reason =
        dates[dates.count - 1] > last
        ? "it runs past the last training date \(last): pass a baseline table with the planned inputs for those dates"
        : "its dates are not consecutive training dates"
      throw LocatedError(
        file: file, column: configuration.dateColumn,
        "without a baseline the counterfactual is compared with the training data, but \(reason)")
    }
    let h = forward.history
    let total = forward.inputs.dateCount
    let T0 = inputs.dateCount
    let G = forward.panel.geoCount
    let C = channelNames.count
    let K = configuration.controlColumns.count
    var channels = [Double](repeating: 0, count: G * C * total)
    var controls = [Double](repeating: 0, count: G * K * total)
    for (g, mg) in forward.geoIndices.enumerated() {
      for c in 0..<C {
        for i in 0..<total {
          channels[(g * C + c) * total + i] = inputs.channels[(mg * C + c) * T0 + k - h + i]
        }
      }
      for j in 0..<K {
        for i in 0..<total {
          controls[(g * K + j) * total + i] = inputs.controls[(mg * K + j) * T0 + k - h + i]
        }
      }
    }
    let sliced = ScaledInputs(
      dateCount: total, geoCount: G, channels: channels, controls: controls,
      features: forward.inputs.features,
      featureCount: forward.inputs.featureCount, times: forward.inputs.times)
    return ForwardInputs(
      inputs: sliced, panel: forward.panel, history: h, geoIndices: forward.geoIndices, firstIndex: k)
  }
}

extension FittedMMM {
  /// The posterior of the outcome difference between `counterfactual` and a baseline.
  ///
  /// Both tables run through `forwardInputs`: on the training period grid, the training periods before
  /// the first date carry over into both. Without a `baseline` the counterfactual's dates must be
  /// training dates and the baseline is the training data on those dates; a forward table needs a
  /// baseline table with the same geos and dates (the planned inputs).
  ///
  /// - Parameters:
  ///   - includeCarryoverTail: extend both tables by the adstock's `tapCount - 1` periods with zero
  ///     spend (no change) and count the effect that spills into them; the extra dates follow the
  ///     table's in `dates`.
  /// - Throws: `LocatedError` for invalid tables or mismatched grids.
  public func intervene(counterfactual: MMMData, baseline: MMMData?, includeCarryoverTail: Bool) throws
    -> InterventionResult
  {
    let changed = try model.forwardInputs(for: counterfactual)
    let base: ForwardInputs
    if let baseline {
      base = try model.forwardInputs(for: baseline)
      guard base.panel.dates == changed.panel.dates, base.panel.geoNames == changed.panel.geoNames else {
        throw LocatedError(
          file: baseline.sourceName,
          "the baseline table must have the counterfactual table's geos and dates "
            + "(\(changed.panel.geoCount) geos x \(changed.panel.dateCount) dates from \(changed.panel.dates[0]))"
        )
      }
    } else {
      base = try model.trainingSlice(like: changed, file: counterfactual.sourceName)
    }
    let tail = includeCarryoverTail ? max(model.components.adstock.tapCount - 1, 0) : 0
    let changedInputs = tail > 0 ? model.extendingWithZeroSpend(changed, periods: tail) : changed.inputs
    let baseInputs = tail > 0 ? model.extendingWithZeroSpend(base, periods: tail) : base.inputs
    let h = changed.history
    let total = changedInputs.dateCount
    let T = changed.dateCount + tail
    let G = changed.panel.geoCount
    var dates = changed.panel.dates
    if tail > 0 {
      let grid = model.periodGrid
      if let k = changed.firstIndex, grid.date(at: k + dates.count - 1) == dates[dates.count - 1] {
        for i in 1...tail { dates.append(grid.date(at: k + changed.dateCount - 1 + i)) }
      } else {
        let step = dates.count >= 2 ? dates[1].daysSinceEpoch - dates[0].daysSinceEpoch : 1
        let last = dates[dates.count - 1]
        for i in 1...tail { dates.append(last.adding(days: i * step)) }
      }
    }
    var totals: [Double] = []
    var perDate = [[Double]](repeating: [], count: T)
    for (v, intercepts) in zip(slots, interceptDraws()) {
      let a = model.meanAndContributions(
        slots: v, inputs: changedInputs, geoIndices: changed.geoIndices, intercepts: intercepts
      ).mean
      let b = model.meanAndContributions(
        slots: v, inputs: baseInputs, geoIndices: changed.geoIndices, intercepts: intercepts
      ).mean
      var sum = 0.0
      for t in 0..<T {
        var d = 0.0
        for g in 0..<G { d += (a[g * total + h + t] - b[g * total + h + t]) * model.targetScale }
        perDate[t].append(d)
        sum += d
      }
      totals.append(sum)
    }
    return InterventionResult(
      dates: dates, totalDraws: totals, perDate: perDate.map { DrawSummary($0) }, dailyDraws: perDate)
  }
}
