import ArgumentParser
import CausalMMMCore
import Foundation
import Inference
import MMM

struct ITSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "its",
    abstract: "Interrupted time series: a treated series' counterfactual from a control series, effect with 94% HDI.",
    discussion: """
      Fits TREATED = intercept + slope * CONTROL + noise (Bayesian, NUTS) on the pre-period (PRE-START up to
      the day before INTERVENTION-START), predicts the counterfactual on INTERVENTION-START..INTERVENTION-END
      (inclusive) and reports the effect (observed - counterfactual) per period and summed. With --spend, the
      spend change becomes a point for `causal-mmm saturation-prior`: x0 = mean spend on the pre-period,
      x1 = mean spend on the intervention rows from --steady-from on, delta_y = mean effect per period on
      those rows (its posterior sd as sigma).
      """)

  @Option(help: "Data CSV with a date column.") var data: String
  @Option(help: "The treated series (column).") var treated: String
  @Option(help: "The control series (column).") var control: String
  @Option(name: .customLong("intervention-start"), help: "First date of the intervention (YYYY-MM-DD).")
  var interventionStart: String
  @Option(name: .customLong("intervention-end"), help: "Last date of the intervention (inclusive).")
  var interventionEnd: String
  @Option(name: .customLong("pre-start"), help: "First date of the pre-period (default: the first row).")
  var preStart: String?
  @Option(name: .customLong("date-column"), help: "The date column.") var dateColumn: String = "date"
  @Option(help: "The spend column whose change the intervention made (writes a spend-change point).")
  var spend: String?
  @Option(name: .customLong("steady-from"), help: "Intervention rows skipped before the steady state (carry-over).")
  var steadyFrom: Int = 0
  @Option(help: "Number of chains.") var chains: Int = 2
  @Option(help: "Warm-up iterations per chain.") var tune: Int = 500
  @Option(help: "Kept draws per chain.") var draws: Int = 500
  @Option(help: "Random seed.") var seed: UInt64 = 4
  @Option(help: "Write the result as JSON here.") var out: String?

  func run() throws {
    do {
      let table = try MMMData.readCSV(
        path: data, dateColumn: dateColumn, geoColumn: nil,
        numericColumns: [treated, control] + (spend.map { [$0] } ?? []), rejectOtherColumns: false)
      func row(_ text: String, _ option: String) throws -> Int {
        guard let date = CalendarDate(parsing: text) else {
          throw LocatedError(column: option, "'\(text)' is not a YYYY-MM-DD date")
        }
        guard let index = table.dates.firstIndex(of: date) else {
          throw LocatedError(file: data, column: option, "date \(text) is not in the data")
        }
        return index
      }
      let start = try row(interventionStart, "--intervention-start")
      let end = try row(interventionEnd, "--intervention-end")
      let pre = try preStart.map { try row($0, "--pre-start") } ?? 0
      guard end >= start else { throw LocatedError(column: "--intervention-end", "ends before the intervention starts") }
      guard steadyFrom >= 0, steadyFrom <= end - start else {
        throw LocatedError(column: "--steady-from", "must lie in 0...\(end - start)")
      }
      var sampler = SamplerConfiguration()
      sampler.chains = chains
      sampler.tune = tune
      sampler.draws = draws
      sampler.seed = seed
      sampler.targetAccept = 0.9
      let its = try InterruptedTimeSeries(
        treated: table.columns[treated]!, control: table.columns[control]!, preRange: pre..<start,
        postRange: start..<(end + 1), sampler: sampler)
      let c = its.coefficientMeans
      let total = its.cumulativeEffect()
      let steadyRows = steadyFrom..<(end - start + 1)
      let weekly = its.meanEffect(rows: steadyRows)
      func f(_ v: Double) -> String { String(format: "%.3f", v) }
      print("pre-period \(table.dates[pre])..\(table.dates[start - 1]) (\(start - pre) rows): "
        + "\(treated) = \(f(c[0])) + \(f(c[1])) * \(control), sigma \(f(c[2])); "
        + "\(its.posterior.divergences) divergences")
      print("cumulative effect \(table.dates[start])..\(table.dates[end]) (\(end - start + 1) rows): "
        + "\(f(total.mean)) [94% HDI \(f(total.hdiLower)), \(f(total.hdiUpper))]")
      print("mean effect per period on rows \(steadyRows.lowerBound + 1)-\(steadyRows.upperBound): "
        + "\(f(weekly.mean)) [94% HDI \(f(weekly.hdiLower)), \(f(weekly.hdiUpper))]")
      var json: [String: Any] = [
        "treated": treated, "control": control,
        "pre_period": [table.dates[pre].description, table.dates[start - 1].description],
        "intervention": [table.dates[start].description, table.dates[end].description],
        "coefficients": ["intercept": c[0], "slope": c[1], "sigma": c[2]],
        "cumulative_effect": Self.summary(total), "mean_effect": Self.summary(weekly),
        "steady_from": steadyFrom,
        "series": (0..<its.postRange.count).map { i -> [String: Any] in
          let cf = DrawSummary(its.counterfactual.map { $0[i] })
          return [
            "date": table.dates[its.postRange.lowerBound + i].description, "observed": its.observed[i],
            "counterfactual_mean": cf.mean, "counterfactual_hdi_3%": cf.hdiLower, "counterfactual_hdi_97%": cf.hdiUpper,
          ]
        },
      ]
      if let spend, let x = table.columns[spend] {
        let x0 = x[pre..<start].reduce(0, +) / Double(start - pre)
        let steady = (start + steadyFrom)...end
        let x1 = x[steady].reduce(0, +) / Double(steady.count)
        let point = SpendChangePoint(x0: x0, x1: x1, deltaY: weekly.mean, sigma: weekly.sd)
        json["spend_change"] = ["x0": x0, "x1": x1, "delta_y": point.deltaY, "sigma": point.sigma]
        json["derivative_point"] = ["x_midpoint": point.midpoint, "rate_of_change": point.rateOfChange]
        print("spend change \(spend): \(f(x0)) -> \(f(x1)) per period, delta_y \(f(point.deltaY)) "
          + "(sd \(f(point.sigma))); derivative point (\(f(point.midpoint)), \(f(point.rateOfChange)))")
      }
      if let out {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: out))
      }
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw error
    }
  }

  static func summary(_ s: DrawSummary) -> [String: Double] {
    ["mean": s.mean, "sd": s.sd, "hdi_3%": s.hdiLower, "hdi_97%": s.hdiUpper]
  }
}
