import Foundation

/// How a legend entry is drawn.
public enum LegendSymbol: Sendable, Hashable {
  /// A line segment (solid or dashed).
  case line(color: String, dashed: Bool)
  /// A translucent band (interval).
  case band(color: String)
  /// A filled square (bars, stacked areas).
  case swatch(color: String)
  /// A filled circle (points, posterior means).
  case marker(color: String)
  /// A diamond (true or reference values).
  case diamond(color: String)
  /// A point with a vertical error bar (lift tests).
  case errorBar(color: String)
}

/// One legend entry.
public struct LegendItem: Sendable, Hashable {
  /// The text shown next to the symbol.
  public var label: String
  /// The symbol.
  public var symbol: LegendSymbol

  /// Creates a legend entry.
  public init(_ label: String, _ symbol: LegendSymbol) {
    self.label = label
    self.symbol = symbol
  }
}

/// The kind of a horizontal axis.
enum XAxisKind {
  /// Plain numbers with nice 1-2-5 ticks; the axis is extended to the covering ticks.
  case numeric
  /// Seconds since 1970 with calendar ticks; the axis spans the data exactly.
  case time
  /// Whole numbers (an index such as a cross-validation fold): the numeric axis's ticks that are
  /// integers, so no tick reads "0.5".
  case integer
}

/// Layout shared by every chart: title, legend, plot area, axes, ticks, grid and axis labels.
///
/// Sizes (px): title 16 bold, legend and axis labels 12, tick labels 11. The legend sits in rows
/// between the title and the plot so it never covers data.
struct ChartFrame {
  static let titleSize = 16.0
  static let labelSize = 12.0
  static let tickSize = 11.0
  static let legendRowHeight = 18.0

  let width: Double
  let height: Double
  let title: String
  let xLabel: String
  let yLabel: String
  let legend: [LegendItem]
  let legendRows: [[(item: LegendItem, x: Double)]]
  let plotLeft: Double
  let plotRight: Double
  let plotTop: Double
  let plotBottom: Double
  let xScale: LinearScale
  let xTicks: [(value: Double, label: String)]
  /// Numeric y axis: its scale and ticks; empty ticks for a category axis.
  let yScale: LinearScale
  let yTicks: [(value: Double, label: String)]
  /// Category rows (top to bottom) for horizontal charts; empty for numeric y.
  let categories: [String]
  let categoryLabels: [String]

  /// The y coordinate of the centre of category row `index`.
  func categoryCenter(_ index: Int) -> Double {
    plotTop + (Double(index) + 0.5) * rowHeight
  }

  /// The height of one category row.
  var rowHeight: Double {
    categories.isEmpty ? 0 : (plotBottom - plotTop) / Double(categories.count)
  }

  /// A frame with a numeric (or time) x axis and a numeric y axis.
  init(
    width: Double, height: Double, title: String, xLabel: String, yLabel: String,
    legend: [LegendItem], xKind: XAxisKind, xRange: (Double, Double), yRange: (Double, Double),
    yIncludesZero: Bool = false, xIncludesZero: Bool = false
  ) {
    self.width = width
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.legend = legend
    let rows = ChartFrame.layoutLegend(legend, width: width)
    legendRows = rows
    let top = ChartFrame.topMargin(title: title, legendRowCount: rows.count)
    let bottom = height - (xLabel.isEmpty ? 30 : 48)
    self.height = height
    plotTop = top
    plotBottom = max(top + 40, bottom)
    let yTickSet = NiceTicks(
      covering: yRange.0, yRange.1, targetCount: max(2, Int((plotBottom - plotTop) / 55)),
      includeZero: yIncludesZero)
    yTicks = Array(zip(yTickSet.values, yTickSet.labels))
    yScale = LinearScale(
      domainLower: yTickSet.domain.lowerBound, domainUpper: yTickSet.domain.upperBound,
      rangeStart: plotBottom, rangeEnd: plotTop)
    let widestY = yTickSet.labels.map { estimatedTextWidth($0, size: ChartFrame.tickSize) }.max() ?? 0
    plotLeft = 12 + (yLabel.isEmpty ? 0 : 20) + widestY + 8
    let (ticks, domain) = ChartFrame.xAxisTicks(
      kind: xKind, range: xRange, includeZero: xIncludesZero, plotWidth: width - 24 - plotLeft)
    xTicks = ticks
    let lastHalf = (ticks.last.map { estimatedTextWidth($0.label, size: ChartFrame.tickSize) } ?? 0) / 2
    let lastIsAtEdge = ticks.last.map { abs($0.value - domain.1) < 1e-9 * max(1, abs(domain.1)) } ?? false
    plotRight = width - max(24, lastIsAtEdge ? lastHalf + 6 : 24)
    xScale = LinearScale(
      domainLower: domain.0, domainUpper: domain.1, rangeStart: plotLeft, rangeEnd: plotRight)
    categories = []
    categoryLabels = []
  }

  /// A frame with category rows on the y axis and a numeric x axis (horizontal bars, intervals);
  /// the height follows from the number of rows.
  init(
    width: Double, title: String, xLabel: String, legend: [LegendItem], categories: [String],
    rowHeight: Double, xRange: (Double, Double), xIncludesZero: Bool
  ) {
    self.width = width
    self.title = title
    self.xLabel = xLabel
    self.yLabel = ""
    self.legend = legend
    let rows = ChartFrame.layoutLegend(legend, width: width)
    legendRows = rows
    plotTop = ChartFrame.topMargin(title: title, legendRowCount: rows.count)
    plotBottom = plotTop + rowHeight * Double(max(1, categories.count))
    height = plotBottom + (xLabel.isEmpty ? 30 : 48)
    self.categories = categories
    let maxLabelWidth = width * 0.4
    categoryLabels = categories.map {
      ChartFrame.truncated($0, width: maxLabelWidth, size: ChartFrame.labelSize)
    }
    let widest = categoryLabels.map { estimatedTextWidth($0, size: ChartFrame.labelSize) }.max() ?? 0
    plotLeft = 12 + widest + 10
    let (ticks, domain) = ChartFrame.xAxisTicks(
      kind: .numeric, range: xRange, includeZero: xIncludesZero, plotWidth: width - 24 - plotLeft)
    xTicks = ticks
    let lastHalf = (ticks.last.map { estimatedTextWidth($0.label, size: ChartFrame.tickSize) } ?? 0) / 2
    plotRight = width - max(24, lastHalf + 6)
    xScale = LinearScale(
      domainLower: domain.0, domainUpper: domain.1, rangeStart: plotLeft, rangeEnd: plotRight)
    yScale = LinearScale(domainLower: 0, domainUpper: 1, rangeStart: plotBottom, rangeEnd: plotTop)
    yTicks = []
  }

  static func topMargin(title: String, legendRowCount: Int) -> Double {
    let titleBlock = title.isEmpty ? 10.0 : 34.0
    let legendBlock = legendRowCount == 0 ? 0 : Double(legendRowCount) * legendRowHeight + 6
    return titleBlock + legendBlock + 10
  }

  /// Shortens `text` with an ellipsis so it fits in `width` px.
  static func truncated(_ text: String, width: Double, size: Double) -> String {
    if estimatedTextWidth(text, size: size) <= width { return text }
    var kept = text
    while !kept.isEmpty && estimatedTextWidth(kept + "…", size: size) > width {
      kept.removeLast()
    }
    return kept + "…"
  }

  /// Ticks for a horizontal axis, thinned until the labels do not overlap.
  static func xAxisTicks(
    kind: XAxisKind, range: (Double, Double), includeZero: Bool, plotWidth: Double
  ) -> ([(value: Double, label: String)], (Double, Double)) {
    var target = max(2, Int(plotWidth / 80))
    while true {
      let ticks: [(Double, String)]
      let domain: (Double, Double)
      switch kind {
      case .numeric, .integer:
        let nice = NiceTicks(covering: range.0, range.1, targetCount: target, includeZero: includeZero)
        if kind == .numeric {
          ticks = Array(zip(nice.values, nice.labels))
        } else {
          // Whole numbers, labelled without the decimals a finer step would give ("1", not "1.0").
          ticks = nice.values.filter { $0 == $0.rounded() && abs($0) < 1e15 }.map { ($0, String(Int($0))) }
        }
        domain = (nice.domain.lowerBound, nice.domain.upperBound)
      case .time:
        let lower = min(range.0, range.1)
        var upper = max(range.0, range.1)
        if upper == lower { upper = lower + 86_400 }
        let dates = DateTicks(covering: lower, upper, maxCount: target)
        ticks = Array(zip(dates.values, dates.labels))
        domain = (lower, upper)
      }
      let span = domain.1 - domain.0
      var fits = true
      if ticks.count >= 2, span > 0 {
        for index in 1..<ticks.count {
          let gap = (ticks[index].0 - ticks[index - 1].0) / span * plotWidth
          let needed =
            (estimatedTextWidth(ticks[index].1, size: tickSize)
              + estimatedTextWidth(ticks[index - 1].1, size: tickSize)) / 2 + 10
          if gap < needed { fits = false }
        }
      }
      if fits || target <= 2 {
        return (ticks.map { (value: $0.0, label: $0.1) }, domain)
      }
      target -= 1
    }
  }

  /// Places legend entries left to right, wrapping into rows that fit in the chart width.
  static func layoutLegend(_ items: [LegendItem], width: Double) -> [[(item: LegendItem, x: Double)]] {
    var rows: [[(item: LegendItem, x: Double)]] = []
    var current: [(item: LegendItem, x: Double)] = []
    var x = 16.0
    for item in items {
      let itemWidth = 26 + estimatedTextWidth(item.label, size: labelSize) + 16
      if !current.isEmpty && x + itemWidth > width - 12 {
        rows.append(current)
        current = []
        x = 16
      }
      current.append((item, x))
      x += itemWidth
    }
    if !current.isEmpty { rows.append(current) }
    return rows
  }

  /// Draws the title, legend, grid, axes, ticks and axis labels.
  func drawBackground(into canvas: inout SVGCanvas) {
    if !title.isEmpty {
      canvas.text(title, x: 16, y: 24, size: ChartFrame.titleSize, weight: "bold")
    }
    drawLegend(into: &canvas)
    // Vertical grid lines and x ticks.
    for tick in xTicks {
      let x = xScale(tick.value)
      canvas.line(x1: x, y1: plotTop, x2: x, y2: plotBottom, stroke: Palette.grid)
    }
    for tick in yTicks {
      let y = yScale(tick.value)
      canvas.line(x1: plotLeft, y1: y, x2: plotRight, y2: y, stroke: Palette.grid)
    }
    if !yTicks.isEmpty, yScale.domainLower < 0, yScale.domainUpper > 0 {
      let y = yScale(0)
      canvas.line(x1: plotLeft, y1: y, x2: plotRight, y2: y, stroke: "#9a9a9a", width: 1)
    }
    if categories.isEmpty == false, xScale.domainLower < 0, xScale.domainUpper > 0 {
      let x = xScale(0)
      canvas.line(x1: x, y1: plotTop, x2: x, y2: plotBottom, stroke: "#9a9a9a", width: 1)
    }
  }

  /// Draws the axis lines, ticks and labels (after the data, so they stay on top).
  func drawAxes(into canvas: inout SVGCanvas) {
    canvas.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: Palette.axis)
    canvas.line(x1: plotLeft, y1: plotTop, x2: plotLeft, y2: plotBottom, stroke: Palette.axis)
    for tick in xTicks {
      let x = xScale(tick.value)
      canvas.line(x1: x, y1: plotBottom, x2: x, y2: plotBottom + 5, stroke: Palette.axis)
      let half = estimatedTextWidth(tick.label, size: ChartFrame.tickSize) / 2
      // Keep labels inside the picture: anchor at the edge if centring would clip them.
      var anchor = TextAnchor.middle
      var labelX = x
      if x + half > width - 2 {
        anchor = .end
        labelX = width - 2
      } else if x - half < 2 {
        anchor = .start
        labelX = 2
      }
      canvas.text(
        tick.label, x: labelX, y: plotBottom + 18, anchor: anchor, size: ChartFrame.tickSize,
        fill: Palette.mutedText)
    }
    for tick in yTicks {
      let y = yScale(tick.value)
      canvas.line(x1: plotLeft - 5, y1: y, x2: plotLeft, y2: y, stroke: Palette.axis)
      canvas.text(
        tick.label, x: plotLeft - 8, y: y + 4, anchor: .end, size: ChartFrame.tickSize,
        fill: Palette.mutedText)
    }
    for (index, label) in categoryLabels.enumerated() {
      canvas.text(
        label, x: plotLeft - 8, y: categoryCenter(index) + 4, anchor: .end,
        size: ChartFrame.labelSize)
    }
    if !xLabel.isEmpty {
      canvas.text(
        xLabel, x: (plotLeft + plotRight) / 2, y: plotBottom + 38, anchor: .middle,
        size: ChartFrame.labelSize)
    }
    if !yLabel.isEmpty {
      let centre = (plotTop + plotBottom) / 2
      canvas.text(yLabel, x: 16, y: centre, anchor: .middle, size: ChartFrame.labelSize, rotate: -90)
    }
  }

  func drawLegend(into canvas: inout SVGCanvas) {
    let firstRowY = (title.isEmpty ? 10.0 : 34.0) + 10
    for (rowIndex, row) in legendRows.enumerated() {
      let y = firstRowY + Double(rowIndex) * ChartFrame.legendRowHeight
      for (item, x) in row {
        ChartFrame.drawSymbol(item.symbol, x: x, y: y, into: &canvas)
        canvas.text(item.label, x: x + 26, y: y + 4, size: ChartFrame.labelSize)
      }
    }
  }

  /// Draws a legend symbol in the 20 x 12 box whose left-middle point is (`x`, `y`).
  static func drawSymbol(_ symbol: LegendSymbol, x: Double, y: Double, into canvas: inout SVGCanvas) {
    switch symbol {
    case .line(let color, let dashed):
      canvas.line(x1: x, y1: y, x2: x + 20, y2: y, stroke: color, width: 2.5, dash: dashed ? "6 4" : nil)
    case .band(let color):
      canvas.rect(x: x, y: y - 6, width: 20, height: 12, fill: color, fillOpacity: 0.25)
    case .swatch(let color):
      canvas.rect(x: x + 2, y: y - 6, width: 16, height: 12, fill: color)
    case .marker(let color):
      canvas.circle(cx: x + 10, cy: y, r: 4.5, fill: color, stroke: "#ffffff")
    case .diamond(let color):
      canvas.diamond(cx: x + 10, cy: y, r: 5.5, fill: color, stroke: "#ffffff")
    case .errorBar(let color):
      canvas.line(x1: x + 10, y1: y - 7, x2: x + 10, y2: y + 7, stroke: color, width: 1.5)
      canvas.line(x1: x + 6, y1: y - 7, x2: x + 14, y2: y - 7, stroke: color, width: 1.5)
      canvas.line(x1: x + 6, y1: y + 7, x2: x + 14, y2: y + 7, stroke: color, width: 1.5)
      canvas.circle(cx: x + 10, cy: y, r: 3.5, fill: "#ffffff", stroke: color)
    }
  }
}

/// The smallest and largest finite values of all the arrays, or `nil` if there are none.
func finiteExtent(_ arrays: [[Double]]) -> (Double, Double)? {
  var low = Double.infinity
  var high = -Double.infinity
  for array in arrays {
    for value in array where value.isFinite {
      low = min(low, value)
      high = max(high, value)
    }
  }
  return low <= high ? (low, high) : nil
}
