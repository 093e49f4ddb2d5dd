import Foundation

/// Point estimates with intervals for a list of parameters (or channels), from one fit.
public struct IntervalEstimates: Sendable, Hashable {
  /// The fit's name (legend), e.g. "uncalibrated".
  public var name: String
  /// Posterior means, one per parameter.
  public var mean: [Double]
  /// Lower HDI edges.
  public var lower: [Double]
  /// Upper HDI edges.
  public var upper: [Double]
  /// An explicit colour; `nil` takes the next palette colour.
  public var color: String?

  /// Creates estimates; the arrays are aligned with the chart's parameter list.
  public init(name: String, mean: [Double], lower: [Double], upper: [Double], color: String? = nil) {
    self.name = name
    self.mean = mean
    self.lower = lower
    self.upper = upper
    self.color = color
  }
}

/// Posterior against truth: one row per parameter, each fit's mean as a dot with its HDI as a
/// horizontal error bar, and the true value as a diamond.
///
/// Parameters on very different scales read better with `relativeToTruth: true`: every value is
/// divided by the parameter's true value, so the truth is the line at 1 (parameters without a
/// known truth are then left out).
public struct ParameterRecoveryChart: Chart {
  public var title: String
  /// The value-axis label (ignored in relative mode, which says "estimate / truth").
  public var xLabel: String
  /// Row labels, top to bottom.
  public var parameters: [String]
  /// True values aligned with `parameters` (`nil`: unknown; an empty array: none known).
  public var truth: [Double?]
  /// One or more fits.
  public var fits: [IntervalEstimates]
  /// Divide by the truth.
  public var relativeToTruth: Bool
  /// The interval's name in the legend.
  public var intervalLabel: String
  /// The legend label of the diamonds (`truth`), e.g. "measured lift".
  public var truthLabel: String
  public var width: Double

  /// Creates a recovery chart.
  public init(
    title: String, xLabel: String = "value", parameters: [String], truth: [Double?] = [],
    fits: [IntervalEstimates], relativeToTruth: Bool = false, intervalLabel: String = "94% HDI",
    truthLabel: String = "true value", width: Double = 760
  ) {
    self.truthLabel = truthLabel
    self.title = title
    self.xLabel = xLabel
    self.parameters = parameters
    self.truth = truth
    self.fits = fits
    self.relativeToTruth = relativeToTruth
    self.intervalLabel = intervalLabel
    self.width = width
  }

  func truthValue(_ index: Int) -> Double? {
    index < truth.count ? truth[index] : nil
  }

  /// The rows drawn: (parameter index, divisor).
  func rows() -> [(index: Int, divisor: Double)] {
    parameters.indices.compactMap { index in
      if !relativeToTruth { return (index, 1) }
      guard let value = truthValue(index), value != 0, value.isFinite else { return nil }
      return (index, value)
    }
  }

  public func svg() -> String {
    let colors = fits.enumerated().map { $0.element.color ?? Palette.color($0.offset) }
    var legend = fits.enumerated().map {
      LegendItem("\($0.element.name): mean and \(intervalLabel)", .marker(color: colors[$0.offset]))
    }
    let rows = rows()
    if rows.contains(where: { truthValue($0.index) != nil }) {
      legend.append(LegendItem(truthLabel, .diamond(color: Palette.truth)))
    }
    var values: [Double] = []
    for (index, divisor) in rows {
      if let value = truthValue(index) { values.append(value / divisor) }
      for fit in fits {
        for array in [fit.mean, fit.lower, fit.upper] where index < array.count {
          values.append(array[index] / divisor)
        }
      }
    }
    let rowHeight = max(28, 14 + 12 * Double(fits.count))
    let frame = ChartFrame(
      width: width, title: title, xLabel: relativeToTruth ? "estimate / true value" : xLabel,
      legend: legend, categories: rows.map { parameters[$0.index] }, rowHeight: rowHeight,
      xRange: finiteExtent([values]) ?? (0, 1), xIncludesZero: false)
    var canvas = SVGCanvas(width: width, height: frame.height)
    frame.drawBackground(into: &canvas)
    if relativeToTruth {
      let x = frame.xScale(1)
      canvas.line(
        x1: x, y1: frame.plotTop, x2: x, y2: frame.plotBottom, stroke: Palette.truth, width: 1.2, dash: "5 3")
    }
    for (row, (index, divisor)) in rows.enumerated() {
      let centre = frame.categoryCenter(row)
      for (fitIndex, fit) in fits.enumerated() {
        let offset = (Double(fitIndex) - Double(fits.count - 1) / 2) * 12
        let y = centre + offset
        if index < fit.lower.count, index < fit.upper.count, fit.lower[index].isFinite,
          fit.upper[index].isFinite
        {
          let x1 = frame.xScale(fit.lower[index] / divisor)
          let x2 = frame.xScale(fit.upper[index] / divisor)
          canvas.line(x1: x1, y1: y, x2: x2, y2: y, stroke: colors[fitIndex], width: 2.2)
          canvas.line(x1: x1, y1: y - 4, x2: x1, y2: y + 4, stroke: colors[fitIndex], width: 1.6)
          canvas.line(x1: x2, y1: y - 4, x2: x2, y2: y + 4, stroke: colors[fitIndex], width: 1.6)
        }
        if index < fit.mean.count, fit.mean[index].isFinite {
          canvas.circle(
            cx: frame.xScale(fit.mean[index] / divisor), cy: y, r: 4.5, fill: colors[fitIndex],
            stroke: "#ffffff",
            title: "\(fit.name) \(parameters[index]): mean \(formatNumber(fit.mean[index]))")
        }
      }
      if let value = truthValue(index), !relativeToTruth {
        canvas.diamond(
          cx: frame.xScale(value / divisor), cy: centre, r: 6, fill: Palette.truth, stroke: "#ffffff")
      }
    }
    frame.drawAxes(into: &canvas)
    return canvas.document(title: title)
  }
}

/// Values for one bar series of a ``BarChart``.
public struct BarSeries: Sendable, Hashable {
  /// The legend label.
  public var name: String
  /// One value per category.
  public var values: [Double]
  /// Optional lower error-bar edges (empty: none).
  public var lower: [Double]
  /// Optional upper error-bar edges (empty: none).
  public var upper: [Double]
  public var color: String?

  /// Creates a bar series.
  public init(
    name: String, values: [Double], lower: [Double] = [], upper: [Double] = [], color: String? = nil
  ) {
    self.name = name
    self.values = values
    self.lower = lower
    self.upper = upper
    self.color = color
  }
}

/// Horizontal grouped bars: one row per category, one bar per series, optional error bars and
/// value labels. Used for contribution shares (estimated vs true) and HDI widths.
public struct BarChart: Chart {
  public var title: String
  /// The value-axis label with units.
  public var xLabel: String
  public var categories: [String]
  public var series: [BarSeries]
  /// Print each bar's value at its end.
  public var showsValues: Bool
  /// Formats the value labels.
  public var valueSuffix: String
  public var width: Double

  /// Creates a bar chart.
  public init(
    title: String, xLabel: String, categories: [String], series: [BarSeries],
    showsValues: Bool = true, valueSuffix: String = "", width: Double = 760
  ) {
    self.title = title
    self.xLabel = xLabel
    self.categories = categories
    self.series = series
    self.showsValues = showsValues
    self.valueSuffix = valueSuffix
    self.width = width
  }

  /// HDI widths of the same parameters in two fits, with the relative change in each row label.
  ///
  /// The label reads `name (-42%)` when the second fit's interval is 42% narrower.
  public static func hdiWidthComparison(
    title: String, parameters: [String], first: (name: String, widths: [Double]),
    second: (name: String, widths: [Double]), xLabel: String = "94% HDI width"
  ) -> BarChart {
    let labels = parameters.enumerated().map { index, name -> String in
      guard index < first.widths.count, index < second.widths.count, first.widths[index] > 0 else {
        return name
      }
      let change = (second.widths[index] / first.widths[index] - 1) * 100
      let sign = change > 0 ? "+" : ""
      return "\(name) (\(sign)\(String(format: "%.0f", change))%)"
    }
    return BarChart(
      title: title, xLabel: xLabel, categories: labels,
      series: [
        BarSeries(name: first.name, values: first.widths),
        BarSeries(name: second.name, values: second.widths),
      ])
  }

  public func svg() -> String {
    let colors = series.enumerated().map { $0.element.color ?? Palette.color($0.offset) }
    var legend = series.enumerated().map { LegendItem($0.element.name, .swatch(color: colors[$0.offset])) }
    if series.contains(where: { !$0.lower.isEmpty }) {
      legend.append(LegendItem("94% HDI", .errorBar(color: "#333333")))
    }
    let barHeight = series.count > 2 ? 12.0 : 16.0
    let rowHeight = Double(series.count) * barHeight + 14
    var values = series.flatMap { $0.values + $0.lower + $0.upper }
    // Leave room for value labels right of the longest bar.
    if showsValues, let maxValue = finiteExtent([values])?.1, maxValue > 0 { values.append(maxValue * 1.08) }
    let frame = ChartFrame(
      width: width, title: title, xLabel: xLabel, legend: legend, categories: categories,
      rowHeight: rowHeight, xRange: finiteExtent([values]) ?? (0, 1), xIncludesZero: true)
    var canvas = SVGCanvas(width: width, height: frame.height)
    frame.drawBackground(into: &canvas)
    let zero = frame.xScale(0)
    for (row, _) in categories.enumerated() {
      let top = frame.categoryCenter(row) - Double(series.count) * barHeight / 2
      for (seriesIndex, bars) in series.enumerated() where row < bars.values.count {
        let value = bars.values[row]
        guard value.isFinite else { continue }
        let y = top + Double(seriesIndex) * barHeight
        let end = frame.xScale(value)
        canvas.rect(
          x: min(zero, end), y: y + 1, width: abs(end - zero), height: barHeight - 2,
          fill: colors[seriesIndex], title: "\(bars.name) \(categories[row]): \(formatNumber(value))")
        var labelX = end
        if row < bars.lower.count, row < bars.upper.count {
          let x1 = frame.xScale(bars.lower[row])
          let x2 = frame.xScale(bars.upper[row])
          let mid = y + barHeight / 2
          canvas.line(x1: x1, y1: mid, x2: x2, y2: mid, stroke: "#333333", width: 1.4)
          canvas.line(x1: x1, y1: mid - 4, x2: x1, y2: mid + 4, stroke: "#333333", width: 1.4)
          canvas.line(x1: x2, y1: mid - 4, x2: x2, y2: mid + 4, stroke: "#333333", width: 1.4)
          labelX = max(labelX, x2)
        }
        if showsValues {
          let text = formatNumber(value, significantDigits: 3) + valueSuffix
          let anchor: TextAnchor = value >= 0 ? .start : .end
          canvas.text(
            text, x: labelX + (value >= 0 ? 4 : -4), y: y + barHeight / 2 + 4, anchor: anchor,
            size: ChartFrame.tickSize, fill: Palette.mutedText)
        }
      }
    }
    frame.drawAxes(into: &canvas)
    return canvas.document(title: title)
  }
}

/// A horizontal waterfall: each step adds its value to a running total, drawn as a floating bar
/// from the previous total to the new one; the last row shows the total.
///
/// Suited to contribution shares: baseline, then each channel, then the total.
public struct WaterfallChart: Chart {
  public var title: String
  public var xLabel: String
  /// Step names, top to bottom.
  public var steps: [String]
  /// Step values (positive or negative).
  public var values: [Double]
  /// The label of the total row (empty: no total row).
  public var totalLabel: String
  public var valueSuffix: String
  public var width: Double

  /// Creates a waterfall chart.
  public init(
    title: String, xLabel: String, steps: [String], values: [Double], totalLabel: String = "total",
    valueSuffix: String = "", width: Double = 760
  ) {
    self.title = title
    self.xLabel = xLabel
    self.steps = steps
    self.values = values
    self.totalLabel = totalLabel
    self.valueSuffix = valueSuffix
    self.width = width
  }

  /// The start and end of each floating bar (the running total before and after the step).
  func spans() -> [(start: Double, end: Double)] {
    var total = 0.0
    return values.map { value in
      let start = total
      total += value.isFinite ? value : 0
      return (start, total)
    }
  }

  public func svg() -> String {
    let spans = spans()
    let total = spans.last?.end ?? 0
    var rows = steps
    if !totalLabel.isEmpty { rows.append(totalLabel) }
    let legend =
      [
        LegendItem("increase", .swatch(color: Palette.color(0))),
        LegendItem("decrease", .swatch(color: Palette.color(3))),
      ] + (totalLabel.isEmpty ? [] : [LegendItem(totalLabel, .swatch(color: "#777777"))])
    let ends: [Double] = spans.flatMap { span -> [Double] in [span.start, span.end] } + [total, 0]
    let maxValue = finiteExtent([ends])?.1 ?? 1
    let frame = ChartFrame(
      width: width, title: title, xLabel: xLabel, legend: legend, categories: rows, rowHeight: 30,
      xRange: finiteExtent([ends + [maxValue * 1.1]]) ?? (0, 1), xIncludesZero: true)
    var canvas = SVGCanvas(width: width, height: frame.height)
    frame.drawBackground(into: &canvas)
    var bars = spans.enumerated().map {
      (
        $0.offset, $0.element.start, $0.element.end,
        $0.element.end >= $0.element.start ? Palette.color(0) : Palette.color(3)
      )
    }
    if !totalLabel.isEmpty { bars.append((rows.count - 1, 0, total, "#777777")) }
    for (row, start, end, color) in bars {
      let centre = frame.categoryCenter(row)
      let x1 = frame.xScale(min(start, end))
      let x2 = frame.xScale(max(start, end))
      canvas.rect(x: x1, y: centre - 10, width: max(1, x2 - x1), height: 20, fill: color)
      if row > 0 {
        // Connector from the previous running total.
        let x = frame.xScale(start)
        canvas.line(
          x1: x, y1: frame.categoryCenter(row - 1) + 10, x2: x, y2: centre - 10, stroke: "#888888",
          dash: "2 2")
      }
      let value = row < values.count ? values[row] : total
      canvas.text(
        formatNumber(value, significantDigits: 3) + valueSuffix, x: x2 + 4, y: centre + 4,
        size: ChartFrame.tickSize, fill: Palette.mutedText)
    }
    frame.drawAxes(into: &canvas)
    return canvas.document(title: title)
  }
}
