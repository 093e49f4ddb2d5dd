import CausalGraph
import CausalMMMCore
import Foundation
import Inference
import MMM

/// Text, JSON, CSV and SVG renderings of the decision queries (`curves`, `optimize`), and the
/// workflows the CLI calls: load the fit, query, write the files, return what to print.
public enum DecisionReports {
  // MARK: response curves

  /// Loads the fit, computes the curves, writes `curves.json`, `curves.csv` and `curves.svg` into
  /// `outputDirectory` (when given) and returns the text or JSON to print.
  ///
  /// - Throws: `LocatedError` for a bad fit directory, option or window.
  public static func curves(
    fitDirectory: String, channels: [String], multipliers: String, start: String?, periods: Int?,
    format: String,
    outputDirectory: String?
  ) throws -> String {
    guard format == "text" || format == "json" else {
      throw LocatedError(file: "--format", message: "'\(format)' is neither text nor json")
    }
    let grid = try ResponseCurves.multipliers(from: multipliers)
    let startDate = try start.map { try date($0, option: "--start") }
    let fit = try FitArchive.load(from: URL(fileURLWithPath: fitDirectory))
    let curves = try fit.responseCurves(
      channels: channels.isEmpty ? nil : channels, multipliers: grid, start: startDate, periods: periods)
    if let outputDirectory {
      try write(
        [
          ("curves.json", curvesJSON(curves, draws: fit.drawCount).rendered() + "\n"),
          ("curves.csv", curvesCSV(curves)),
          ("curves.svg", curvesChart(curves).svg()),
        ], to: outputDirectory)
    }
    return format == "json"
      ? curvesJSON(curves, draws: fit.drawCount).rendered() : curvesText(curves, draws: fit.drawCount)
  }

  static func windowText(start: CalendarDate, end: CalendarDate, periods: Int) -> String {
    "\(start)..\(end) (\(periods) periods)"
  }

  /// A readable table per channel.
  public static func curvesText(_ curves: ResponseCurves, draws: Int) -> String {
    var lines = [
      (curves.isTrainingPeriod
        ? "Response curves over the training period "
        : "Response curves over the forward window ")
        + windowText(start: curves.start, end: curves.end, periods: curves.periods)
        + (curves.isTrainingPeriod
          ? ""
          : ", spend along the last \(curves.periods) training periods, carry-over in and out counted")
        + ", \(draws) draws; incremental outcome against zero spend on the channel"
    ]
    for curve in curves.curves {
      lines.append("")
      lines.append("\(curve.channel) (current spend \(formatNumber(curve.currentSpend)))")
      lines.append(
        "  " + pad("multiplier", 10) + pad("spend", 12) + pad("incremental", 13) + pad("94% HDI", 24)
          + pad("mROAS", 10)
          + "94% HDI")
      for p in curve.points {
        lines.append(
          "  " + pad(String(format: "%.2f", p.multiplier), 10) + pad(formatNumber(p.spend), 12)
            + pad(formatNumber(p.incremental.mean), 13)
            + pad("[\(formatNumber(p.incremental.hdiLower)), \(formatNumber(p.incremental.hdiUpper))]", 24)
            + pad(formatNumber(p.marginalROAS.mean), 10)
            + "[\(formatNumber(p.marginalROAS.hdiLower)), \(formatNumber(p.marginalROAS.hdiUpper))]")
      }
    }
    return lines.joined(separator: "\n")
  }

  /// `{"window": {...}, "draws": D, "curves": [{"channel", "current_spend", "points": [...]}]}`.
  public static func curvesJSON(_ curves: ResponseCurves, draws: Int) -> JSONValue {
    .object([
      (
        "window",
        .object([
          ("start", .string(curves.start.description)), ("end", .string(curves.end.description)),
          ("periods", .integer(curves.periods)), ("training_period", .bool(curves.isTrainingPeriod)),
        ])
      ),
      ("draws", .integer(draws)),
      (
        "curves",
        .array(
          curves.curves.map { curve in
            .object([
              ("channel", .string(curve.channel)), ("current_spend", .number(curve.currentSpend)),
              (
                "points",
                .array(
                  curve.points.map { p in
                    .object([
                      ("multiplier", .number(p.multiplier)), ("spend", .number(p.spend)),
                      ("incremental_mean", .number(p.incremental.mean)),
                      ("incremental_hdi_3%", .number(p.incremental.hdiLower)),
                      ("incremental_hdi_97%", .number(p.incremental.hdiUpper)),
                      ("marginal_roas_mean", .number(p.marginalROAS.mean)),
                      ("marginal_roas_hdi_3%", .number(p.marginalROAS.hdiLower)),
                      ("marginal_roas_hdi_97%", .number(p.marginalROAS.hdiUpper)),
                    ])
                  })
              ),
            ])
          })
      ),
    ])
  }

  /// One row per channel and multiplier.
  public static func curvesCSV(_ curves: ResponseCurves) -> String {
    var lines = [
      "channel,multiplier,spend,incremental_mean,incremental_hdi_3%,incremental_hdi_97%,marginal_roas_mean,"
        + "marginal_roas_hdi_3%,marginal_roas_hdi_97%"
    ]
    for curve in curves.curves {
      for p in curve.points {
        lines.append(
          [
            curve.channel, "\(p.multiplier)", "\(p.spend)", "\(p.incremental.mean)",
            "\(p.incremental.hdiLower)",
            "\(p.incremental.hdiUpper)", "\(p.marginalROAS.mean)", "\(p.marginalROAS.hdiLower)",
            "\(p.marginalROAS.hdiUpper)",
          ].joined(separator: ","))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One panel per channel: the mean curve over spend, its 94% HDI band, the current spend marked.
  public static func curvesChart(_ curves: ResponseCurves) -> PanelChart {
    let panels = curves.curves.map { curve -> any Chart in
      let x = curve.points.map(\.spend)
      return LineChart(
        title: curve.channel, xLabel: "spend over the window", yLabel: "incremental outcome",
        series: [Series(name: "posterior mean", x: x, y: curve.points.map(\.incremental.mean))],
        bands: [
          Band(
            name: "94% HDI", x: x, lower: curve.points.map(\.incremental.hdiLower),
            upper: curve.points.map(\.incremental.hdiUpper))
        ],
        markers: [VerticalMarker(x: curve.currentSpend, label: "current")], yIncludesZero: true, width: 480,
        height: 340)
    }
    return PanelChart(title: "Response curves", panels: panels)
  }

  // MARK: optimizer

  /// The `optimize` options as the CLI received them.
  public struct OptimizeOptions: Sendable {
    public var fitDirectory: String
    public var budget: Double
    public var start: String
    public var periods: Int
    public var bounds: [String] = []
    public var relativeBounds: String? = nil
    public var geoBudgets: String? = nil
    public var fix: [String] = []
    public var objective = "mean"
    public var flighting = "historical"
    public var format = "text"
    public var outputDirectory: String? = nil
    public var allowNonCausal = false
    /// Write the solved problem as JSON here (for scripts/decisions/slsqp_check.py).
    public var exportProblem: String? = nil

    public init(fitDirectory: String, budget: Double, start: String, periods: Int) {
      self.fitDirectory = fitDirectory
      self.budget = budget
      self.start = start
      self.periods = periods
    }
  }

  /// Parses the options, runs the optimizer (with the causal guard), writes `allocation.json`,
  /// `allocation.csv` and `allocation.svg` (when asked) and returns what to print.
  ///
  /// - Throws: `LocatedError` for bad options, infeasible constraints or the causal guard.
  public static func optimize(_ options: OptimizeOptions, loadDAG: (String) throws -> CausalDAG) throws
    -> String
  {
    guard options.format == "text" || options.format == "json" else {
      throw LocatedError(file: "--format", message: "'\(options.format)' is neither text nor json")
    }
    var request = BudgetRequest(
      budget: options.budget, start: try date(options.start, option: "--start"), periods: options.periods)
    request.bounds = try options.bounds.flatMap { try parseBounds($0) }
    request.relativeBounds = try options.relativeBounds.map { text in
      let range = try parseRange(text, option: "--relative-bounds")
      return (range.0, range.1)
    }
    if let path = options.geoBudgets {
      request.geoBudgets = try BudgetRequest.readGeoBudgets(path: path)
      request.geoBudgetSource = path
    }
    request.fixed = options.fix
    request.objective = try BudgetObjective(parsing: options.objective)
    guard let flighting = Flighting(rawValue: options.flighting) else {
      throw LocatedError(
        file: "--flighting", message: "'\(options.flighting)' is neither historical nor flat")
    }
    request.flighting = flighting
    request.allowNonCausal = options.allowNonCausal
    let result = try BudgetJob.run(request, fitDirectory: options.fitDirectory, loadDAG: loadDAG)
    if let outputDirectory = options.outputDirectory {
      try write(
        [
          ("allocation.json", allocationJSON(result).rendered() + "\n"),
          ("allocation.csv", allocationCSV(result)),
          ("allocation.svg", allocationChart(result).svg()),
        ], to: outputDirectory)
    }
    if let path = options.exportProblem, let problem = result.problemJSON() {
      do {
        try (problem.rendered(pretty: false) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
      } catch {
        throw LocatedError(file: path, message: "cannot write: \(error.localizedDescription)")
      }
    }
    return options.format == "json" ? allocationJSON(result).rendered() : allocationText(result)
  }

  /// `CH=LO:HI` (several comma-separated allowed).
  static func parseBounds(_ text: String) throws -> [(channel: String, lower: Double, upper: Double)] {
    try text.split(separator: ",").map { item in
      let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else {
        throw LocatedError(file: "--bounds", message: "'\(item)' is not CHANNEL=LO:HI")
      }
      let range = try parseRange(parts[1], option: "--bounds")
      return (parts[0].trimmingCharacters(in: .whitespaces), range.0, range.1)
    }
  }

  static func parseRange(_ text: String, option: String) throws -> (Double, Double) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
    guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo.isFinite, hi.isFinite else {
      throw LocatedError(file: option, message: "'\(text)' is not LO:HI")
    }
    return (lo, hi)
  }

  static func date(_ text: String, option: String) throws -> CalendarDate {
    guard let date = CalendarDate(parsing: text) else {
      throw LocatedError(file: option, message: "'\(text)' is not a YYYY-MM-DD date")
    }
    return date
  }

  static func unitLabel(_ row: AllocationRow) -> String {
    row.geo.map { "\(row.channel) @ \($0)" } ?? row.channel
  }

  static func hdiText(_ s: DrawSummary) -> String {
    "\(formatNumber(s.mean)) [\(formatNumber(s.hdiLower)), \(formatNumber(s.hdiUpper))]"
  }

  /// The allocation table, the expected outcomes, the uplift and the KKT check.
  public static func allocationText(_ r: BudgetAllocation) -> String {
    var lines = [
      "Budget \(formatNumber(r.budget)) over \(windowText(start: r.start, end: r.end, periods: r.periods)) plus "
        + "\(r.tailPeriods) periods of carry-over; objective \(r.objective), flighting \(r.flighting.rawValue), "
        + "\(r.drawCount) draws",
      "",
      "  " + pad("channel", 18) + (r.rows.first?.geo != nil ? pad("geo", 12) : "") + pad("current", 12)
        + pad("optimal", 12) + pad("change", 12) + pad("mROAS now", 11) + pad("mROAS opt", 11) + "bound",
    ]
    for row in r.rows {
      lines.append(
        "  " + pad(row.channel, 18) + (row.geo.map { pad($0, 12) } ?? "") + pad(formatNumber(row.current), 12)
          + pad(formatNumber(row.optimal), 12) + pad(signed(row.change), 12)
          + pad(formatNumber(row.currentMarginalROAS), 11) + pad(formatNumber(row.marginalROAS), 11)
          + (row.bound ?? ""))
    }
    lines.append("")
    lines.append("Expected incremental outcome (mean [94% HDI]):")
    lines.append("  current  " + hdiText(r.expectedCurrent))
    lines.append("  optimal  " + hdiText(r.expectedOptimal))
    lines.append(
      "  uplift   " + hdiText(r.uplift)
        + String(format: "  (%+.1f%%)", 100 * r.uplift.mean / abs(r.expectedCurrent.mean)))
    lines.append(
      "KKT: marginal ROAS across units inside their bounds agree to a relative spread of "
        + String(format: "%.1e", r.kktSpread) + "; units at a bound on the right side: "
        + (r.kktBoundsConsistent ? "yes" : "NO") + " (\(r.starts) starts, \(r.iterations) iterations)")
    for warning in r.warnings { lines.append("WARNING: " + warning) }
    return lines.joined(separator: "\n")
  }

  public static func allocationJSON(_ r: BudgetAllocation) -> JSONValue {
    func summary(_ s: DrawSummary) -> JSONValue {
      .object([("mean", .number(s.mean)), ("hdi_3%", .number(s.hdiLower)), ("hdi_97%", .number(s.hdiUpper))])
    }
    return .object([
      (
        "horizon",
        .object([
          ("start", .string(r.start.description)), ("end", .string(r.end.description)),
          ("periods", .integer(r.periods)),
          ("carryover_tail_periods", .integer(r.tailPeriods)),
        ])
      ),
      ("budget", .number(r.budget)), ("objective", .string(r.objective.description)),
      ("flighting", .string(r.flighting.rawValue)), ("draws", .integer(r.drawCount)),
      (
        "allocation",
        .array(
          r.rows.map { row in
            .object([
              ("channel", .string(row.channel)), ("geo", row.geo.map(JSONValue.string) ?? .null),
              ("current", .number(row.current)), ("optimal", .number(row.optimal)),
              ("change", .number(row.change)),
              ("lower", .number(row.lower)), ("upper", .number(row.upper)),
              ("marginal_roas_current", .number(row.currentMarginalROAS)),
              ("marginal_roas_optimal", .number(row.marginalROAS)),
              ("bound", row.bound.map(JSONValue.string) ?? .null),
            ])
          })
      ),
      ("expected_incremental_current", summary(r.expectedCurrent)),
      ("expected_incremental_optimal", summary(r.expectedOptimal)), ("uplift", summary(r.uplift)),
      ("objective_current", .number(r.objectiveCurrent)), ("objective_optimal", .number(r.objectiveOptimal)),
      (
        "kkt",
        .object([
          ("marginal_roas_relative_spread", .number(r.kktSpread)),
          ("bounds_consistent", .bool(r.kktBoundsConsistent)),
        ])
      ),
      ("starts", .integer(r.starts)), ("iterations", .integer(r.iterations)),
      ("warnings", .strings(r.warnings)),
    ])
  }

  public static func allocationCSV(_ r: BudgetAllocation) -> String {
    var lines = [
      "channel,geo,current,optimal,change,lower,upper,marginal_roas_current,marginal_roas_optimal,bound"
    ]
    for row in r.rows {
      lines.append(
        [
          row.channel, row.geo ?? "", "\(row.current)", "\(row.optimal)", "\(row.change)", "\(row.lower)",
          "\(row.upper)",
          "\(row.currentMarginalROAS)", "\(row.marginalROAS)", row.bound ?? "",
        ].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Current vs optimal spend per unit.
  public static func allocationChart(_ r: BudgetAllocation) -> BarChart {
    BarChart(
      title: "Budget allocation: current vs optimal", xLabel: "spend over the horizon",
      categories: r.rows.map(unitLabel),
      series: [
        BarSeries(name: "current", values: r.rows.map(\.current)),
        BarSeries(name: "optimal", values: r.rows.map(\.optimal)),
      ])
  }

  // MARK: helpers

  static func write(_ files: [(String, String)], to directory: String) throws {
    let url = URL(fileURLWithPath: directory)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      for (name, text) in files {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
      }
    } catch {
      throw LocatedError(file: directory, message: "cannot write: \(error.localizedDescription)")
    }
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + formatNumber(v) }

  /// Four significant digits, without exponent for ordinary magnitudes.
  static func formatNumber(_ v: Double) -> String {
    guard v.isFinite else { return "nan" }
    let magnitude = abs(v)
    if magnitude == 0 { return "0" }
    if magnitude >= 1e7 || magnitude < 1e-4 { return String(format: "%.3e", v) }
    let decimals = max(0, 3 - Int(Double.log10(magnitude).rounded(.down)))
    return String(format: "%.\(decimals)f", v)
  }
}
