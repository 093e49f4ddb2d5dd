import CausalMMMCore
import Foundation
import Inference

/// What `causal-mmm its` is asked: the series, the periods and the sampler.
public struct InterruptedTimeSeriesRequest: Sendable {
  /// The data CSV (a date column and the series).
  public var dataPath: String
  /// The treated and the control series (columns).
  public var treated: String
  public var control: String
  /// First and last (inclusive) dates of the intervention, `YYYY-MM-DD`.
  public var interventionStart: String
  public var interventionEnd: String
  /// First date of the pre-period (`nil`: the first row).
  public var preStart: String?
  /// The date column.
  public var dateColumn = "date"
  /// The spend column whose change the intervention made (adds a spend-change point).
  public var spend: String?
  /// Intervention rows skipped before the steady state (carry-over).
  public var steadyFrom = 0
  /// The sampler.
  public var sampler: SamplerConfiguration

  /// Creates a request.
  public init(
    dataPath: String, treated: String, control: String, interventionStart: String, interventionEnd: String,
    sampler: SamplerConfiguration
  ) {
    (self.dataPath, self.treated, self.control) = (dataPath, treated, control)
    (self.interventionStart, self.interventionEnd, self.sampler) = (
      interventionStart, interventionEnd, sampler
    )
  }
}

/// What an analysis prints and writes.
public struct AnalysisReport: Sendable {
  /// The lines to print.
  public let lines: [String]
  /// The document to write (`--out`): JSON for `its`, the `priors:` YAML block for `saturation-prior`.
  public let document: String
}

extension InterruptedTimeSeries {
  /// Runs `its`: fits the pre-period, predicts the counterfactual, summarises the effect and, with a
  /// spend column, the spend-change point for `saturation-prior`.
  /// - Throws: `LocatedError` for a bad table, a date not in the data, or inconsistent periods.
  public static func analyse(_ request: InterruptedTimeSeriesRequest) throws -> AnalysisReport {
    let table = try MMMData.readCSV(
      path: request.dataPath, dateColumn: request.dateColumn, geoColumn: nil,
      numericColumns: [request.treated, request.control] + (request.spend.map { [$0] } ?? []),
      rejectOtherColumns: false)
    func row(_ text: String, _ option: String) throws -> Int {
      guard let date = CalendarDate(parsing: text) else {
        throw LocatedError(column: option, "'\(text)' is not a YYYY-MM-DD date")
      }
      guard let index = table.dates.firstIndex(of: date) else {
        throw LocatedError(file: request.dataPath, column: option, "date \(text) is not in the data")
      }
      return index
    }
    let start = try row(request.interventionStart, "--intervention-start")
    let end = try row(request.interventionEnd, "--intervention-end")
    let pre = try request.preStart.map { try row($0, "--pre-start") } ?? 0
    guard end >= start else {
      throw LocatedError(column: "--intervention-end", "ends before the intervention starts")
    }
    guard pre < start else { throw LocatedError(column: "--pre-start", "leaves no pre-period") }
    guard request.steadyFrom >= 0, request.steadyFrom <= end - start else {
      throw LocatedError(column: "--steady-from", "must lie in 0...\(end - start)")
    }
    let its = try InterruptedTimeSeries(
      treated: table.columns[request.treated] ?? [], control: table.columns[request.control] ?? [],
      preRange: pre..<start, postRange: start..<(end + 1), sampler: request.sampler)
    let c = its.coefficientMeans
    let total = its.cumulativeEffect()
    let steadyRows = request.steadyFrom..<(end - start + 1)
    let perPeriod = its.meanEffect(rows: steadyRows)
    func f(_ v: Double) -> String { String(format: "%.3f", v) }
    var lines = [
      "pre-period \(table.dates[pre])..\(table.dates[start - 1]) (\(start - pre) rows): "
        + "\(request.treated) = \(f(c[0])) + \(f(c[1])) * \(request.control), sigma \(f(c[2])); "
        + "\(its.posterior.divergences) divergences",
      "cumulative effect \(table.dates[start])..\(table.dates[end]) (\(end - start + 1) rows): "
        + "\(f(total.mean)) [94% HDI \(f(total.hdiLower)), \(f(total.hdiUpper))]",
      "mean effect per period on rows \(steadyRows.lowerBound + 1)-\(steadyRows.upperBound): "
        + "\(f(perPeriod.mean)) [94% HDI \(f(perPeriod.hdiLower)), \(f(perPeriod.hdiUpper))]",
    ]
    func summary(_ s: DrawSummary) -> JSONValue {
      .object([
        ("hdi_3%", .number(s.hdiLower)), ("hdi_97%", .number(s.hdiUpper)), ("mean", .number(s.mean)),
        ("sd", .number(s.sd)),
      ])
    }
    var members: [(String, JSONValue)] = [
      (
        "coefficients",
        .object([("intercept", .number(c[0])), ("sigma", .number(c[2])), ("slope", .number(c[1]))])
      ),
      ("control", .string(request.control)),
      ("cumulative_effect", summary(total)),
      ("intervention", .strings([table.dates[start].description, table.dates[end].description])),
      ("mean_effect", summary(perPeriod)),
      ("pre_period", .strings([table.dates[pre].description, table.dates[start - 1].description])),
      (
        "series",
        .array(
          (0..<its.postRange.count).map { i in
            let counterfactual = DrawSummary(its.counterfactual.map { $0[i] })
            return .object([
              ("counterfactual_hdi_3%", .number(counterfactual.hdiLower)),
              ("counterfactual_hdi_97%", .number(counterfactual.hdiUpper)),
              ("counterfactual_mean", .number(counterfactual.mean)),
              ("date", .string(table.dates[its.postRange.lowerBound + i].description)),
              ("observed", .number(its.observed[i])),
            ])
          })
      ),
      ("steady_from", .integer(request.steadyFrom)),
      ("treated", .string(request.treated)),
    ]
    if let spend = request.spend, let x = table.columns[spend] {
      let x0 = x[pre..<start].reduce(0, +) / Double(start - pre)
      let steady = (start + request.steadyFrom)...end
      let x1 = x[steady].reduce(0, +) / Double(steady.count)
      let point = SpendChangePoint(x0: x0, x1: x1, deltaY: perPeriod.mean, sigma: perPeriod.sd)
      members.append(
        (
          "spend_change",
          .object([
            ("delta_y", .number(point.deltaY)), ("sigma", .number(point.sigma)), ("x0", .number(x0)),
            ("x1", .number(x1)),
          ])
        ))
      members.append(
        (
          "derivative_point",
          .object([("rate_of_change", .number(point.rateOfChange)), ("x_midpoint", .number(point.midpoint))])
        ))
      lines.append(
        "spend change \(spend): \(f(x0)) -> \(f(x1)) per period, delta_y \(f(point.deltaY)) "
          + "(sd \(f(point.sigma))); derivative point (\(f(point.midpoint)), \(f(point.rateOfChange)))")
    }
    return AnalysisReport(lines: lines, document: JSONValue.object(members).rendered() + "\n")
  }
}

/// What `causal-mmm saturation-prior` is asked.
public struct SaturationPriorRequest: Sendable {
  /// The MMM's data CSV (for the scales), its target and the channel the experiments changed.
  public var dataPath: String
  public var target: String
  public var channel: String
  public var dateColumn = "date"
  /// `its --spend --out` results holding a `spend_change` point each.
  public var pointPaths: [String]
  /// The prior family and the mass it puts inside the posterior HDI.
  public var family = "Gamma"
  public var mass = 0.94
  /// The sampler.
  public var sampler: SamplerConfiguration

  /// Creates a request.
  public init(
    dataPath: String, target: String, channel: String, pointPaths: [String], sampler: SamplerConfiguration
  ) {
    (self.dataPath, self.target, self.channel, self.pointPaths, self.sampler) =
      (dataPath, target, channel, pointPaths, sampler)
  }
}

extension MichaelisMentenFromExperiments {
  /// Runs `saturation-prior`: fits the Michaelis-Menten curve to the spend-change points and turns its
  /// posterior into informative priors (the `priors:` YAML block of a configuration).
  /// - Throws: `LocatedError` for a bad table, a point file without `spend_change`, or an impossible family.
  public static func analyse(_ request: SaturationPriorRequest) throws -> AnalysisReport {
    let table = try MMMData.readCSV(
      path: request.dataPath, dateColumn: request.dateColumn, geoColumn: nil,
      numericColumns: [request.target, request.channel], rejectOtherColumns: false)
    let xScale = table.columns[request.channel]?.max() ?? 1
    let yScale = table.columns[request.target]?.map(abs).max() ?? 1
    let measured = try request.pointPaths.map { path -> SpendChangePoint in
      guard let data = FileManager.default.contents(atPath: path),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let change = object["spend_change"],
        let encoded = try? JSONSerialization.data(withJSONObject: change),
        let point = try? JSONDecoder().decode(SpendChangePoint.self, from: encoded)
      else {
        throw LocatedError(file: path, column: "spend_change", "missing or not {x0, x1, delta_y, sigma}")
      }
      return point
    }
    let fit = try MichaelisMentenFromExperiments(
      points: measured, xScale: xScale, yScale: yScale, sampler: request.sampler)
    let priors = try fit.informativePriors(family: request.family, mass: request.mass)
    func f(_ v: Double) -> String { String(format: "%.3f", v) }
    var lines = [
      "scales: \(request.channel) max \(f(xScale)), \(request.target) max |y| \(f(yScale)); \(measured.count) point(s)"
    ]
    for (name, s, scale, mode) in [
      ("alpha", fit.alpha, yScale, fit.mode.alpha), ("lam", fit.lam, xScale, fit.mode.lam),
    ] {
      lines.append(
        "\(name): mode \(f(mode * scale)), mean \(f(s.mean * scale)) [94% HDI \(f(s.hdiLower * scale)), "
          + "\(f(s.hdiUpper * scale))] in data units; scaled mean \(f(s.mean)) [\(f(s.hdiLower)), \(f(s.hdiUpper))]"
      )
    }
    var yaml = "priors:\n"
    for (name, prior) in [("saturation_alpha", priors.alpha), ("saturation_lam", priors.lam)] {
      let parameters = prior.parameters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
      yaml += "  \(name): {dist: \(prior.distributionName), \(parameters.joined(separator: ", "))}\n"
    }
    return AnalysisReport(lines: lines, document: yaml)
  }
}
