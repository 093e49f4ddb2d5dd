import ArgumentParser
import CausalValidation
import Foundation
import GraphvizIO
import MMM
import Reports

struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit a Bayesian MMM with NUTS and write summary.json, chain CSVs, contributions and ROAS.",
    discussion: """
      Every lift-test row is checked against the fit: PyMC-Marketing's steady-state reading and, for rows
      with start,end dates, the model's own do() over the test window (the calibration-trap detector).
      Example: causal-mmm fit --config model.yaml --data data.csv --lift-tests lifts.csv --out fit
      """)

  @Option(help: "Model configuration (.yaml, .yml or .json).") var config: String
  @Option(help: "Data CSV in long format (one row per date and geo).") var data: String
  @Option(
    name: .customLong("lift-tests"),
    help: "Lift-test CSV: channel,x,delta_x,delta_y,sigma[,geo,date,start,end].")
  var liftTests: String?
  @Option(help: "Output directory.") var out: String
  @OptionGroup var sampler: SamplerOptions
  @Option(
    help:
      "Mass matrix: diagonal, dense or block (overrides the configuration; default: block for pooled models, else diagonal)."
  )
  var metric: String?
  @Option(
    help:
      ArgumentHelp(
        "Chain starting points: random (uniform(-2, 2) per coordinate), map (jittered around the posterior "
          + "mode) or jitter (PyMC's default: the priors' support point jittered by uniform(-1, 1)); overrides "
          + "the configuration's sampler.initialization (default random).")
  )
  var initialization: String?
  @Option(help: "Threads for the chains (default: all cores); the draws do not depend on it.") var threads:
    Int?
  @Option(
    name: .customLong("gradient-threads"),
    help:
      ArgumentHelp(
        "Threads per chain for the gradient, split over geos (default: the cores divided among the chains running, "
          + "asked at each evaluation, so a chain left running alone uses every core); the draws do not depend on it."
      )
  )
  var gradientThreads: Int?
  @Option(
    name: .customLong("chain-index"),
    help:
      "Run only chain K (0-based) of --chain-count chains, into OUT/part-K (default: JOB_COMPLETION_INDEX, else SLURM_ARRAY_TASK_ID); join the parts with `causal-mmm merge`."
  )
  var chainIndex: Int?
  @Option(
    name: .customLong("chain-count"),
    help: "The chains of the whole fit when this task runs one of them (--chain-index or the environment).")
  var chainCount: Int?
  @Flag(help: "Do not print the summary table.") var quiet = false
  @Flag(help: "Overwrite a non-empty output directory.") var force = false

  @Flag(
    name: .customLong("strict-columns"),
    help: "Refuse data columns the configuration does not name (default: ignore them, with a note).")
  var strictColumns = false

  func run() throws {
    var request = FitRequest(
      configurationPath: config, dataPath: data, liftTestPath: liftTests, outputDirectory: out)
    (request.force, request.strictColumns, request.showProgress) = (force, strictColumns, !quiet)
    (request.chains, request.tune, request.draws, request.seed) =
      (sampler.chains, sampler.tune, sampler.draws, sampler.seed)
    (request.targetAccept, request.metric, request.threads) = (sampler.targetAccept, metric, threads)
    request.maxTreeDepth = sampler.maxTreeDepth
    (request.initialization, request.gradientThreads) = (initialization, gradientThreads)
    (request.chainIndex, request.chainCount, request.environment) =
      (chainIndex, chainCount, ProcessInfo.processInfo.environment)
    let outcome = try FitJob.run(
      request, loadDAG: { path in try DOTReader.read(contentsOf: path) },
      checkData: { dag, data in DAGDataCheck.warnings(dag: dag, data: data) })
    for note in outcome.notes { printError(note) }
    guard !quiet, let posterior = outcome.posterior else { return }
    print(FitSummaryText.parameters(outcome.parameterSummary))
    print(
      "\(posterior.chains.count) chains x (\(outcome.sampler.tune) + \(outcome.sampler.draws)), "
        + "\(posterior.divergences) divergences, " + String(format: "%.2f s; wrote ", posterior.seconds)
        + outcome.outputDirectory
        + (outcome.shard.map { " (chain \($0.index) of \($0.count); join the parts with causal-mmm merge)" }
          ?? ""))
    if !outcome.calibration.isEmpty { print(FitSummaryText.calibration(outcome.calibration)) }
    // In bold: ANSI on a terminal, Markdown's ** ** in a pipe or a log file.
    let (open, close) = isatty(STDOUT_FILENO) != 0 ? ("\u{1b}[1m", "\u{1b}[0m") : ("**", "**")
    for warning in outcome.warnings { print(open + "WARNING: " + warning + close) }
  }
}
