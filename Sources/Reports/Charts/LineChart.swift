import Foundation

/// A chart that draws itself as a standalone SVG document.
public protocol Chart: Sendable {
  /// The chart's title (also the SVG `<title>`).
  var title: String { get }
  /// The chart as a standalone SVG document (UTF-8 text, SVG namespace, no XML prolog).
  func svg() -> String
}

/// Converts dates to the numeric positions used on a time axis (seconds since 1970).
func timePositions(_ dates: [Date]) -> [Double] { dates.map(\.timeIntervalSince1970) }

/// One line: points (`x[i]`, `y[i]`); non-finite y values leave a gap.
public struct Series: Sendable, Hashable {
  /// The legend label (empty: not listed in the legend).
  public var name: String
  /// The x positions (numbers, or seconds since 1970 when `isTime`).
  public var x: [Double]
  /// The y values, one per x.
  public var y: [Double]
  /// Whether `x` holds dates (the chart then draws a calendar axis).
  public var isTime: Bool
  /// A dashed line (e.g. the true curve).
  public var dashed: Bool
  /// Draw a dot at each point (observations).
  public var showsMarkers: Bool
  /// Draw only the dots, no line.
  public var markersOnly: Bool
  /// An explicit colour (`#rrggbb`); `nil` takes the next palette colour.
  public var color: String?

  /// A series over numeric x.
  public init(
    name: String, x: [Double], y: [Double], dashed: Bool = false, showsMarkers: Bool = false,
    markersOnly: Bool = false, color: String? = nil
  ) {
    self.name = name
    self.x = x
    self.y = y
    self.isTime = false
    self.dashed = dashed
    self.showsMarkers = showsMarkers || markersOnly
    self.markersOnly = markersOnly
    self.color = color
  }

  /// A series over dates (a time axis).
  public init(
    name: String, dates: [Date], y: [Double], dashed: Bool = false, showsMarkers: Bool = false,
    markersOnly: Bool = false, color: String? = nil
  ) {
    self.init(
      name: name, x: timePositions(dates), y: y, dashed: dashed, showsMarkers: showsMarkers,
      markersOnly: markersOnly, color: color)
    self.isTime = true
  }
}

/// A shaded interval between `lower[i]` and `upper[i]` at `x[i]` (a posterior predictive band or
/// an HDI).
public struct Band: Sendable, Hashable {
  /// The legend label, e.g. "94% HDI" (empty: not listed in the legend).
  public var name: String
  /// The x positions (numbers, or seconds since 1970 when `isTime`).
  public var x: [Double]
  /// The lower edge.
  public var lower: [Double]
  /// The upper edge.
  public var upper: [Double]
  /// Whether `x` holds dates.
  public var isTime: Bool
  /// An explicit colour; `nil` uses the colour of the series with the same name, else the next
  /// palette colour.
  public var color: String?
  /// The fill opacity.
  public var opacity: Double

  /// A band over numeric x.
  public init(
    name: String, x: [Double], lower: [Double], upper: [Double], color: String? = nil,
    opacity: Double = 0.22
  ) {
    self.name = name
    self.x = x
    self.lower = lower
    self.upper = upper
    self.isTime = false
    self.color = color
    self.opacity = opacity
  }

  /// A band over dates.
  public init(
    name: String, dates: [Date], lower: [Double], upper: [Double], color: String? = nil,
    opacity: Double = 0.22
  ) {
    self.init(
      name: name, x: timePositions(dates), lower: lower, upper: upper, color: color, opacity: opacity)
    self.isTime = true
  }
}

/// A labelled vertical line (a train/test split, the start of an experiment).
public struct VerticalMarker: Sendable, Hashable {
  /// The x position (seconds since 1970 on a time axis).
  public var x: Double
  /// The text written at the top of the line.
  public var label: String

  /// A marker at a numeric position.
  public init(x: Double, label: String) {
    self.x = x
    self.label = label
  }

  /// A marker at a date.
  public init(date: Date, label: String) {
    self.init(x: date.timeIntervalSince1970, label: label)
  }
}

/// A line chart: one or more series over numbers or dates, shaded bands behind them, and
/// optional vertical markers.
///
/// ```swift
/// LineChart(title: "Sales", xLabel: "Week", yLabel: "Sales (units)",
///           series: [Series(name: "observed", dates: weeks, y: sales, markersOnly: true),
///                    Series(name: "posterior mean", dates: weeks, y: mean)],
///           bands: [Band(name: "94% HDI", dates: weeks, lower: low, upper: high)])
/// ```
public struct LineChart: Chart {
  public var title: String
  /// The x-axis label, with units.
  public var xLabel: String
  /// The y-axis label, with units.
  public var yLabel: String
  /// The lines, drawn in order over the bands.
  public var series: [Series]
  /// The shaded intervals.
  public var bands: [Band]
  /// Vertical reference lines.
  public var markers: [VerticalMarker]
  /// Extend the y axis to include 0.
  public var yIncludesZero: Bool
  /// Tick the x axis at whole numbers only (an index such as a fold).
  public var integerX: Bool
  /// The picture size in px.
  public var width: Double
  public var height: Double

  /// Creates a line chart.
  public init(
    title: String, xLabel: String, yLabel: String, series: [Series], bands: [Band] = [],
    markers: [VerticalMarker] = [], yIncludesZero: Bool = false, integerX: Bool = false, width: Double = 760,
    height: Double = 400
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.bands = bands
    self.markers = markers
    self.yIncludesZero = yIncludesZero
    self.integerX = integerX
    self.width = width
    self.height = height
  }

  /// The colour of each series (explicit, else the palette in order).
  func seriesColors() -> [String] {
    series.enumerated().map { index, line in line.color ?? Palette.color(index) }
  }

  /// The colour of each band: explicit, else its namesake series', else the palette after the
  /// series colours.
  func bandColors() -> [String] {
    let colors = seriesColors()
    return bands.enumerated().map { index, band in
      if let color = band.color { return color }
      if let match = series.firstIndex(where: { $0.name == band.name }) { return colors[match] }
      return Palette.color(index)
    }
  }

  public func svg() -> String {
    let colors = seriesColors()
    let bandColor = bandColors()
    var legend: [LegendItem] = []
    for (index, band) in bands.enumerated() where !band.name.isEmpty {
      if !series.contains(where: { $0.name == band.name }) {
        legend.append(LegendItem(band.name, .band(color: bandColor[index])))
      }
    }
    for (index, line) in series.enumerated() where !line.name.isEmpty {
      let symbol: LegendSymbol =
        line.markersOnly ? .marker(color: colors[index]) : .line(color: colors[index], dashed: line.dashed)
      legend.append(LegendItem(line.name, symbol))
    }
    let isTime = series.contains(where: \.isTime) || bands.contains(where: \.isTime)
    let xExtent =
      finiteExtent(series.map(\.x) + bands.map(\.x) + [markers.map(\.x)]) ?? (0, 1)
    let yExtent = finiteExtent(series.map(\.y) + bands.map(\.lower) + bands.map(\.upper)) ?? (0, 1)
    let frame = ChartFrame(
      width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
      xKind: isTime ? .time : integerX ? .integer : .numeric, xRange: xExtent, yRange: yExtent,
      yIncludesZero: yIncludesZero)
    var canvas = SVGCanvas(width: width, height: height)
    frame.drawBackground(into: &canvas)
    for (index, band) in bands.enumerated() {
      drawBand(band, color: bandColor[index], frame: frame, into: &canvas)
    }
    for (index, line) in series.enumerated() {
      let count = min(line.x.count, line.y.count)
      let points = (0..<count).map {
        (frame.xScale(line.x[$0]), line.y[$0].isFinite ? frame.yScale(line.y[$0]) : .nan)
      }
      if !line.markersOnly {
        canvas.polyline(points, stroke: colors[index], width: 2, dash: line.dashed ? "6 4" : nil)
      }
      if line.showsMarkers {
        let radius = count > 150 ? 1.8 : 2.8
        for point in points where point.1.isFinite {
          canvas.circle(cx: point.0, cy: point.1, r: radius, fill: colors[index])
        }
      }
    }
    for marker in markers {
      let x = frame.xScale(marker.x)
      canvas.line(
        x1: x, y1: frame.plotTop, x2: x, y2: frame.plotBottom, stroke: "#666666", width: 1.2, dash: "4 3")
      canvas.text(marker.label, x: x + 4, y: frame.plotTop + 12, size: ChartFrame.tickSize, fill: "#444444")
    }
    frame.drawAxes(into: &canvas)
    return canvas.document(title: title)
  }
}

/// Fills the polygon between a band's edges; non-finite points split the band.
func drawBand(_ band: Band, color: String, frame: ChartFrame, into canvas: inout SVGCanvas) {
  let count = min(band.x.count, band.lower.count, band.upper.count)
  var run: [Int] = []
  func flush() {
    if run.count >= 2 {
      let top = run.map { (frame.xScale(band.x[$0]), frame.yScale(band.upper[$0])) }
      let bottom = run.reversed().map { (frame.xScale(band.x[$0]), frame.yScale(band.lower[$0])) }
      canvas.polygon(top + bottom, fill: color, fillOpacity: band.opacity)
    }
    run.removeAll()
  }
  for index in 0..<count {
    if band.x[index].isFinite && band.lower[index].isFinite && band.upper[index].isFinite {
      run.append(index)
    } else {
      flush()
    }
  }
  flush()
}
