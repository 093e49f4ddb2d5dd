import Foundation
import Inference

/// The HDI of the finite draws as ArviZ and `summary.json` compute it (Inference's
/// `Diagnostics.hdi`: the narrowest window of floor(p n) + 1 sorted draws), or `nil` for fewer
/// than two finite draws.
func highestDensityInterval(_ draws: [Double], probability: Double) -> (lower: Double, upper: Double)? {
  let finite = draws.filter(\.isFinite)
  guard finite.count >= 2 else { return nil }
  return Diagnostics.hdi(finite, probability: probability)
}

/// A Gaussian kernel density estimate of `draws` on `gridCount` points, with Silverman's
/// bandwidth `0.9 min(sd, IQR / 1.34) n^(-1/5)`, on a grid from one bandwidth below the smallest
/// draw to one above the largest.
func kernelDensity(_ draws: [Double], gridCount: Int = 120) -> (x: [Double], density: [Double]) {
  let values = draws.filter(\.isFinite).sorted()
  guard values.count >= 2, let low = values.first, let high = values.last else { return ([], []) }
  let count = Double(values.count)
  let mean = values.reduce(0, +) / count
  let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)).squareRoot()
  let iqr = values[Int(0.75 * (count - 1))] - values[Int(0.25 * (count - 1))]
  var spread = min(sd, iqr / 1.34)
  if spread <= 0 { spread = sd > 0 ? sd : max(abs(mean) * 0.01, 1e-9) }
  let bandwidth = 0.9 * spread * pow(count, -0.2)
  // The grid reaches one bandwidth past the extreme draws: far enough for the curve to fall
  // off, not so far that the tails stretch the axis.
  let start = low - bandwidth
  let step = (high - low + 2 * bandwidth) / Double(gridCount - 1)
  let normaliser = 1 / (count * bandwidth * (2 * Double.pi).squareRoot())
  var xs = [Double](repeating: 0, count: gridCount)
  var density = [Double](repeating: 0, count: gridCount)
  for index in 0..<gridCount {
    let x = start + Double(index) * step
    xs[index] = x
    var sum = 0.0
    for value in values {
      let z = (x - value) / bandwidth
      if abs(z) < 6 { sum += exp(-0.5 * z * z) }
    }
    density[index] = sum * normaliser
  }
  return (xs, density)
}

/// Posterior draws of one fit for each row of a ``DensityChart``.
public struct PosteriorDraws: Sendable, Hashable {
  /// The fit's name (legend).
  public var name: String
  /// Draws per row, aligned with the chart's rows (an empty array: no density in that row).
  public var draws: [[Double]]
  public var color: String?

  /// Creates the draws of one fit.
  public init(name: String, draws: [[Double]], color: String? = nil) {
    self.name = name
    self.draws = draws
    self.color = color
  }
}

/// Reference values marked in each row (the true ROAS, a prior mean, a lift-test estimate).
public struct ReferenceValues: Sendable, Hashable {
  /// The legend label.
  public var name: String
  /// One value per row (`nil`: none in that row).
  public var values: [Double?]
  public var color: String?

  /// Creates reference values.
  public init(name: String, values: [Double?], color: String? = nil) {
    self.name = name
    self.values = values
    self.color = color
  }
}

/// Posterior densities, one row per channel (a ridgeline): each fit's kernel density, its HDI as
/// a bar under the curve and its mean as a dot, with reference values as vertical marks.
///
/// ```swift
/// DensityChart(title: "ROAS", xLabel: "ROAS (sales per unit spend)", rows: ["TV", "search"],
///              fits: [PosteriorDraws(name: "baseline", draws: [tvDraws, searchDraws])],
///              references: [ReferenceValues(name: "true ROAS", values: [1.8, 0.6])])
/// ```
public struct DensityChart: Chart {
  public var title: String
  public var xLabel: String
  public var rows: [String]
  public var fits: [PosteriorDraws]
  public var references: [ReferenceValues]
  /// The HDI's probability.
  public var hdiProbability: Double
  public var width: Double

  /// Creates a density chart.
  public init(
    title: String, xLabel: String, rows: [String], fits: [PosteriorDraws],
    references: [ReferenceValues] = [], hdiProbability: Double = 0.94, width: Double = 760
  ) {
    self.title = title
    self.xLabel = xLabel
    self.rows = rows
    self.fits = fits
    self.references = references
    self.hdiProbability = hdiProbability
    self.width = width
  }

  public func svg() -> String {
    let colors = fits.enumerated().map { $0.element.color ?? Palette.color($0.offset) }
    let referenceColors = references.enumerated().map {
      $0.element.color ?? ($0.offset == 0 ? Palette.truth : Palette.color(fits.count + $0.offset))
    }
    let percent = String(format: "%.0f", hdiProbability * 100)
    var legend = fits.enumerated().map {
      LegendItem("\($0.element.name) (mean, \(percent)% HDI)", .band(color: colors[$0.offset]))
    }
    for (index, reference) in references.enumerated() {
      legend.append(LegendItem(reference.name, .diamond(color: referenceColors[index])))
    }
    var densities: [[(x: [Double], density: [Double])]] = []
    var extent: [Double] = []
    for fit in fits {
      var row: [(x: [Double], density: [Double])] = []
      for index in rows.indices {
        let draws = index < fit.draws.count ? fit.draws[index] : []
        let estimate = kernelDensity(draws)
        row.append(estimate)
        extent += [estimate.x.first, estimate.x.last].compactMap { $0 }
      }
      densities.append(row)
    }
    for reference in references { extent += reference.values.compactMap { $0 } }
    let rowHeight = 64.0 + 8 * Double(max(0, fits.count - 1))
    let frame = ChartFrame(
      width: width, title: title, xLabel: xLabel, legend: legend, categories: rows, rowHeight: rowHeight,
      xRange: finiteExtent([extent]) ?? (0, 1), xIncludesZero: false)
    var canvas = SVGCanvas(width: width, height: frame.height)
    frame.drawBackground(into: &canvas)
    let barGap = 7.0
    for rowIndex in rows.indices {
      let rowBottom = frame.plotTop + Double(rowIndex + 1) * frame.rowHeight
      let baseline = rowBottom - 6 - barGap * Double(fits.count)
      let peak = densities.map { $0[rowIndex].density.max() ?? 0 }.max() ?? 0
      let maxHeight = baseline - (rowBottom - frame.rowHeight) - 4
      canvas.line(x1: frame.plotLeft, y1: baseline, x2: frame.plotRight, y2: baseline, stroke: "#cccccc")
      for (fitIndex, fit) in fits.enumerated() {
        let estimate = densities[fitIndex][rowIndex]
        if peak > 0, let first = estimate.x.first, let last = estimate.x.last {
          let top = zip(estimate.x, estimate.density).map {
            (frame.xScale($0), baseline - $1 / peak * maxHeight)
          }
          let closing = [(frame.xScale(last), baseline), (frame.xScale(first), baseline)]
          canvas.polygon(top + closing, fill: colors[fitIndex], fillOpacity: 0.3)
          canvas.polyline(top, stroke: colors[fitIndex], width: 1.6)
        }
        let draws = rowIndex < fit.draws.count ? fit.draws[rowIndex] : []
        let y = baseline + barGap * Double(fitIndex + 1) - 1
        if let interval = highestDensityInterval(draws, probability: hdiProbability) {
          canvas.line(
            x1: frame.xScale(interval.lower), y1: y, x2: frame.xScale(interval.upper), y2: y,
            stroke: colors[fitIndex], width: 3)
          let finite = draws.filter(\.isFinite)
          let mean = finite.reduce(0, +) / Double(finite.count)
          canvas.circle(
            cx: frame.xScale(mean), cy: y, r: 3.5, fill: "#ffffff", stroke: colors[fitIndex],
            title:
              "\(fit.name) \(rows[rowIndex]): mean \(formatNumber(mean)), \(percent)% HDI [\(formatNumber(interval.lower)), \(formatNumber(interval.upper))]"
          )
        }
      }
      for (referenceIndex, reference) in references.enumerated() {
        guard rowIndex < reference.values.count, let value = reference.values[rowIndex], value.isFinite else {
          continue
        }
        let x = frame.xScale(value)
        canvas.line(
          x1: x, y1: rowBottom - frame.rowHeight + 4, x2: x, y2: baseline,
          stroke: referenceColors[referenceIndex],
          width: 1.5, dash: "4 2")
        canvas.diamond(
          cx: x, cy: rowBottom - frame.rowHeight + 8, r: 5, fill: referenceColors[referenceIndex],
          stroke: "#ffffff")
      }
    }
    frame.drawAxes(into: &canvas)
    return canvas.document(title: title)
  }
}
