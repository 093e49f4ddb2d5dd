import Foundation
import MMM

// Minimal SVG for the demonstration (the Reports module's chart toolkit was not on main when this
// was written): a line chart of daily effects and an interval chart of effect posteriors.

extension CalibrationTrapDemo.Result {
  static let palette = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#0072B2"]

  /// True vs estimated daily effect of switching impressions_x2 off, over the window, per model.
  public func effectOverWindowSVG() -> String {
    let days = Array(CalibrationTrapDemo.window)
    var series: [(String, [Double], String, Bool)] = [("truth (SCM)", trueDailyGoDark, "#000000", false)]
    for (index, model) in models.enumerated() {
      series.append((model.name, model.dailyGoDark.map(\.mean), Self.palette[index % Self.palette.count], true))
    }
    let values = series.flatMap(\.1)
    let chart = SVGChart(
      title: "Daily effect of do(impressions_x2 := 0), days \(days.first!)-\(days.last!)",
      xLabel: "day", yLabel: "effect on target per day",
      xRange: Double(days.first!)...Double(days.last!), yRange: (values.min() ?? -1)...(max(values.max() ?? 0, 0)))
    var body = ""
    for (name, ys, color, dashed) in series {
      let points = zip(days, ys).map { chart.point(Double($0), $1) }
      body += chart.polyline(points, color: color, dashed: dashed)
      _ = name
    }
    body += chart.legend(series.map { ($0.0, $0.2) })
    return chart.document(body)
  }

  /// Each model's posterior of an estimand (mean and 94% HDI) with the truth marked.
  public func posteriorsSVG(estimand key: String) -> String {
    let rows = models.compactMap { model in model.estimates[key].map { (model.name, $0) } }
    let truthValue = truth(of: key)
    let low = min(rows.map(\.1.hdiLower).min() ?? truthValue, truthValue)
    let high = max(rows.map(\.1.hdiUpper).max() ?? truthValue, truthValue)
    let pad = 0.08 * max(high - low, 1)
    let chart = SVGChart(
      title: "\(key): posterior mean and 94% HDI per model; truth \(String(format: "%.0f", truthValue))",
      xLabel: "summed effect on target", yLabel: "", xRange: (low - pad)...(high + pad),
      yRange: 0...Double(max(rows.count, 1)), leftMargin: 170)
    var body = chart.verticalLine(at: truthValue, color: "#000000", label: "truth")
    for (index, (name, estimate)) in rows.enumerated() {
      let y = Double(rows.count - index) - 0.5
      let color = Self.palette[index % Self.palette.count]
      body += chart.polyline([chart.point(estimate.hdiLower, y), chart.point(estimate.hdiUpper, y)], color: color, width: 4)
      let (cx, cy) = chart.point(estimate.mean, y)
      body += "<circle cx=\"\(svgNumber(cx))\" cy=\"\(svgNumber(cy))\" r=\"5\" fill=\"\(color)\"/>\n"
      body += "<text x=\"\(svgNumber(chart.left - 8))\" y=\"\(svgNumber(cy + 4))\" text-anchor=\"end\" font-size=\"12\">\(svgEscape(name))</text>\n"
    }
    return chart.document(body)
  }
}

/// A fixed-size plot area with linear axes.
struct SVGChart {
  let title: String
  let xLabel: String
  let yLabel: String
  let xRange: ClosedRange<Double>
  let yRange: ClosedRange<Double>
  let width = 760.0
  let height = 420.0
  var left = 70.0
  let right = 190.0
  let top = 40.0
  let bottom = 50.0

  init(
    title: String, xLabel: String, yLabel: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
    leftMargin: Double = 70
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xRange = xRange.lowerBound < xRange.upperBound ? xRange : (xRange.lowerBound - 1)...(xRange.upperBound + 1)
    self.yRange = yRange.lowerBound < yRange.upperBound ? yRange : (yRange.lowerBound - 1)...(yRange.upperBound + 1)
    self.left = leftMargin
  }

  func point(_ x: Double, _ y: Double) -> (Double, Double) {
    let px = left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right)
    let py = top + (yRange.upperBound - y) / (yRange.upperBound - yRange.lowerBound) * (height - top - bottom)
    return (px, py)
  }

  func polyline(_ points: [(Double, Double)], color: String, dashed: Bool = false, width: Double = 2) -> String {
    let coordinates = points.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ")
    return "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(svgNumber(width))\""
      + (dashed ? " stroke-dasharray=\"6 3\"" : "") + "/>\n"
  }

  func verticalLine(at x: Double, color: String, label: String) -> String {
    let (px, _) = point(x, yRange.lowerBound)
    return "<line x1=\"\(svgNumber(px))\" y1=\"\(svgNumber(top))\" x2=\"\(svgNumber(px))\" y2=\"\(svgNumber(height - bottom))\" stroke=\"\(color)\" stroke-dasharray=\"4 3\"/>\n"
      + "<text x=\"\(svgNumber(px + 4))\" y=\"\(svgNumber(top + 12))\" font-size=\"11\">\(svgEscape(label))</text>\n"
  }

  func legend(_ entries: [(String, String)]) -> String {
    var text = ""
    for (index, (name, color)) in entries.enumerated() {
      let y = top + 10 + Double(index) * 18
      text += "<line x1=\"\(svgNumber(width - right + 12))\" y1=\"\(svgNumber(y))\" x2=\"\(svgNumber(width - right + 36))\" y2=\"\(svgNumber(y))\" stroke=\"\(color)\" stroke-width=\"3\"/>\n"
      text += "<text x=\"\(svgNumber(width - right + 42))\" y=\"\(svgNumber(y + 4))\" font-size=\"11\">\(svgEscape(name))</text>\n"
    }
    return text
  }

  func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
    let span = range.upperBound - range.lowerBound
    let raw = span / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var values: [Double] = []
    var value = ceil(range.lowerBound / step) * step
    while value <= range.upperBound + 1e-9 * span {
      values.append(value)
      value += step
    }
    return values
  }

  func document(_ body: String) -> String {
    var axes = "<rect x=\"\(svgNumber(left))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(width - left - right))\" height=\"\(svgNumber(height - top - bottom))\" fill=\"none\" stroke=\"#888\"/>\n"
    for tick in ticks(xRange) {
      let (px, py) = point(tick, yRange.lowerBound)
      axes += "<text x=\"\(svgNumber(px))\" y=\"\(svgNumber(py + 16))\" text-anchor=\"middle\" font-size=\"11\">\(label(tick))</text>\n"
    }
    if !yLabel.isEmpty {
      for tick in ticks(yRange) {
        let (px, py) = point(xRange.lowerBound, tick)
        axes += "<text x=\"\(svgNumber(px - 6))\" y=\"\(svgNumber(py + 4))\" text-anchor=\"end\" font-size=\"11\">\(label(tick))</text>\n"
      }
      axes += "<text x=\"14\" y=\"\(svgNumber(top + (height - top - bottom) / 2))\" font-size=\"12\" transform=\"rotate(-90 14 \(svgNumber(top + (height - top - bottom) / 2)))\" text-anchor=\"middle\">\(svgEscape(yLabel))</text>\n"
    }
    axes += "<text x=\"\(svgNumber(left + (width - left - right) / 2))\" y=\"\(svgNumber(height - 12))\" text-anchor=\"middle\" font-size=\"12\">\(svgEscape(xLabel))</text>\n"
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\">\n"
      + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      + "<text x=\"\(svgNumber(left))\" y=\"22\" font-size=\"14\">\(svgEscape(title))</text>\n" + axes + body + "</svg>\n"
  }

  func label(_ value: Double) -> String {
    abs(value) >= 100 || value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.2g", value)
  }
}

func svgNumber(_ value: Double) -> String { String(format: "%.1f", value) }

func svgEscape(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;")
}
