import Foundation
import Testing

@testable import Reports

@Suite("SVG charts")
struct ChartTests {
  /// Every chart in the gallery, standalone.
  static let galleryCharts: [(fileName: String, svg: String)] = ChartGallery.report().standaloneSVGs()

  @Test("Every gallery chart is well-formed XML with an <svg> root in the SVG namespace")
  func wellFormed() {
    #expect(ChartTests.galleryCharts.count >= 11)
    for (name, svg) in ChartTests.galleryCharts {
      let parsed = ParsedXML(svg)
      #expect(parsed.isWellFormed, "\(name): \(parsed.error ?? "")")
      #expect(parsed.elements.first?.name == "svg", "\(name)")
    }
  }

  @Test("xmlEscaped replaces the five XML specials and drops control characters")
  func escaping() {
    #expect(xmlEscaped("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
    #expect(xmlEscaped("x\u{01}y") == "xy")
  }

  @Test("Labels with <, & and quotes survive a round trip through an XML parser")
  func labelsRoundTrip() {
    let title = "Revenue <EUR> & \"net\" 'gross'"
    let seriesName = "A & B <combined>"
    let chart = LineChart(
      title: title, xLabel: "x <units>", yLabel: "y & z",
      series: [Series(name: seriesName, x: [0, 1, 2], y: [1, 3, 2])])
    let parsed = ParsedXML(chart.svg())
    #expect(parsed.isWellFormed, "\(parsed.error ?? "")")
    #expect(parsed.named("title").first?.text == title)
    #expect(!parsed.texts(title).isEmpty)
    #expect(!parsed.texts(seriesName).isEmpty)
    #expect(!parsed.texts("x <units>").isEmpty)
    #expect(!parsed.texts("y & z").isEmpty)
  }

  @Test("an integer x axis (folds) ticks whole numbers only; a numeric one may tick halves")
  func integerXAxis() {
    func tickLabels(_ integerX: Bool) -> [String] {
      let chart = LineChart(
        title: "folds", xLabel: "fold", yLabel: "ROAS",
        series: [Series(name: "ROAS", x: [0, 1, 2, 3, 4], y: [100, 300, 200, 200, 400])], integerX: integerX)
      return ParsedXML(chart.svg()).named("text").map(\.text)
    }
    #expect(tickLabels(false).contains("0.5"), "the numeric axis of 0...4 ticks every half")
    let labels = tickLabels(true)
    #expect(!labels.contains("0.5") && !labels.contains("3.5") && !labels.contains("1.0"))
    #expect(["0", "1", "2", "3", "4"].allSatisfy(labels.contains), "\(labels)")
  }

  @Test("A data point is drawn where the axis ticks say it is (linear between tick positions)")
  func coordinateMapping() {
    // y from 0 to 100 gives ticks 0, 20, ..., 100; x from 0 to 10 gives ticks at 0, 2, ..., 10
    // (or a subset), so (5, 50) must lie halfway between the tick labels "0" and "10" on x
    // and "0" and "100" on y.
    let chart = LineChart(
      title: "mapping", xLabel: "x", yLabel: "y",
      series: [
        Series(name: "", x: [0, 10], y: [0, 100]),
        Series(name: "point", x: [5], y: [50], markersOnly: true),
      ])
    let parsed = ParsedXML(chart.svg())
    let circle = parsed.named("circle").first { $0.attributes["r"] != "4.5" }!
    let xZero = parsed.texts("0").first { $0.attributes["text-anchor"] == "middle" }!
    let xTen = parsed.texts("10").first { $0.attributes["text-anchor"] == "middle" }!
    let yZero = parsed.texts("0").first { $0.attributes["text-anchor"] == "end" }!
    let yHundred = parsed.texts("100").first { $0.attributes["text-anchor"] == "end" }!
    let expectedX = (xZero.number("x") + xTen.number("x")) / 2
    let expectedY = (yZero.number("y") + yHundred.number("y")) / 2 - 4  // labels sit 4 px below
    #expect(abs(circle.number("cx") - expectedX) <= 0.02)
    #expect(abs(circle.number("cy") - expectedY) <= 0.02)
    // The x axis labels are ordered left to right, the y labels bottom to top.
    #expect(xZero.number("x") < xTen.number("x"))
    #expect(yZero.number("y") > yHundred.number("y"))
  }

  @Test("A chart frame maps data to the pixel computed by hand from its layout")
  func frameByHand() {
    // Layout: no title, no legend, no axis labels: top = 10 + 10 = 20, bottom = 300 - 30 = 270.
    // y ticks for 0 ... 1 with target Int(250 / 55) = 4: step 0.25 (0.25 / 1 -> {1,2,5}: 0.25
    // is not nice; 1/4 = 0.25 -> 0.5? no: raw 0.25, magnitude 0.1, residual 2.5 -> 5 -> 0.5).
    let frame = ChartFrame(
      width: 500, height: 300, title: "", xLabel: "", yLabel: "", legend: [], xKind: .numeric,
      xRange: (0, 1), yRange: (0, 1))
    #expect(frame.plotTop == 20)
    #expect(frame.plotBottom == 270)
    #expect(frame.yTicks.map(\.value) == [0, 0.5, 1])
    // y = 0.25 is a quarter of the way up from the bottom edge.
    #expect(abs(frame.yScale(0.25) - (270 - 0.25 * 250)) < 1e-9)
    #expect(abs(frame.xScale(0.5) - (frame.plotLeft + frame.plotRight) / 2) < 1e-9)
  }

  @Test("Consecutive x tick labels of every gallery chart do not overlap")
  func tickLabelsDoNotOverlap() {
    var checkedRows = 0
    for (name, svg) in ChartTests.galleryCharts where !name.contains("dag") {
      let parsed = ParsedXML(svg)
      let ticks = parsed.named("text").filter {
        $0.attributes["font-size"] == "11" && $0.attributes["text-anchor"] == "middle"
      }
      let rows = Dictionary(grouping: ticks) { $0.attributes["y"] ?? "" }
      for (_, row) in rows where row.count >= 2 {
        checkedRows += 1
        let sorted = row.sorted { $0.number("x") < $1.number("x") }
        for index in 1..<sorted.count {
          let gap = sorted[index].number("x") - sorted[index - 1].number("x")
          let needed =
            (estimatedTextWidth(sorted[index].text, size: 11)
              + estimatedTextWidth(sorted[index - 1].text, size: 11)) / 2
          #expect(gap > needed, "\(name): '\(sorted[index - 1].text)' and '\(sorted[index].text)'")
        }
      }
    }
    // Every gallery chart except the DAG has an x axis with tick labels.
    #expect(checkedRows >= ChartTests.galleryCharts.count - 1)
  }

  @Test("Every named series, band, fit and reference appears in the legend text")
  func legends() {
    let chart = DensityChart(
      title: "ROAS", xLabel: "ROAS", rows: ["TV"],
      fits: [PosteriorDraws(name: "baseline", draws: [[1, 2, 3, 2, 2.5]])],
      references: [ReferenceValues(name: "true ROAS", values: [2])])
    let parsed = ParsedXML(chart.svg())
    #expect(!parsed.texts("baseline (mean, 94% HDI)").isEmpty)
    #expect(!parsed.texts("true ROAS").isEmpty)
    let saturation = SaturationChart(
      title: "s", xLabel: "spend", yLabel: "contribution",
      curves: [
        SaturationCurve(
          name: "TV", x: [0, 1], mean: [0, 1], lower: [0, 0.8], upper: [0, 1.2], truth: [0, 0.9],
          liftTests: [LiftTestMark(x: 0.5, deltaX: 0.2, deltaY: 0.1, sigma: 0.05)])
      ])
    let texts = Set(ParsedXML(saturation.svg()).named("text").map(\.text))
    #expect(texts.isSuperset(of: ["TV", "94% HDI", "true curve", "lift test (\u{00B1}\u{03C3})"]))
  }

  @Test("Stacked areas: positive parts stack up from 0, negative parts down from 0")
  func stacking() {
    let chart = StackedAreaChart(
      title: "", xLabel: "", yLabel: "", x: [0, 1],
      components: [
        AreaComponent(name: "a", values: [1, -2]),
        AreaComponent(name: "b", values: [3, 4]),
        AreaComponent(name: "c", values: [-1, -1]),
      ])
    let edges = chart.stackedEdges()
    #expect(edges[0].lower == [0, -2] && edges[0].upper == [1, 0])
    #expect(edges[1].lower == [1, 0] && edges[1].upper == [4, 4])
    #expect(edges[2].lower == [-1, -3] && edges[2].upper == [0, -2])
  }

  @Test("Waterfall bars run from the previous running total to the new one")
  func waterfall() {
    let chart = WaterfallChart(title: "", xLabel: "", steps: ["a", "b", "c"], values: [10, 5, -3])
    let spans = chart.spans()
    #expect(spans.map(\.start) == [0, 10, 15])
    #expect(spans.map(\.end) == [10, 15, 12])
  }

  @Test("Lift tests start on the mean curve (linear interpolation) and end start + delta")
  func liftTestGeometry() {
    let curve = SaturationCurve(
      name: "TV", x: [0, 10, 20], mean: [0, 50, 60],
      liftTests: [LiftTestMark(x: 5, deltaX: 10, deltaY: 20, sigma: 4)])
    let chart = SaturationChart(title: "", xLabel: "", yLabel: "", curves: [curve], errorBarSigmas: 2)
    let piece = chart.liftTestGeometry(curve)[0]
    #expect(piece.start.0 == 5 && piece.start.1 == 25)  // halfway from 0 to 50
    #expect(piece.end.0 == 15 && piece.end.1 == 45)
    #expect(piece.halfBar == 8)
    #expect(SaturationChart.interpolate(xs: [0, 10, 20], ys: [0, 50, 60], at: 15) == 55)
    #expect(SaturationChart.interpolate(xs: [0, 10], ys: [1, 2], at: 30) == 2)
  }

  @Test("The sample HDI equals the narrowest window found by brute force over all pairs")
  func hdiBruteForce() {
    var state: UInt64 = 3
    let draws = (0..<300).map { _ -> Double in
      state = state &* 6_364_136_223_846_793_005 &+ 1
      let u = Double(state >> 11) / Double(1 << 53)
      return -log(1 - u)  // exponential: skewed, the HDI starts near 0
    }
    let interval = highestDensityInterval(draws, probability: 0.9)!
    let sorted = draws.sorted()
    // ArviZ's convention: the window holds floor(0.9 n) + 1 draws.
    let needed = Int((0.9 * 300).rounded(.down)) + 1
    var best = Double.infinity
    for i in 0..<sorted.count {
      for j in i..<sorted.count where j - i + 1 >= needed {
        best = min(best, sorted[j] - sorted[i])
      }
    }
    #expect(abs((interval.upper - interval.lower) - best) < 1e-12)
    #expect(draws.filter { $0 >= interval.lower && $0 <= interval.upper }.count >= needed)
    #expect(highestDensityInterval([1], probability: 0.94) == nil)
  }

  @Test("Kernel density integrates to about 1")
  func densityIntegrates() {
    let draws = (0..<500).map { Double($0) / 50 }
    let estimate = kernelDensity(draws)
    let step = estimate.x[1] - estimate.x[0]
    let integral = estimate.density.reduce(0, +) * step
    // The grid stops one bandwidth past the data, so a little mass (< 3%) lies outside.
    #expect(integral > 0.97 && integral < 1.001)
  }

  @Test("Relative recovery leaves out parameters without a known truth")
  func relativeRecovery() {
    let chart = ParameterRecoveryChart(
      title: "", parameters: ["a", "b", "c"], truth: [2, nil, 4],
      fits: [IntervalEstimates(name: "fit", mean: [1, 1, 1], lower: [0, 0, 0], upper: [2, 2, 2])],
      relativeToTruth: true)
    #expect(chart.rows().map(\.index) == [0, 2])
    #expect(chart.rows().map(\.divisor) == [2, 4])
    let labels = Set(ParsedXML(chart.svg()).named("text").map(\.text))
    #expect(labels.contains("a") && labels.contains("c") && !labels.contains("b"))
  }
}
