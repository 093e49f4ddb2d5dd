import ArgumentParser
import CausalMMMCore
import Foundation
import MMM
import Reports

struct CVCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cv",
    abstract: "Time-slice cross-validation: per-fold parameters, ROAS and CRPS of out-of-sample predictions.",
    discussion: """
      Fold k trains on the first INITIAL + k * STEP dates and forecasts the next HORIZON dates.
      A lift test is used only by folds whose training window contains its date (its 'end' for a
      windowed test); later tests are excluded and listed per fold. Writes OUT/cv.json and the
      HTML report OUT/cv.html (parameters per fold, ROAS per fold, CRPS per fold). Sampler options
      override the configuration's; fold k uses seed + k.
      Example: causal-mmm cv --config model.yaml --data data.csv --initial 100 --horizon 12 --step 9 --out cv
      """)

  @Option(help: "Model configuration (.yaml, .yml or .json).") var config: String
  @Option(help: "Data CSV in long format (one row per date and geo).") var data: String
  @Option(name: .customLong("lift-tests"), help: "Lift-test CSV with a date (or start,end) column.")
  var liftTests: String?
  @Option(help: "Dates in the first training window.") var initial: Int
  @Option(help: "Dates forecast per fold.") var horizon: Int
  @Option(help: "Dates added to the training window per fold.") var step: Int = 1
  @Option(help: "Output directory (cv.json, cv.html).") var out: String
  @OptionGroup var sampler: SamplerOptions
  @Option(help: "Comma-separated true ROAS per channel, CHANNEL=VALUE (drawn as reference lines).")
  var trueRoas: String?
  @Option(help: "Report title.") var title: String = "Time-slice cross-validation"
  @Flag(help: "Print only the summary lines.") var quiet = false
  @Option(
    name: .customLong("fold-index"),
    help:
      "Run only fold K (0-based), into OUT/fold-K, as one task of a batch job; join the folds with `causal-mmm cv-merge`."
  )
  var foldIndex: Int?

  func run() throws {
    if let foldIndex {
      let request = CrossValidationShard.Request(
        configurationPath: config, dataPath: data, liftTestPath: liftTests, initial: initial,
        horizon: horizon,
        step: step, outputDirectory: out)
      let settings = try MMMConfiguration.read(path: config).samplerConfiguration()
      let (result, directory) = try CrossValidationShard.runFold(
        foldIndex, request: request, sampler: sampler.configuration(defaults: settings))
      print(
        "fold \(result.fold.index): CRPS \(result.crps); wrote \(directory) (join the folds with causal-mmm cv-merge)"
      )
      return
    }
    let configuration = try MMMConfiguration.read(path: config)
    let table = try FitArchive.readData(path: data, configuration: configuration, requireTarget: true)
    let lifts = try liftTests.map { try LiftTest.readCSV(path: $0) } ?? []
    let validator = try TimeSliceCrossValidator(initial: initial, horizon: horizon, step: step)
    let settings = try configuration.samplerConfiguration()
    var truth: [String: Double] = [:]
    for pair in commaSeparated(trueRoas) {
      let parts = pair.split(separator: "=").map(String.init)
      guard parts.count == 2, let value = Double(parts[1]) else {
        throw LocatedError(column: "--true-roas", "expected CHANNEL=VALUE, got '\(pair)'")
      }
      truth[parts[0]] = value
    }
    let folds = try validator.run(
      configuration: configuration, data: table, liftTests: lifts,
      sampler: sampler.configuration(defaults: settings), progress: { line in if !quiet { print(line) } })
    let channels = configuration.channelColumns
    try CrossValidationReport.write(folds, channels: channels, truth: truth, title: title, to: out)
    print(CrossValidationReport.table(folds, channels: channels).text())
    print("wrote \(out)/cv.json and \(out)/cv.html")
  }
}
