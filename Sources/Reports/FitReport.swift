import CausalMMMCore
import Foundation
import GraphvizIO

/// Builds the HTML report of one saved fit, or of two fits side by side (e.g. uncalibrated vs
/// calibrated): sampler diagnostics, parameter table and intervals (against the truth when
/// given), HDI widths, posterior densities from the chain files, lift checks, contributions over
/// time and their totals, and ROAS.
public enum FitReport {
  /// A fit with the name it carries in legends and column headings.
  public struct LabelledFit: Sendable {
    public var label: String
    public var fit: FitDirectory

    /// Creates a labelled fit.
    public init(label: String, fit: FitDirectory) {
      self.label = label
      self.fit = fit
    }
  }

  /// Reads true parameter values: a JSON object `{"saturation_lam[channel_1]": 8.0, ...}`;
  /// `roas[CHANNEL]` keys give true ROAS values.
  /// - Throws: ``LocatedError`` when the file is missing, not JSON, or holds a non-number.
  public static func readTruth(_ path: String) throws(LocatedError) -> [String: Double] {
    let text = try FitDirectory.readText(path)
    let object: [String: Any]
    do {
      guard let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw LocatedError(file: path, line: 1, message: "expected a JSON object {\"parameter\": value}")
      }
      object = parsed
    } catch let error as LocatedError {
      throw error
    } catch {
      throw LocatedError(file: path, message: "not valid JSON (\(error.localizedDescription))")
    }
    var truth: [String: Double] = [:]
    for (key, value) in object {
      guard let number = FitDirectory.number(value), number.isFinite else {
        throw LocatedError(
          file: path, line: FitDirectory.line(of: "\"\(key)\"", in: text),
          message: "the value of '\(key)' is not a finite number")
      }
      truth[key] = number
    }
    return truth
  }

  /// The family of a parameter: its name before the bracket (`saturation_lam[tv]` ->
  /// `saturation_lam`).
  static func family(_ name: String) -> String {
    name.firstIndex(of: "[").map { String(name[..<$0]) } ?? name
  }

  /// Parameter names of all fits, in first-seen order, grouped by family in first-seen order;
  /// families of a single parameter are gathered into one last group, "other parameters".
  static func families(_ fits: [LabelledFit]) -> [(family: String, names: [String])] {
    var order: [String] = []
    var members: [String: [String]] = [:]
    var seen: Set<String> = []
    for labelled in fits {
      for parameter in labelled.fit.parameters where seen.insert(parameter.name).inserted {
        let key = family(parameter.name)
        if members[key] == nil { order.append(key) }
        members[key, default: []].append(parameter.name)
      }
    }
    let groups = order.map { (family: $0, names: members[$0] ?? []) }
    // Scalars (intercept, y_sigma, ...) share one chart instead of one chart each.
    let singles = groups.filter { $0.names.count == 1 }
    if singles.count < 2 { return groups }
    return groups.filter { $0.names.count > 1 } + [("other parameters", singles.flatMap(\.names))]
  }

  /// The value-axis label of a family's charts.
  static func axisLabel(_ family: String) -> String {
    family == "other parameters" ? "value" : family
  }

  /// The report.
  public static func report(
    fits: [LabelledFit], truth: [String: Double] = [:], title: String? = nil
  ) -> HTMLReport {
    let labels = fits.map(\.label)
    var report = HTMLReport(
      title: title ?? (fits.count > 1 ? "Fit comparison: \(labels.joined(separator: " vs "))" : "Fit report"),
      subtitle: "From " + fits.map { "\($0.label): \($0.fit.path)" }.joined(separator: "; "))
    report.addSection("Sampler", samplerBlocks(fits))
    report.addSection("Parameters", parameterBlocks(fits, truth: truth))
    if fits.contains(where: { !$0.fit.draws.isEmpty }) {
      report.addSection("Posterior densities", densityBlocks(fits, truth: truth))
    }
    if fits.contains(where: { !$0.fit.liftChecks.isEmpty }) {
      report.addSection("Lift tests", liftBlocks(fits))
    }
    if fits.contains(where: { !$0.fit.fitted.isEmpty }) {
      report.addSection("Observed vs fitted", fittedBlocks(fits))
    }
    if fits.contains(where: { !$0.fit.timeVarying.isEmpty }) {
      report.addSection("Time-varying terms", timeVaryingBlocks(fits))
    }
    if fits.contains(where: { !$0.fit.contributions.isEmpty }) {
      report.addSection("Contributions", contributionBlocks(fits, truth: truth))
    }
    if fits.contains(where: { !$0.fit.roas.isEmpty }) {
      report.addSection("ROAS", roasBlocks(fits, truth: truth))
    }
    if let blocks = structuralBlocks(fits) { report.addSection("Structural effects", blocks) }
    if let blocks = sensitivityBlocks(fits) { report.addSection("Unobserved-confounder sensitivity", blocks) }
    let curveBlocks = responseCurveBlocks(fits)
    if !curveBlocks.isEmpty { report.addSection("Response curves", curveBlocks) }
    return report
  }

  static func samplerBlocks(_ fits: [LabelledFit]) -> [ReportBlock] {
    var keys: [String] = []
    for labelled in fits {
      for (key, _) in labelled.fit.sampler where !keys.contains(key) { keys.append(key) }
    }
    var rows: [[TableCell]] = keys.map { key in
      [.text(key)]
        + fits.map { labelled in
          .text(labelled.fit.sampler.first { $0.key == key }?.value ?? "")
        }
    }
    let maxRHat = fits.map { $0.fit.parameters.map(\.rHat).filter(\.isFinite).max() ?? .nan }
    let minESS = fits.map { $0.fit.parameters.map(\.essBulk).filter(\.isFinite).min() ?? .nan }
    rows.append([.text("max R-hat")] + maxRHat.map { .number($0, decimals: 3) })
    rows.append([.text("min bulk ESS")] + minESS.map { .number($0, decimals: 0) })
    rows.append([.text("chain files")] + fits.map { .integer($0.fit.chainCount) })
    var blocks: [ReportBlock] = [.table(Table(columns: [""] + fits.map(\.label), rows: rows))]
    let flagged = zip(fits, maxRHat).filter { $0.1 > 1.01 }.map(\.0.label)
    if !flagged.isEmpty {
      blocks.append(
        .paragraph(
          "R-hat above 1.01 in \(flagged.joined(separator: ", ")): the chains disagree; do not trust these intervals."
        ))
    }
    return blocks
  }

  static func parameterBlocks(_ fits: [LabelledFit], truth: [String: Double]) -> [ReportBlock] {
    let families = families(fits)
    let names = families.flatMap(\.names)
    let hasTruth = names.contains { truth[$0] != nil }
    // One fit: every statistic in its own column. Several fits: "mean [HDI]" and R-hat per fit,
    // so the table stays readable on a page.
    let detailed = fits.count == 1
    var columns = ["parameter"]
    if hasTruth { columns.append("true") }
    for label in fits.map(\.label) {
      if detailed {
        columns += ["mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail"]
      } else {
        columns += ["\(label) mean [94% HDI]", "\(label) r_hat"]
      }
      if hasTruth { columns.append(detailed ? "covers" : "\(label) covers") }
    }
    if fits.count == 2 { columns.append("HDI width change") }
    let statistics = detailed ? 7 : 2
    let rows: [[TableCell]] = names.map { name in
      var row: [TableCell] = [.text(name)]
      let trueValue = truth[name]
      if hasTruth { row.append(trueValue.map { .number($0, decimals: 3) } ?? .empty) }
      var widths: [Double] = []
      for labelled in fits {
        guard let parameter = labelled.fit.parameters.first(where: { $0.name == name }) else {
          row += Array(repeating: .empty, count: statistics + (hasTruth ? 1 : 0))
          widths.append(.nan)
          continue
        }
        if detailed {
          row += [
            .number(parameter.mean, decimals: 3), .number(parameter.sd, decimals: 3),
            .number(parameter.hdiLower, decimals: 3), .number(parameter.hdiUpper, decimals: 3),
            .number(parameter.rHat, decimals: 3), .number(parameter.essBulk, decimals: 0),
            .number(parameter.essTail, decimals: 0),
          ]
        } else {
          let interval = [parameter.mean, parameter.hdiLower, parameter.hdiUpper].map {
            TableCell.number($0, decimals: 3).text
          }
          row += [
            .text("\(interval[0]) [\(interval[1]), \(interval[2])]"), .number(parameter.rHat, decimals: 3),
          ]
        }
        if hasTruth {
          row.append(trueValue.map { .bool(parameter.hdiLower <= $0 && $0 <= parameter.hdiUpper) } ?? .empty)
        }
        widths.append(parameter.hdiUpper - parameter.hdiLower)
      }
      if fits.count == 2 {
        let change = (widths[1] / widths[0] - 1) * 100
        row.append(change.isFinite ? .text(String(format: "%+.0f%%", change)) : .empty)
      }
      return row
    }
    var blocks: [ReportBlock] = [
      .table(Table(columns: columns, rows: rows, caption: "Posterior summaries (94% HDI)"))
    ]
    for (family, members) in families {
      let estimates = fits.map { labelled in
        let found = members.map { name in labelled.fit.parameters.first { $0.name == name } }
        return IntervalEstimates(
          name: labelled.label, mean: found.map { $0?.mean ?? .nan },
          lower: found.map { $0?.hdiLower ?? .nan },
          upper: found.map { $0?.hdiUpper ?? .nan })
      }
      let chart = ParameterRecoveryChart(
        title: hasTruth ? "\(family): posterior vs truth" : "\(family): posterior",
        xLabel: axisLabel(family), parameters: members, truth: members.map { truth[$0] }, fits: estimates)
      blocks.append(.chart(chart, caption: "Posterior mean and 94% HDI of \(family)."))
      if fits.count == 2 {
        let widths = estimates.map { estimate in zip(estimate.upper, estimate.lower).map { $0 - $1 } }
        let comparison = BarChart.hdiWidthComparison(
          title: "\(family): HDI width, \(fits[0].label) vs \(fits[1].label)", parameters: members,
          first: (fits[0].label, widths[0]), second: (fits[1].label, widths[1]))
        blocks.append(
          .chart(
            comparison,
            caption: "94% HDI widths; the label gives the change from \(fits[0].label) to \(fits[1].label)."))
      }
    }
    return blocks
  }

  static func densityBlocks(_ fits: [LabelledFit], truth: [String: Double]) -> [ReportBlock] {
    var blocks: [ReportBlock] = []
    for (family, members) in families(fits) {
      let withDraws = members.filter { name in fits.contains { !($0.fit.draws[name] ?? []).isEmpty } }
      if withDraws.isEmpty { continue }
      let chart = DensityChart(
        title: "\(family): posterior densities", xLabel: axisLabel(family), rows: withDraws,
        fits: fits.map { labelled in
          PosteriorDraws(name: labelled.label, draws: withDraws.map { labelled.fit.draws[$0] ?? [] })
        },
        references: withDraws.contains { truth[$0] != nil }
          ? [ReferenceValues(name: "true value", values: withDraws.map { truth[$0] })] : [])
      blocks.append(.chart(chart, caption: "Kernel density of the pooled chain draws, mean and 94% HDI."))
    }
    return blocks
  }

  /// A lift check with the model's lift in the measurement's sign: `summary.json` gives the
  /// model's lift as a magnitude (|s(x + dx) - s(x)|, z on magnitudes), so against a negative
  /// measured lift (a go-dark) it is drawn negated, else the two would look far apart.
  static func signed(_ check: FitLiftCheck) -> FitLiftCheck {
    guard check.measuredDeltaY < 0, check.modelLower >= 0, check.modelMean >= 0 else { return check }
    var copy = check
    (copy.modelMean, copy.modelLower, copy.modelUpper) = (
      -check.modelMean, -check.modelUpper, -check.modelLower
    )
    return copy
  }

  static func liftBlocks(_ fits: [LabelledFit]) -> [ReportBlock] {
    let fits = fits.map { labelled in
      var copy = labelled
      copy.fit.liftChecks = labelled.fit.liftChecks.map(signed)
      return copy
    }
    var keys: [String] = []
    var measured: [String: Double] = [:]
    for labelled in fits {
      for check in labelled.fit.liftChecks {
        let key = check.geo.map { "\(check.channel) (\($0))" } ?? check.channel
        if measured[key] == nil {
          keys.append(key)
          measured[key] = check.measuredDeltaY
        }
      }
    }
    func check(_ labelled: LabelledFit, _ key: String) -> FitLiftCheck? {
      labelled.fit.liftChecks.first(where: { candidate in
        (candidate.geo.map { "\(candidate.channel) (\($0))" } ?? candidate.channel) == key
      })
    }
    let chart = ParameterRecoveryChart(
      title: "Lift tests: measured vs model", xLabel: "lift (outcome units)", parameters: keys,
      truth: keys.map { measured[$0] },
      fits: fits.map { labelled in
        let found = keys.map { check(labelled, $0) }
        return IntervalEstimates(
          name: labelled.label, mean: found.map { $0?.modelMean ?? .nan },
          lower: found.map { $0?.modelLower ?? .nan },
          upper: found.map { $0?.modelUpper ?? .nan })
      }, truthLabel: "measured lift")
    var columns = ["lift test", "measured"]
    for label in fits.map(\.label) {
      let prefix = fits.count > 1 ? "\(label) " : ""
      columns += ["\(prefix)model mean", "\(prefix)hdi_3%", "\(prefix)hdi_97%", "\(prefix)z"]
    }
    let rows: [[TableCell]] = keys.map { key in
      var row: [TableCell] = [.text(key), .number(measured[key] ?? .nan, decimals: 4)]
      for labelled in fits {
        if let found = check(labelled, key) {
          row += [
            .number(found.modelMean, decimals: 4), .number(found.modelLower, decimals: 4),
            .number(found.modelUpper, decimals: 4), .number(found.z, decimals: 2),
          ]
        } else {
          row += [.empty, .empty, .empty, .empty]
        }
      }
      return row
    }
    return [
      .chart(
        chart,
        caption:
          "Each lift test's measured effect (diamond) against the model's implied lift (mean and 94% HDI); "
          + "the model's lift, a magnitude in summary.json, takes the measurement's sign."),
      .table(Table(columns: columns, rows: rows)),
    ]
  }

  /// Parses `YYYY-MM-DD` as UTC midnight.
  static func parseDate(_ text: String) -> Date? {
    let parts = text.split(separator: "-")
    guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    let days = DateTicks.daysSinceEpoch(year: year, month: month, day: day)
    return Date(timeIntervalSince1970: Double(days) * 86_400)
  }

  /// How many geos get a chart of their own in "Observed vs fitted".
  static let fittedGeoCharts = 6

  /// Fit quality over every (date, geo) row: R² of the posterior mean, mean absolute percentage
  /// error, and the share of observations inside the 94% posterior predictive interval.
  static func fitQuality(_ rows: [FitFitted]) -> (rSquared: Double, mape: Double, coverage: Double) {
    let valid = rows.filter { $0.observed.isFinite && $0.mean.isFinite }
    guard !valid.isEmpty else { return (.nan, .nan, .nan) }
    let mean = valid.map(\.observed).reduce(0, +) / Double(valid.count)
    let total = valid.reduce(0) { $0 + ($1.observed - mean) * ($1.observed - mean) }
    let residual = valid.reduce(0) { $0 + ($1.observed - $1.mean) * ($1.observed - $1.mean) }
    let nonzero = valid.filter { $0.observed != 0 }
    let mape =
      nonzero.isEmpty
      ? Double.nan
      : nonzero.reduce(0) { $0 + abs(($1.observed - $1.mean) / $1.observed) } / Double(nonzero.count)
    let inside = valid.filter { $0.predictiveLower <= $0.observed && $0.observed <= $0.predictiveUpper }.count
    return (total > 0 ? 1 - residual / total : .nan, mape, Double(inside) / Double(valid.count))
  }

  /// One observed-vs-fitted chart over `rows` (one geo, or several summed per date).
  static func fittedChart(_ rows: [FitFitted], title: String, band: Bool) -> LineChart {
    var sums: [String: [Double]] = [:]
    for row in rows {
      var entry = sums[row.date] ?? [0, 0, 0, 0]
      entry[0] += row.observed
      entry[1] += row.mean
      entry[2] += row.predictiveLower
      entry[3] += row.predictiveUpper
      sums[row.date] = entry
    }
    let dates = sums.keys.sorted()
    let column = { (k: Int) in dates.map { sums[$0]?[k] ?? .nan } }
    let parsed = dates.map(parseDate)
    let isTime = parsed.allSatisfy { $0 != nil }
    let days = parsed.compactMap { $0 }
    let x = dates.indices.map(Double.init)
    func series(_ name: String, _ y: [Double], markersOnly: Bool = false, color: String) -> Series {
      isTime
        ? Series(name: name, dates: days, y: y, markersOnly: markersOnly, color: color)
        : Series(name: name, x: x, y: y, markersOnly: markersOnly, color: color)
    }
    var bands: [Band] = []
    if band {
      let name = "94% posterior predictive"
      bands.append(
        isTime
          ? Band(name: name, dates: days, lower: column(2), upper: column(3), color: Palette.color(0))
          : Band(name: name, x: x, lower: column(2), upper: column(3), color: Palette.color(0)))
    }
    return LineChart(
      title: title, xLabel: isTime ? "Date" : "Period", yLabel: "Target (outcome units)",
      series: [
        series("observed", column(0), markersOnly: true, color: Palette.truth),
        series("posterior mean fit", column(1), color: Palette.color(0)),
      ], bands: bands)
  }

  /// Observed target vs the posterior mean fit with its 94% posterior predictive band, per fit:
  /// one chart for a national fit; for a geo fit the sum over geos (means only: a sum of per-geo
  /// intervals is not the interval of the sum) and the first geos one by one; a fit-quality table.
  static func fittedBlocks(_ fits: [LabelledFit]) -> [ReportBlock] {
    var blocks: [ReportBlock] = []
    var quality: [[TableCell]] = []
    for labelled in fits where !labelled.fit.fitted.isEmpty {
      let rows = labelled.fit.fitted
      var geos: [String] = []
      for row in rows where !geos.contains(row.geo) { geos.append(row.geo) }
      let suffix = fits.count > 1 ? " (\(labelled.label))" : ""
      let stats = fitQuality(rows)
      quality.append([
        .text(labelled.label), .integer(rows.count), .number(stats.rSquared, decimals: 3),
        .text(stats.mape.isFinite ? String(format: "%.1f%%", 100 * stats.mape) : ""),
        .text(stats.coverage.isFinite ? String(format: "%.1f%%", 100 * stats.coverage) : ""),
      ])
      if geos.count == 1 {
        blocks.append(
          .chart(
            fittedChart(rows, title: "Observed vs fitted\(suffix)", band: true),
            caption: "Dots: the observed target. Line: the posterior mean of the expected outcome. "
              + "Band: 94% posterior predictive interval (observation noise included)."))
        continue
      }
      blocks.append(
        .chart(
          fittedChart(
            rows, title: "Observed vs fitted, summed over \(geos.count) geos\(suffix)", band: false),
          caption: "Dots: the observed target; line: the posterior mean fit, both summed over geos."))
      for geo in geos.prefix(fittedGeoCharts) {
        blocks.append(
          .chart(
            fittedChart(
              rows.filter { $0.geo == geo }, title: "Observed vs fitted: \(geo)\(suffix)", band: true),
            caption: "\(geo): observed (dots), posterior mean fit (line), 94% posterior predictive band."))
      }
      if geos.count > fittedGeoCharts {
        blocks.append(
          .paragraph(
            "\(geos.count - fittedGeoCharts) more geos are not drawn one by one; fitted.csv holds every row.")
        )
      }
    }
    blocks.insert(
      .table(
        Table(
          columns: [
            "fit", "observations", "R² of the mean fit", "MAPE", "inside the 94% predictive interval",
          ],
          rows: quality, caption: "Fit quality over every date and geo")), at: 0)
    return blocks
  }

  /// The time-varying terms of each fit (`time_varying.csv`): the intercept over time (the baseline,
  /// intercept_baseline × p(t)) and the media multiplier M(t), each with its 94% HDI band, per geo (the
  /// first `fittedGeoCharts` geos).
  static func timeVaryingBlocks(_ fits: [LabelledFit]) -> [ReportBlock] {
    var blocks: [ReportBlock] = []
    for labelled in fits where !labelled.fit.timeVarying.isEmpty {
      let rows = labelled.fit.timeVarying
      let suffix = fits.count > 1 ? " (\(labelled.label))" : ""
      for term in ["intercept", "media"] {
        let termRows = rows.filter { $0.term == term }
        var geos: [String] = []
        for row in termRows where !geos.contains(row.geo) { geos.append(row.geo) }
        for geo in geos.prefix(fittedGeoCharts) {
          let geoRows = termRows.filter { $0.geo == geo }
          let days = geoRows.compactMap { parseDate($0.date) }
          guard days.count == geoRows.count, !days.isEmpty else { continue }
          let title =
            (term == "intercept" ? "Baseline over time" : "Media multiplier over time")
            + (geo.isEmpty ? "" : ": \(geo)") + suffix
          let chart = LineChart(
            title: title, xLabel: "Date",
            yLabel: term == "intercept" ? "Intercept (outcome units)" : "Multiplier (1 = average effect)",
            series: [
              Series(name: "posterior mean", dates: days, y: geoRows.map(\.mean), color: Palette.color(0))
            ],
            bands: [
              Band(
                name: "94% HDI", dates: days, lower: geoRows.map(\.lower), upper: geoRows.map(\.upper),
                color: Palette.color(0))
            ])
          let caption =
            term == "intercept"
            ? "The intercept over time, intercept_baseline × p(t) (PyMC-Marketing's time_varying_intercept): "
              + "posterior mean and 94% HDI."
            : "The factor multiplying every channel's contribution at each date (time_varying_media; it "
              + "averages 1 over the training dates): posterior mean and 94% HDI."
          blocks.append(.chart(chart, caption: caption))
        }
        if geos.count > fittedGeoCharts {
          blocks.append(
            .paragraph(
              "\(geos.count - fittedGeoCharts) more geos are not drawn; time_varying.csv holds every row."))
        }
      }
    }
    return blocks
  }

  /// Contributions over time per fit and the total by channel; truth keys `contribution[CHANNEL]`
  /// (total over all dates and geos, outcome units) add a `truth` bar next to the fits'.
  static func contributionBlocks(_ fits: [LabelledFit], truth: [String: Double] = [:]) -> [ReportBlock] {
    var blocks: [ReportBlock] = []
    var totals: [(label: String, channels: [String], sums: [Double])] = []
    for labelled in fits where !labelled.fit.contributions.isEmpty {
      let rows = labelled.fit.contributions
      var dates: [String] = []
      var channels: [String] = []
      var geos: Set<String> = []
      var sums: [String: [String: Double]] = [:]
      for row in rows {
        if sums[row.channel] == nil {
          channels.append(row.channel)
          sums[row.channel] = [:]
        }
        if !dates.contains(row.date) { dates.append(row.date) }
        geos.insert(row.geo)
        sums[row.channel, default: [:]][row.date, default: 0] += row.mean
      }
      dates.sort()
      var components = channels.enumerated().map { index, channel in
        AreaComponent(
          name: channel, values: dates.map { sums[channel]?[$0] ?? 0 }, color: Palette.color(index))
      }
      // With fitted.csv: the baseline (fit minus channels) as the bottom layer, observed on top.
      let fitted = labelled.fit.fitted
      var overlayValues: [Double] = []
      if !fitted.isEmpty {
        var baseline: [String: Double] = [:]
        var observed: [String: Double] = [:]
        for row in fitted {
          baseline[row.date, default: 0] += row.baseline
          observed[row.date, default: 0] += row.observed
        }
        components.insert(
          AreaComponent(name: "baseline", values: dates.map { baseline[$0] ?? .nan }, color: "#BBBBBB"), at: 0
        )
        overlayValues = dates.map { observed[$0] ?? .nan }
      }
      let parsed = dates.map(parseDate)
      let yLabel = fitted.isEmpty ? "Contribution (outcome units)" : "Outcome units"
      let title =
        fitted.isEmpty
        ? "Channel contributions over time (\(labelled.label))"
        : "Baseline and channel contributions over time (\(labelled.label))"
      let chart: StackedAreaChart
      if parsed.allSatisfy({ $0 != nil }) {
        let days = parsed.compactMap { $0 }
        chart = StackedAreaChart(
          title: title, xLabel: "Date", yLabel: yLabel, dates: days, components: components,
          overlays: overlayValues.isEmpty
            ? [] : [Series(name: "observed", dates: days, y: overlayValues, markersOnly: true)])
      } else {
        let x = dates.indices.map(Double.init)
        chart = StackedAreaChart(
          title: title, xLabel: "Period", yLabel: yLabel, x: x, components: components,
          overlays: overlayValues.isEmpty
            ? [] : [Series(name: "observed", x: x, y: overlayValues, markersOnly: true)])
      }
      let note = geos.count > 1 ? " Summed over \(geos.count) geos." : ""
      let what =
        fitted.isEmpty
        ? "Posterior mean contribution of each channel, stacked."
        : "Posterior means, stacked: the baseline (intercept, controls, seasonality and trend: the fit "
          + "minus the channels) and each channel's contribution; dots: the observed target."
      blocks.append(.chart(chart, caption: what + note))
      totals.append(
        (labelled.label, channels, channels.map { channel in sums[channel]?.values.reduce(0, +) ?? 0 }))
    }
    if let first = totals.first {
      let trueTotals = first.channels.map { truth["contribution[\($0)]"] ?? .nan }
      if trueTotals.contains(where: { !$0.isNaN }) {
        totals.append(("truth", first.channels, trueTotals))
      }
      if totals.count == 1 {
        let waterfall = WaterfallChart(
          title: "Total contribution by channel (\(first.label))",
          xLabel: "Contribution over the whole period",
          steps: first.channels, values: first.sums, totalLabel: "all channels")
        blocks.append(
          .chart(waterfall, caption: "Sum of the posterior mean contributions over all dates and geos."))
      } else {
        let bars = BarChart(
          title: "Total contribution by channel", xLabel: "Contribution over the whole period",
          categories: first.channels,
          series: totals.map { entry in
            BarSeries(
              name: entry.label,
              values: first.channels.map { channel in
                entry.channels.firstIndex(of: channel).map { entry.sums[$0] } ?? .nan
              })
          })
        blocks.append(
          .chart(bars, caption: "Sum of the posterior mean contributions over all dates and geos."))
      }
    }
    return blocks
  }

  static func roasBlocks(_ fits: [LabelledFit], truth: [String: Double]) -> [ReportBlock] {
    var channels: [String] = []
    for labelled in fits {
      for entry in labelled.fit.roas where !channels.contains(entry.channel) {
        channels.append(entry.channel)
      }
    }
    func entry(_ labelled: LabelledFit, _ channel: String) -> FitROAS? {
      labelled.fit.roas.first { $0.channel == channel }
    }
    let trueROAS = channels.map { truth["roas[\($0)]"] }
    let chart = ParameterRecoveryChart(
      title: "ROAS by channel", xLabel: "ROAS (outcome per unit of spend)", parameters: channels,
      truth: trueROAS,
      fits: fits.map { labelled in
        let found = channels.map { entry(labelled, $0) }
        return IntervalEstimates(
          name: labelled.label, mean: found.map { $0?.roasMean ?? .nan },
          lower: found.map { $0?.roasLower ?? .nan },
          upper: found.map { $0?.roasUpper ?? .nan })
      })
    var columns = ["channel"]
    if trueROAS.contains(where: { $0 != nil }) { columns.append("true ROAS") }
    for label in fits.map(\.label) {
      let prefix = fits.count > 1 ? "\(label) " : ""
      columns += ["\(prefix)spend", "\(prefix)ROAS mean", "\(prefix)hdi_3%", "\(prefix)hdi_97%"]
    }
    let rows: [[TableCell]] = channels.enumerated().map { index, channel in
      var row: [TableCell] = [.text(channel)]
      if columns.contains("true ROAS") {
        row.append(trueROAS[index].map { .number($0, decimals: 3) } ?? .empty)
      }
      for labelled in fits {
        if let found = entry(labelled, channel) {
          row += [
            .number(found.spend, decimals: 1), .number(found.roasMean, decimals: 3),
            .number(found.roasLower, decimals: 3), .number(found.roasUpper, decimals: 3),
          ]
        } else {
          row += [.empty, .empty, .empty, .empty]
        }
      }
      return row
    }
    return [
      .chart(chart, caption: "ROAS: posterior mean and 94% HDI per channel."),
      .table(Table(columns: columns, rows: rows)),
    ]
  }
}
