import Foundation

/// One layer of a stacked area chart.
public struct AreaComponent: Sendable, Hashable {
  /// The legend label (e.g. a channel name, "baseline").
  public var name: String
  /// One value per x position; negative values stack downwards from 0.
  public var values: [Double]
  /// An explicit colour; `nil` takes the next palette colour.
  public var color: String?

  /// Creates a layer.
  public init(name: String, values: [Double], color: String? = nil) {
    self.name = name
    self.values = values
    self.color = color
  }
}

/// Contributions over time: layers stacked on each other (positive parts upwards from 0,
/// negative parts downwards), optionally with lines drawn on top (observed sales, the model's
/// mean).
///
/// ```swift
/// StackedAreaChart(title: "Contributions", xLabel: "Week", yLabel: "Sales (units)",
///                  dates: weeks,
///                  components: [AreaComponent(name: "baseline", values: base),
///                               AreaComponent(name: "TV", values: tv)],
///                  overlays: [Series(name: "observed", dates: weeks, y: sales, markersOnly: true)])
/// ```
public struct StackedAreaChart: Chart {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  /// The x positions shared by all layers (seconds since 1970 when `isTime`).
  public var x: [Double]
  public var isTime: Bool
  /// The layers, bottom first.
  public var components: [AreaComponent]
  /// Lines drawn over the areas.
  public var overlays: [Series]
  public var width: Double
  public var height: Double

  /// A stacked area chart over numeric x.
  public init(
    title: String, xLabel: String, yLabel: String, x: [Double], components: [AreaComponent],
    overlays: [Series] = [], width: Double = 760, height: Double = 400
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.x = x
    self.isTime = false
    self.components = components
    self.overlays = overlays
    self.width = width
    self.height = height
  }

  /// A stacked area chart over dates.
  public init(
    title: String, xLabel: String, yLabel: String, dates: [Date], components: [AreaComponent],
    overlays: [Series] = [], width: Double = 760, height: Double = 400
  ) {
    self.init(
      title: title, xLabel: xLabel, yLabel: yLabel, x: timePositions(dates), components: components,
      overlays: overlays, width: width, height: height)
    self.isTime = true
  }

  /// The lower and upper edge of every layer at every x: positive values stack up from 0,
  /// negative values stack down from 0; non-finite values count as 0.
  func stackedEdges() -> [(lower: [Double], upper: [Double])] {
    var positive = [Double](repeating: 0, count: x.count)
    var negative = [Double](repeating: 0, count: x.count)
    return components.map { component in
      var lower = [Double](repeating: 0, count: x.count)
      var upper = [Double](repeating: 0, count: x.count)
      for index in 0..<x.count {
        let value =
          index < component.values.count && component.values[index].isFinite
          ? component.values[index] : 0
        if value >= 0 {
          lower[index] = positive[index]
          positive[index] += value
          upper[index] = positive[index]
        } else {
          upper[index] = negative[index]
          negative[index] += value
          lower[index] = negative[index]
        }
      }
      return (lower, upper)
    }
  }

  public func svg() -> String {
    let edges = stackedEdges()
    let areaColors = components.enumerated().map { $0.element.color ?? Palette.color($0.offset) }
    let lineColors = overlays.enumerated().map {
      $0.element.color ?? (($0.offset == 0) ? Palette.truth : Palette.color(components.count + $0.offset))
    }
    var legend = components.enumerated().map {
      LegendItem($0.element.name, .swatch(color: areaColors[$0.offset]))
    }
    for (index, line) in overlays.enumerated() where !line.name.isEmpty {
      legend.append(
        LegendItem(
          line.name,
          line.markersOnly
            ? .marker(color: lineColors[index]) : .line(color: lineColors[index], dashed: line.dashed)))
    }
    let yExtent =
      finiteExtent(edges.map(\.lower) + edges.map(\.upper) + overlays.map(\.y) + [[0]]) ?? (0, 1)
    let xExtent = finiteExtent([x] + overlays.map(\.x)) ?? (0, 1)
    let frame = ChartFrame(
      width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
      xKind: isTime ? .time : .numeric, xRange: xExtent, yRange: yExtent, yIncludesZero: true)
    var canvas = SVGCanvas(width: width, height: height)
    frame.drawBackground(into: &canvas)
    for (index, edge) in edges.enumerated() {
      let band = Band(name: components[index].name, x: x, lower: edge.lower, upper: edge.upper, opacity: 0.85)
      drawBand(band, color: areaColors[index], frame: frame, into: &canvas)
    }
    for (index, line) in overlays.enumerated() {
      let count = min(line.x.count, line.y.count)
      let points = (0..<count).map {
        (frame.xScale(line.x[$0]), line.y[$0].isFinite ? frame.yScale(line.y[$0]) : .nan)
      }
      if !line.markersOnly {
        canvas.polyline(points, stroke: lineColors[index], width: 1.8, dash: line.dashed ? "6 4" : nil)
      }
      if line.showsMarkers {
        for point in points where point.1.isFinite {
          canvas.circle(cx: point.0, cy: point.1, r: count > 150 ? 1.6 : 2.4, fill: lineColors[index])
        }
      }
    }
    frame.drawAxes(into: &canvas)
    return canvas.document(title: title)
  }
}
