import Foundation

/// A lift test in PyMC-Marketing's form: raising spend from `x` to `x + deltaX` changed the
/// outcome by `deltaY` with standard error `sigma`.
public struct LiftTestMark: Sendable, Hashable {
  public var x: Double
  public var deltaX: Double
  public var deltaY: Double
  public var sigma: Double

  /// Creates a lift-test mark.
  public init(x: Double, deltaX: Double, deltaY: Double, sigma: Double) {
    self.x = x
    self.deltaX = deltaX
    self.deltaY = deltaY
    self.sigma = sigma
  }
}

/// One channel's response curve: the posterior mean and HDI of the contribution at each spend
/// level on `x`, the true curve when known, and the channel's lift tests.
public struct SaturationCurve: Sendable, Hashable {
  /// The channel name (legend).
  public var name: String
  /// Spend levels, ascending.
  public var x: [Double]
  /// Posterior mean contribution at each spend level.
  public var mean: [Double]
  /// Lower HDI edge (empty: no band).
  public var lower: [Double]
  /// Upper HDI edge (empty: no band).
  public var upper: [Double]
  /// The true contribution at each spend level (empty when unknown).
  public var truth: [Double]
  /// Lift tests of this channel, drawn on the posterior-mean curve.
  public var liftTests: [LiftTestMark]
  /// An explicit colour; `nil` takes the next palette colour.
  public var color: String?

  /// Creates a curve.
  public init(
    name: String, x: [Double], mean: [Double], lower: [Double] = [], upper: [Double] = [],
    truth: [Double] = [], liftTests: [LiftTestMark] = [], color: String? = nil
  ) {
    self.name = name
    self.x = x
    self.mean = mean
    self.lower = lower
    self.upper = upper
    self.truth = truth
    self.liftTests = liftTests
    self.color = color
  }
}

/// Saturation (response) curves with HDI bands, the true curves dashed, and lift tests drawn on
/// the posterior-mean curve.
///
/// A lift test starts at the mean curve's value at its spend `x` (a hollow dot) and ends at
/// (`x + deltaX`, start + `deltaY`) with an error bar of +/- `errorBarSigmas` x `sigma`; if the
/// model agrees with the test, the end point lies on the curve.
public struct SaturationChart: Chart {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var curves: [SaturationCurve]
  /// The band's legend label.
  public var bandLabel: String
  /// Error bars span +/- this many standard errors.
  public var errorBarSigmas: Double
  public var width: Double
  public var height: Double

  /// Creates a saturation chart.
  public init(
    title: String, xLabel: String, yLabel: String, curves: [SaturationCurve],
    bandLabel: String = "94% HDI", errorBarSigmas: Double = 1, width: Double = 760,
    height: Double = 420
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.curves = curves
    self.bandLabel = bandLabel
    self.errorBarSigmas = errorBarSigmas
    self.width = width
    self.height = height
  }

  /// The value of the piecewise-linear curve through (`xs`, `ys`) at `x` (clamped at the ends).
  static func interpolate(xs: [Double], ys: [Double], at x: Double) -> Double {
    let count = min(xs.count, ys.count)
    guard count > 0 else { return .nan }
    if x <= xs[0] { return ys[0] }
    if x >= xs[count - 1] { return ys[count - 1] }
    var high = 1
    while high < count - 1 && xs[high] < x { high += 1 }
    let low = high - 1
    let span = xs[high] - xs[low]
    if span == 0 { return ys[low] }
    return ys[low] + (x - xs[low]) / span * (ys[high] - ys[low])
  }

  /// Start and end points of each lift test of `curve`, and the end's error-bar half-height.
  func liftTestGeometry(_ curve: SaturationCurve) -> [(
    start: (Double, Double), end: (Double, Double), halfBar: Double
  )] {
    curve.liftTests.map { test in
      let start = SaturationChart.interpolate(xs: curve.x, ys: curve.mean, at: test.x)
      return ((test.x, start), (test.x + test.deltaX, start + test.deltaY), errorBarSigmas * test.sigma)
    }
  }

  public func svg() -> String {
    let colors = curves.enumerated().map { $0.element.color ?? Palette.color($0.offset) }
    var legend = curves.enumerated().map {
      LegendItem($0.element.name, .line(color: colors[$0.offset], dashed: false))
    }
    if curves.contains(where: { !$0.lower.isEmpty }) {
      legend.append(LegendItem(bandLabel, .band(color: "#777777")))
    }
    if curves.contains(where: { !$0.truth.isEmpty }) {
      legend.append(LegendItem("true curve", .line(color: "#555555", dashed: true)))
    }
    if curves.contains(where: { !$0.liftTests.isEmpty }) {
      let sigmas = errorBarSigmas == 1 ? "" : formatNumber(errorBarSigmas, significantDigits: 2) + " "
      legend.append(LegendItem("lift test (\u{00B1}\(sigmas)\u{03C3})", .errorBar(color: "#555555")))
    }
    var ys: [[Double]] = []
    var xs: [[Double]] = []
    for curve in curves {
      ys += [curve.mean, curve.lower, curve.upper, curve.truth]
      xs.append(curve.x)
      for piece in liftTestGeometry(curve) {
        xs.append([piece.start.0, piece.end.0])
        ys.append([piece.start.1, piece.end.1 - piece.halfBar, piece.end.1 + piece.halfBar])
      }
    }
    let frame = ChartFrame(
      width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
      xKind: .numeric, xRange: finiteExtent(xs) ?? (0, 1), yRange: finiteExtent(ys) ?? (0, 1),
      yIncludesZero: true, xIncludesZero: true)
    var canvas = SVGCanvas(width: width, height: height)
    frame.drawBackground(into: &canvas)
    for (index, curve) in curves.enumerated() where !curve.lower.isEmpty && !curve.upper.isEmpty {
      drawBand(
        Band(name: curve.name, x: curve.x, lower: curve.lower, upper: curve.upper), color: colors[index],
        frame: frame, into: &canvas)
    }
    for (index, curve) in curves.enumerated() {
      let mean = zip(curve.x, curve.mean).map { (frame.xScale($0), frame.yScale($1)) }
      canvas.polyline(mean, stroke: colors[index], width: 2.2)
      if !curve.truth.isEmpty {
        let truth = zip(curve.x, curve.truth).map { (frame.xScale($0), frame.yScale($1)) }
        canvas.polyline(truth, stroke: colors[index], width: 2, dash: "7 4")
      }
    }
    for (index, curve) in curves.enumerated() {
      for piece in liftTestGeometry(curve) {
        let start = (frame.xScale(piece.start.0), frame.yScale(piece.start.1))
        let end = (frame.xScale(piece.end.0), frame.yScale(piece.end.1))
        let top = frame.yScale(piece.end.1 + piece.halfBar)
        let bottom = frame.yScale(piece.end.1 - piece.halfBar)
        canvas.line(
          x1: start.0, y1: start.1, x2: end.0, y2: end.1, stroke: "#333333", width: 1.2, dash: "3 2")
        canvas.line(x1: end.0, y1: top, x2: end.0, y2: bottom, stroke: "#333333", width: 1.6)
        canvas.line(x1: end.0 - 4, y1: top, x2: end.0 + 4, y2: top, stroke: "#333333", width: 1.6)
        canvas.line(x1: end.0 - 4, y1: bottom, x2: end.0 + 4, y2: bottom, stroke: "#333333", width: 1.6)
        canvas.circle(cx: start.0, cy: start.1, r: 3.5, fill: "#ffffff", stroke: colors[index])
        canvas.circle(
          cx: end.0, cy: end.1, r: 4.5, fill: colors[index], stroke: "#333333",
          title:
            "\(curve.name): lift \(formatNumber(piece.end.1 - piece.start.1)) for +\(formatNumber(piece.end.0 - piece.start.0)) spend"
        )
      }
    }
    frame.drawAxes(into: &canvas)
    return canvas.document(title: title)
  }
}
