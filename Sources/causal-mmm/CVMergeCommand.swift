import ArgumentParser
import CausalMMMCore
import Foundation
import MMM
import Reports

struct CVMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cv-merge",
    abstract:
      "Join the fold parts of a sharded cross-validation (cv --fold-index K) into cv.json and cv.html.",
    discussion: """
      Give the same inputs and fold settings as the `cv --fold-index` tasks; every part is checked against
      them (SHA-256 of configuration, data and lift tests; initial, horizon, step) and the others (seed and
      sampler settings); folds 0..F-1 must each be given once. The output is what `cv` writes, per-fold
      `seconds` aside.
      Example: causal-mmm cv-merge --config model.yaml --data data.csv --initial 100 --horizon 12 --step 9 --out cv cv-parts/fold-*
      """)

  @Option(help: "Model configuration (.yaml, .yml or .json).") var config: String
  @Option(help: "Data CSV in long format (one row per date and geo).") var data: String
  @Option(name: .customLong("lift-tests"), help: "Lift-test CSV with a date (or start,end) column.")
  var liftTests: String?
  @Option(help: "Dates in the first training window.") var initial: Int
  @Option(help: "Dates forecast per fold.") var horizon: Int
  @Option(help: "Dates added to the training window per fold.") var step: Int = 1
  @Option(help: "Output directory (cv.json, cv.html).") var out: String
  @Option(help: "Comma-separated true ROAS per channel, CHANNEL=VALUE (drawn as reference lines).")
  var trueRoas: String?
  @Option(help: "Report title.") var title: String = "Time-slice cross-validation"
  @Argument(help: "The fold part directories (OUT/fold-K of each cv --fold-index task).") var parts: [String]

  func run() throws {
    var truth: [String: Double] = [:]
    for pair in commaSeparated(trueRoas) {
      let fields = pair.split(separator: "=").map(String.init)
      guard fields.count == 2, let value = Double(fields[1]) else {
        throw LocatedError(column: "--true-roas", "expected CHANNEL=VALUE, got '\(pair)'")
      }
      truth[fields[0]] = value
    }
    let request = CrossValidationShard.Request(
      configurationPath: config, dataPath: data, liftTestPath: liftTests, initial: initial, horizon: horizon,
      step: step, outputDirectory: out)
    let folds = try CrossValidationShard.merge(request: request, parts: parts)
    let channels = try MMMConfiguration.read(path: config).channelColumns
    try CrossValidationReport.write(folds, channels: channels, truth: truth, title: title, to: out)
    print(CrossValidationReport.table(folds, channels: channels).text())
    print("wrote \(out)/cv.json and \(out)/cv.html")
  }
}
