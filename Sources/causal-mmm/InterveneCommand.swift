import ArgumentParser
import Foundation
import MMM

struct InterveneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "intervene",
    abstract:
      "Posterior of the outcome difference for a counterfactual input table, from a saved fit (JSON on stdout)."
  )

  @Option(help: "A directory written by `causal-mmm fit`.") var fit: String
  @Option(help: "Counterfactual table: the training table with channel/control columns changed.") var data:
    String

  func run() throws {
    do {
      let fitted = try FitArchive.load(from: URL(fileURLWithPath: fit))
      let table = try FitArchive.readData(
        path: data, configuration: fitted.model.configuration, requireTarget: false)
      let result = try fitted.intervene(counterfactual: table)
      func n(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
      let total = result.total
      let perDate = zip(result.dates, result.perDate).map { date, s in
        "    {\"date\": \"\(date)\", \"mean\": \(n(s.mean)), \"hdi_3%\": \(n(s.hdiLower)), \"hdi_97%\": \(n(s.hdiUpper))}"
      }
      print(
        "{\n  \"total\": {\"mean\": \(n(total.mean)), \"hdi_3%\": \(n(total.hdiLower)), \"hdi_97%\": \(n(total.hdiUpper)), "
          + "\"draws\": \(result.totalDraws.count)},\n  \"per_date\": [\n" + perDate.joined(separator: ",\n")
          + "\n  ]\n}")
    } catch {
      throw error
    }
  }
}
