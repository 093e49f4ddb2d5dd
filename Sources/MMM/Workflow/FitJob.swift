import CausalGraph
import CausalMMMCore
import Foundation
import Inference

/// What `causal-mmm fit` is asked to do: the inputs, the output directory and the sampler overrides.
public struct FitRequest: Sendable {
  /// The configuration file (`.yaml`, `.yml` or `.json`).
  public var configurationPath: String
  /// The data CSV.
  public var dataPath: String
  /// The lift-test CSV, if any.
  public var liftTestPath: String?
  /// The output directory.
  public var outputDirectory: String
  /// Overwrite a non-empty output directory.
  public var force = false
  /// Refuse data columns the configuration does not name (default: ignore them, with a note).
  public var strictColumns = false
  /// Sampler overrides (`nil`: the configuration's value).
  public var chains: Int? = nil
  public var tune: Int? = nil
  public var draws: Int? = nil
  public var targetAccept: Double? = nil
  public var seed: UInt64? = nil
  public var metric: String? = nil
  public var maxTreeDepth: Int? = nil
  /// `random` (uniform(-2, 2) per coordinate) or `map` (jittered around the posterior mode); `nil`: the
  /// configuration's `sampler.initialization` (default random).
  public var initialization: String? = nil
  /// Threads for the chains (`nil`: all cores).
  public var threads: Int? = nil
  /// Threads per chain for the gradient, split over geos (`nil`: cores / concurrent chains, at least 1).
  public var gradientThreads: Int? = nil
  /// Draw a progress line while sampling.
  public var showProgress = false
  /// Run one chain of a `chainCount`-chain fit (`--chain-index`, or from `environment`: see
  /// `ChainShard.resolve`); the part goes to `OUT/part-K` and `causal-mmm merge` joins the parts.
  public var chainIndex: Int? = nil
  public var chainCount: Int? = nil
  /// The process environment (`JOB_COMPLETION_INDEX`, `SLURM_ARRAY_TASK_ID`), read only with `chainCount`.
  public var environment: [String: String] = [:]

  /// Creates a request.
  public init(configurationPath: String, dataPath: String, liftTestPath: String?, outputDirectory: String) {
    self.configurationPath = configurationPath
    self.dataPath = dataPath
    self.liftTestPath = liftTestPath
    self.outputDirectory = outputDirectory
  }
}

/// What a fit produced, for printing: the files are already written.
public struct FitOutcome: Sendable {
  /// The fitted single-equation model (`nil` for `structure: dag`).
  public let fit: FittedMMM?
  /// The fitted structural model (`structure: dag`), else `nil`.
  public var structural: StructuralFit? = nil
  /// The sampler settings used.
  public let sampler: SamplerConfiguration
  /// Informational lines (e.g. the data columns the model ignored).
  public let notes: [String]
  /// Warnings, also stored in summary.json (planner verdicts, diagnostics, calibration flags).
  public let warnings: [String]
  /// Every lift-test row checked against the fit (steady state and, with dates, window-aware).
  public let calibration: [LiftTestCalibration]
  /// The sampler's output, whichever model was fitted.
  public var posterior: Posterior? { fit?.posterior ?? structural?.posterior }
  /// The posterior's summary per parameter (94% HDI), whichever model was fitted.
  public var parameterSummary: [ParameterSummary] {
    fit?.parameterSummary ?? structural?.posterior?.summary(hdiProbability: 0.94) ?? []
  }
  /// The directory written (`OUT/part-K` for one chain of a sharded fit).
  public var outputDirectory = ""
  /// The chain this task ran, for a sharded fit.
  public var shard: ChainShard? = nil
}

/// The `fit` workflow: read, validate, check the specification against the DAG, sample, check the
/// lift tests against the fit, write the fit directory. The command line parses and prints only.
public enum FitJob {
  /// Runs a fit end to end.
  /// - Parameters:
  ///   - request: the inputs and options.
  ///   - loadDAG: reads the DOT file a configuration's `dag:` names (the caller owns DOT parsing).
  ///   - checkData: tests the DAG's implications on the columns the model read and returns one warning
  ///     per rejection (`CausalValidation.DAGDataCheck.warnings`, a layer above this one).
  /// - Throws: `LocatedError` for every invalid input, located at file, line and column.
  public static func run(
    _ request: FitRequest, loadDAG: (String) throws -> CausalDAG,
    checkData: ((CausalDAG, MMMData) throws -> [String])? = nil
  ) throws -> FitOutcome {
    let shard = try ChainShard.resolve(
      chainIndex: request.chainIndex, chainCount: request.chainCount, environment: request.environment)
    if let shard, let chains = request.chains, chains != shard.count {
      throw LocatedError("--chains \(chains) contradicts --chain-count \(shard.count)")
    }
    let out = shard?.directory(under: request.outputDirectory) ?? request.outputDirectory
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw LocatedError(file: out, "exists and is not a directory")
    }
    if let contents = try? FileManager.default.contentsOfDirectory(atPath: out), !contents.isEmpty,
      !request.force
    {
      throw LocatedError(file: out, "output directory is not empty (use --force to overwrite)")
    }
    if let threads = request.threads, threads < 1 {
      throw LocatedError("--threads must be at least 1, got \(threads)")
    }
    if let threads = request.gradientThreads, threads < 1 {
      throw LocatedError("--gradient-threads must be at least 1, got \(threads)")
    }
    let configuration = try MMMConfiguration.read(path: request.configurationPath)
    if configuration.structure == "dag" {
      if shard != nil {
        throw LocatedError(
          file: request.configurationPath,
          "structure: dag fits cannot be sharded by chain yet (drop --chain-count)")
      }
      var outcome = try runStructural(request, configuration: configuration, loadDAG: loadDAG)
      outcome.outputDirectory = out
      return outcome
    }
    let dag = try resolvedDAGPath(configuration, request: request).map { path in (path, try loadDAG(path)) }
    var warnings = try dag.map { try specificationWarnings(configuration, dag: $0.1, path: $0.0) } ?? []
    let table = try FitArchive.readData(
      path: request.dataPath, configuration: configuration, requireTarget: true,
      strictColumns: request.strictColumns)
    if let dag, let checkData { warnings += try checkData(dag.1, table) }
    var notes: [String] = []
    if !table.ignoredColumns.isEmpty {
      notes.append(
        "note: \(request.dataPath): ignoring \(table.ignoredColumns.count) column(s) the configuration does not "
          + "use: \(table.ignoredColumns.joined(separator: ", ")) (--strict-columns refuses them)")
    }
    let lifts = try request.liftTestPath.map { try LiftTest.readCSV(path: $0) } ?? []
    let model = try MMMModel(configuration: configuration, data: table, liftTests: lifts)
    notes += costShareNotes(configuration, resolved: model.configuration)
    var sampler = try configuration.samplerConfiguration(
      chains: shard?.count ?? request.chains, tune: request.tune, draws: request.draws,
      targetAccept: request.targetAccept,
      seed: request.seed, metric: request.metric, maxTreeDepth: request.maxTreeDepth, density: model)
    sampler.showProgress = request.showProgress
    sampler.maxThreads = request.threads
    if let shard { sampler.chainIndices = [shard.index] }
    let initialization = try resolvedInitialization(request.initialization, configuration)
    try initialize(&sampler, model, initialization)
    // Without --gradient-threads each chain's gradient splits over its share of the cores
    // (`CoreShare`: all of them for a chain running alone).
    let fit = try FittedMMM.fit(
      request.gradientThreads.map(model.withGradientThreads) ?? model, sampler: sampler)
    let calibration = try fit.calibrationChecks(liftTests: lifts, data: table)
    warnings += calibrationWarnings(calibration)
    let outURL = URL(fileURLWithPath: out)
    try FitArchive.write(
      fit: fit, to: outURL, dataPath: request.dataPath, liftTestPath: request.liftTestPath,
      extraWarnings: warnings,
      calibration: calibration)
    let provenance = try FitProvenance(
      toolVersion: CausalMMMVersion.string, configPath: request.configurationPath, dataPath: request.dataPath,
      liftTestPath: request.liftTestPath, seed: sampler.seed, chains: sampler.chains, tune: sampler.tune,
      draws: sampler.draws)
    do {
      try provenance.jsonText(configuration: model.configuration).write(
        to: outURL.appendingPathComponent("provenance.json"), atomically: true, encoding: .utf8)
    } catch {
      throw LocatedError(file: out, "cannot write provenance.json: \(error.localizedDescription)")
    }
    // The causal guard of `optimize` re-reads the DAG from the fit directory.
    if let dagPath = resolvedDAGPath(configuration, request: request) {
      try FitArchive.copy(dagPath, to: outURL.appendingPathComponent(BudgetJob.dagFileName))
    }
    if let shard, let posterior = fit.posterior {
      try FitMerge.writeShardRecord(
        shard, sampler: sampler, initialization: initialization.rawValue, posterior: posterior, to: outURL)
    }
    var outcome = FitOutcome(
      fit: fit, sampler: sampler, notes: notes, warnings: warnings + fit.warnings(), calibration: calibration)
    outcome.outputDirectory = out
    outcome.shard = shard
    return outcome
  }

  /// One warning per lift test the fit contradicts: the window check (the calibration trap when the
  /// steady-state check passes), the steady-state check alone, and the level check.
  static func calibrationWarnings(_ checks: [LiftTestCalibration]) -> [String] {
    var warnings: [String] = []
    for check in checks {
      let name =
        "lift test at \(check.liftTest.sourceName):\(check.liftTest.line) (\(check.steadyState.test))"
      if let window = check.window, !window.passes {
        let steady =
          check.steadyState.passes
          ? "although PyMC-Marketing's steady-state check passes (z = \(String(format: "%.1f", check.steadyState.zScore))): "
            + "the specification, not the calibration, is wrong (the calibration trap; check the DAG: a mediator "
            + "among the regressors, a missing confounder)"
          : "and the steady-state check fails too"
        warnings.append(
          "\(name): the model's own do() over the test window gives \(String(format: "%.4g", window.model)) per period "
            + "against the measured \(String(format: "%.4g", window.measured)) (z = \(String(format: "%.1f", window.zScore))), "
            + steady)
      } else if !check.steadyState.passes {
        warnings.append(
          "\(name): the steady-state reading gives \(String(format: "%.4g", check.steadyState.model)) against the measured "
            + "\(String(format: "%.4g", check.steadyState.measured)) (z = \(String(format: "%.1f", check.steadyState.zScore)))"
        )
      }
      for level in check.levelWarnings { warnings.append("\(name): \(level)") }
    }
    return warnings
  }

  /// The command line's initialization, else the configuration's, else random.
  /// - Throws: `LocatedError` (key `--initialization`) for a name other than random or map.
  static func resolvedInitialization(_ option: String?, _ configuration: MMMConfiguration) throws
    -> InitializationKind
  {
    guard let option else { return configuration.sampler.initialization ?? .random }
    switch InitializationKind.parse(option) {
    case .success(let kind): return kind
    case .failure(let error): throw LocatedError(column: "--initialization", error.message)
    }
  }

  /// Sets the chains' starting point for an initialization: none (random), the posterior mode (`map`,
  /// jittered by ±0.2) or the priors' support point (`jitter`, ±1, PyMC's default).
  public static func initialize<D: LogDensity>(
    _ sampler: inout SamplerConfiguration, _ model: D, _ initialization: InitializationKind
  ) throws {
    switch initialization {
    case .random: sampler.initialPosition = nil
    case .map: sampler.initialPosition = try findMAP(model, start: nil, maxIterations: 2000).position
    case .jitter:
      sampler.initialPosition = model.supportPoint
      sampler.initialJitter = 1
    }
  }

  /// One note per `cost_share` prior parameter with the numbers the model uses (also in provenance.json
  /// and config.json).
  static func costShareNotes(_ configuration: MMMConfiguration, resolved: MMMConfiguration) -> [String] {
    var notes: [String] = []
    for (name, settings) in configuration.priors.sorted(by: { $0.key < $1.key }) {
      for (key, values) in (settings.channelParameters ?? [:]).sorted(by: { $0.key < $1.key }) {
        guard case .costShare = values,
          case .byChannel(let shares) = resolved.priors[name]?.channelParameters?[key]
        else { continue }
        let listed = resolved.channelColumns.map { "\($0): \(formatDecimal(shares[$0] ?? .nan))" }
        notes.append("note: \(name).\(key) = cost_share = {\(listed.joined(separator: ", "))}")
      }
    }
    return notes
  }

  /// The DOT file a configuration's `dag:` names, resolved against the configuration file's folder.
  static func resolvedDAGPath(_ configuration: MMMConfiguration, request: FitRequest) -> String? {
    configuration.dag.map { resolvedDAGPath($0, configurationPath: request.configurationPath) }
  }

  /// A configuration's `dag:` path, relative to the configuration file.
  static func resolvedDAGPath(_ dagPath: String, configurationPath: String) -> String {
    dagPath.hasPrefix("/")
      ? dagPath
      : URL(fileURLWithPath: configurationPath).deletingLastPathComponent().appendingPathComponent(dagPath)
        .path
  }

  /// The causal planner's verdict on the configured specification when the configuration names a
  /// `dag:` (a DOT file, relative to the configuration file).
  static func specificationWarnings(_ configuration: MMMConfiguration, dag: CausalDAG, path resolved: String)
    throws
    -> [String]
  {
    do {
      return try CausalPlanner.specificationWarnings(
        dag: dag, outcome: configuration.targetColumn, channels: configuration.channelColumns,
        controls: configuration.controlColumns)
    } catch {
      throw LocatedError(file: resolved, message: "\(error)")
    }
  }
}

/// The package's version, written into provenance.json and printed by `--version`.
public enum CausalMMMVersion {
  /// `MAJOR.MINOR.PATCH`.
  public static let string = "0.2.0"
}
