import ArgumentParser
import Foundation
import MMM

struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Posterior predictive of the outcome for a table, from a saved fit (CSV on stdout).",
    discussion: """
      The table may extend past the training dates (or lie wholly after them) on the same period \
      grid: the carry-over of the last l_max training periods enters its first periods, Fourier terms \
      and the trend come from the dates, and every control column must be filled.

      Example:
        causal-mmm predict --fit fit --data next_quarter.csv
      """)

  @Option(help: "A directory written by `causal-mmm fit`.") var fit: String
  @Option(help: "Input table (same columns as the training data; the target column is ignored).") var data:
    String
  @Option(help: "Seed for the observation noise.") var seed: UInt64 = 1

  func run() throws {
    do {
      let fitted = try FitArchive.load(from: URL(fileURLWithPath: fit))
      let table = try FitArchive.readData(
        path: data, configuration: fitted.model.configuration, requireTarget: false)
      let result = try fitted.predict(data: table, seed: seed)
      // Time-varying terms add three columns each: `intercept_*` (intercept × p(t)) and
      // `media_multiplier_*` (M(t)).
      let terms = TimeVaryingTerm.allCases.filter { term in result.timeVarying.contains { $0.term == term } }
      let extra = terms.map { term in
        let name = term == .intercept ? "intercept" : "media_multiplier"
        return ",\(name)_mean,\(name)_hdi_3%,\(name)_hdi_97%"
      }
      print(
        "date,geo,expected_mean,expected_hdi_3%,expected_hdi_97%,predictive_mean,predictive_hdi_3%,predictive_hdi_97%"
          + extra.joined())
      for (g, geo) in result.geoNames.enumerated() {
        let paths = terms.compactMap { term in result.timeVarying.first { $0.term == term && $0.geo == geo } }
        for (t, date) in result.dates.enumerated() {
          let e = result.expected[g][t]
          let p = result.predictive[g][t]
          let columns = paths.map { path in
            let s = path.summaries[t]
            return ",\(s.mean),\(s.hdiLower),\(s.hdiUpper)"
          }
          print(
            "\(date),\(geo),\(e.mean),\(e.hdiLower),\(e.hdiUpper),\(p.mean),\(p.hdiLower),\(p.hdiUpper)"
              + columns.joined())
        }
      }
    } catch {
      throw error
    }
  }
}
