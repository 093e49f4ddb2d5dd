import ArgumentParser
import Foundation
import GraphvizIO
import Inference
import MMM
import Simulation

/// Prints an MMM error on stderr and exits 1.
func failWith(_ error: Error) -> ExitCode {
  let text =
    (error as? MMMError)?.description ?? (error as? LocatedError)?.description ?? "error: \(error)"
  printError(text)
  return ExitCode(1)
}

struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit a Bayesian MMM with NUTS and write summary.json, chain CSVs, contributions and ROAS.")

  @Option(help: "Model configuration (.yaml, .yml or .json).") var config: String
  @Option(help: "Data CSV in long format (one row per date and geo).") var data: String
  @Option(
    name: .customLong("lift-tests"),
    help: "Lift-test CSV: channel,x,delta_x,delta_y,sigma[,geo,date,start,end].")
  var liftTests: String?
  @Option(help: "Output directory.") var out: String
  @Option(help: "Random seed (overrides the configuration).") var seed: UInt64?
  @Option(help: "Number of chains.") var chains: Int?
  @Option(help: "Warm-up iterations per chain.") var tune: Int?
  @Option(help: "Kept draws per chain.") var draws: Int?
  @Option(name: .customLong("target-accept"), help: "Target acceptance rate.") var targetAccept: Double?
  @Option(help: "Mass matrix: diagonal or dense (overrides the configuration).") var metric: String?
  @Option(
    help:
      "Chain starting points: random (uniform(-2, 2) per coordinate) or map (jittered around the posterior mode)."
  )
  var initialization: String = "random"
  @Option(help: "Threads for the chains (default: all cores); the draws do not depend on it.") var threads:
    Int?
  @Option(
    name: .customLong("gradient-threads"),
    help:
      "Threads per chain for the gradient, split over geos (default: cores / concurrent chains, at least 1); the draws do not depend on it."
  )
  var gradientThreads: Int?
  @Flag(help: "Do not print the summary table.") var quiet = false
  @Flag(help: "Overwrite a non-empty output directory.") var force = false

  func run() throws {
    do {
      let outURL = URL(fileURLWithPath: out)
      if let contents = try? FileManager.default.contentsOfDirectory(atPath: out), !contents.isEmpty, !force {
        throw MMMError(file: out, "output directory is not empty (use --force to overwrite)")
      }
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
        throw MMMError(file: out, "exists and is not a directory")
      }
      if let threads, threads < 1 { throw MMMError("--threads must be at least 1, got \(threads)") }
      if let gradientThreads, gradientThreads < 1 {
        throw MMMError("--gradient-threads must be at least 1, got \(gradientThreads)")
      }
      let configuration = try MMMConfiguration.read(path: config)
      let planWarnings = try specificationWarnings(configuration)
      let table = try FitArchive.readData(path: data, configuration: configuration, requireTarget: true)
      let lifts = try liftTests.map { try LiftTest.readCSV(path: $0) } ?? []
      let model = try MMMModel(configuration: configuration, data: table, liftTests: lifts)
      var sampler = try configuration.samplerConfiguration(
        chains: chains, tune: tune, draws: draws, targetAccept: targetAccept, seed: seed, metric: metric)
      sampler.showProgress = !quiet
      sampler.maxThreads = threads
      switch initialization {
      case "map": sampler.initialPosition = try findMAP(model, start: nil, maxIterations: 2000).position
      case "random": break
      case let other: throw MMMError("unknown initialization '\(other)' (expected random or map)")
      }
      let cores = ProcessInfo.processInfo.activeProcessorCount
      let concurrentChains = max(1, min(sampler.chains, threads ?? cores))
      let perChain = gradientThreads ?? max(1, cores / concurrentChains)
      let fit = try FittedMMM.fit(model.withGradientThreads(perChain), sampler: sampler)
      try FitArchive.write(
        fit: fit, to: outURL, dataPath: data, liftTestPath: liftTests, extraWarnings: planWarnings)
      let provenance = try FitProvenance(
        toolVersion: CausalMMMVersion.string, configPath: config, dataPath: data, liftTestPath: liftTests,
        seed: sampler.seed, chains: sampler.chains, tune: sampler.tune, draws: sampler.draws)
      do {
        try provenance.jsonText(configuration: configuration).write(
          to: outURL.appendingPathComponent("provenance.json"), atomically: true, encoding: .utf8)
      } catch {
        throw MMMError(file: out, "cannot write provenance.json: \(error.localizedDescription)")
      }
      if !quiet, let posterior = fit.posterior {
        func pad(_ s: String, _ n: Int) -> String {
          s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
        }
        print(pad("parameter", 40) + "       mean         sd     hdi_3%    hdi_97%   r_hat ess_bulk")
        for row in posterior.summary(hdiProbability: 0.94) {
          print(
            pad(row.name, 40)
              + String(
                format: " %10.4f %10.4f %10.4f %10.4f %7.3f %8.0f", row.mean, row.sd, row.hdiLower,
                row.hdiUpper,
                row.rHat, row.essBulk))
        }
        print(
          "\(sampler.chains) chains x (\(sampler.tune) + \(sampler.draws)), \(posterior.divergences) divergences, "
            + String(format: "%.2f s; wrote ", posterior.seconds) + out)
        // In bold: ANSI on a terminal, Markdown's ** ** in a pipe or a log file.
        let (open, close) = isatty(STDOUT_FILENO) != 0 ? ("\u{1b}[1m", "\u{1b}[0m") : ("**", "**")
        for warning in planWarnings + fit.warnings() { print(open + "WARNING: " + warning + close) }
      }
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw failWith(error)
    }
  }

  /// The causal planner's verdict on the configured specification when the configuration names a
  /// `dag:` (a DOT file, relative to the configuration file).
  private func specificationWarnings(_ configuration: MMMConfiguration) throws -> [String] {
    guard let dagPath = configuration.dag else { return [] }
    let resolved =
      dagPath.hasPrefix("/")
      ? dagPath
      : URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent(dagPath).path
    let dag = try DOTReader.read(contentsOf: resolved)
    do {
      return try CausalPlanner.specificationWarnings(
        dag: dag, outcome: configuration.targetColumn, channels: configuration.channelColumns,
        controls: configuration.controlColumns)
    } catch {
      throw LocatedError(file: resolved, message: "\(error)")
    }
  }

}
