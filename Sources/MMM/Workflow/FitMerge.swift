import CausalGraph
import CausalMMMCore
import Foundation
import Inference

/// What `causal-mmm merge` is asked to do: the part directories (`fit --chain-count N` tasks) and the
/// fit directory to write.
public struct MergeRequest: Sendable {
  public var outputDirectory: String
  public var parts: [String]
  /// Overwrite a non-empty output directory.
  public var force = false

  public init(outputDirectory: String, parts: [String]) {
    self.outputDirectory = outputDirectory
    self.parts = parts
  }
}

/// Joins the parts of a sharded fit into the fit directory the single-process N-chain fit writes.
///
/// The merge contract: every part must come from the same tool version, configuration, data and lift
/// tests (provenance.json's SHA-256s), seed, tune, draws, chain count, target acceptance, tree depth,
/// metric and initialization; the chain indices must be 0..<N, each once. The chains are rebuilt
/// exactly from each part's chain CSV (statistics, values, step size, inverse metric: shortest
/// round-trip decimals) and `draws_unconstrained.csv`, and the fit directory is written by the same
/// code as `fit` (`FitArchive.write`, the same provenance), so the files are byte-identical to the
/// single-process fit's except wall-clock time (`seconds` in summary.json, `Elapsed Time` in the
/// chain CSVs: the slowest part's) and provenance.json's added `parts` key.
public enum FitMerge {
  /// The record a sharded fit's part holds besides the fit files.
  public static let shardFileName = "shard.json"

  /// Writes `shard.json` into a part directory.
  public static func writeShardRecord(
    _ shard: ChainShard, sampler: SamplerConfiguration, initialization: String, posterior: Posterior,
    to directory: URL
  ) throws {
    let record = JSONValue.object([
      ("chain_index", .integer(shard.index)), ("chain_count", .integer(shard.count)),
      ("version", .string(CausalMMMVersion.string)), ("seed", .string(String(sampler.seed))),
      ("tune", .integer(sampler.tune)), ("draws", .integer(sampler.draws)),
      ("target_accept", .string("\(sampler.targetAccept)")),
      ("max_tree_depth", .integer(sampler.maxTreeDepth)),
      ("metric", .string(sampler.metric.rawValue)),
      ("initialization", .string(initialization)),
      ("warmup_leapfrog_steps", .integer(posterior.chains.first?.warmupLeapfrogSteps ?? 0)),
      ("seconds", .string("\(posterior.seconds)")),
    ])
    let url = directory.appendingPathComponent(shardFileName)
    do {
      try (record.rendered() + "\n").write(to: url, atomically: true, encoding: .utf8)
    } catch {
      throw LocatedError(file: url.path, "cannot write: \(error.localizedDescription)")
    }
  }

  /// One part, read.
  struct Part {
    let directory: String
    let shard: [String: Any]
    let provenance: [String: Any]
    let index: Int
    let count: Int
  }

  static func readJSON(_ path: String) throws -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read file")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw LocatedError(file: path, "not a JSON object")
    }
    return object
  }

  static func file(_ directory: String, _ name: String) -> String {
    URL(fileURLWithPath: directory).appendingPathComponent(name).path
  }

  static func readPart(_ directory: String) throws -> Part {
    let shardPath = file(directory, shardFileName)
    guard FileManager.default.fileExists(atPath: shardPath) else {
      throw LocatedError(
        file: directory,
        "not a chain part (no \(shardFileName)): write parts with `causal-mmm fit --chain-count N`")
    }
    let shard = try readJSON(shardPath)
    let provenance = try readJSON(file(directory, "provenance.json"))
    guard let index = shard["chain_index"] as? Int, let count = shard["chain_count"] as? Int else {
      throw LocatedError(file: shardPath, "chain_index and chain_count must be integers")
    }
    return Part(directory: directory, shard: shard, provenance: provenance, index: index, count: count)
  }

  /// What must agree between parts: name, value.
  static func identity(_ part: Part) -> [(String, String)] {
    func sha(_ key: String) -> String {
      ((part.provenance[key] as? [String: Any])?["sha256"] as? String) ?? "none"
    }
    func value(_ dictionary: [String: Any], _ key: String) -> String {
      dictionary[key].map { "\($0)" } ?? "none"
    }
    return [
      ("tool version", value(part.shard, "version")), ("configuration (SHA-256)", sha("config_file")),
      ("data (SHA-256)", sha("data_file")), ("lift tests (SHA-256)", sha("lift_tests_file")),
      ("seed", value(part.shard, "seed")), ("chain count", String(part.count)),
      ("tune", value(part.shard, "tune")),
      ("draws", value(part.shard, "draws")), ("target accept", value(part.shard, "target_accept")),
      ("max tree depth", value(part.shard, "max_tree_depth")), ("metric", value(part.shard, "metric")),
      ("initialization", value(part.shard, "initialization")),
    ]
  }

  /// Checks and merges the parts, writes the fit directory.
  ///
  /// - Throws: one `LocatedError` naming the first part that does not fit (different inputs or settings,
  ///   a repeated chain index), or the missing chain indices.
  public static func run(_ request: MergeRequest, loadDAG: (String) throws -> CausalDAG) throws -> FitOutcome
  {
    let out = request.outputDirectory
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw LocatedError(file: out, "exists and is not a directory")
    }
    if let contents = try? FileManager.default.contentsOfDirectory(atPath: out), !contents.isEmpty,
      !request.force
    {
      throw LocatedError(file: out, "output directory is not empty (use --force to overwrite)")
    }
    guard !request.parts.isEmpty else { throw LocatedError("no parts to merge: pass the part directories") }
    let parts = try request.parts.map(readPart)
    let first = parts[0]
    let reference = identity(first)
    var byIndex: [Int: Part] = [:]
    for part in parts {
      for ((name, expected), (_, actual)) in zip(reference, identity(part)) where expected != actual {
        throw LocatedError(
          file: part.directory,
          "\(name) \(actual) differs from \(expected) in \(first.directory): parts of different fits cannot be merged"
        )
      }
      guard part.index >= 0, part.index < part.count else {
        throw LocatedError(file: part.directory, "chain index \(part.index) is outside 0..<\(part.count)")
      }
      if let other = byIndex[part.index] {
        throw LocatedError(file: part.directory, "chain index \(part.index) is also in \(other.directory)")
      }
      byIndex[part.index] = part
    }
    let missing = (0..<first.count).filter { byIndex[$0] == nil }
    if !missing.isEmpty {
      throw LocatedError(
        file: out,
        "missing chain index \(missing.map(String.init).joined(separator: ", ")) of \(first.count) "
          + "(parts given: \(byIndex.keys.sorted().map(String.init).joined(separator: ", ")))")
    }
    let ordered = (0..<first.count).compactMap { byIndex[$0] }

    // The model, as the fit built it: the part's configuration, data and lift tests (named as given to `fit`).
    let base = first.directory
    let configPath = file(base, "config.json")
    guard let configData = FileManager.default.contents(atPath: configPath) else {
      throw LocatedError(file: configPath, "cannot read file")
    }
    let configuration: MMMConfiguration
    do {
      configuration = try MMMConfiguration.decodingJSON(configData)
    } catch {
      throw LocatedError(file: configPath, "not a saved configuration: \(error)")
    }
    let dataPath = file(base, "data.csv")
    let table = try FitArchive.readData(path: dataPath, configuration: configuration, requireTarget: true)
    let liftPath = file(base, "lift_tests.csv")
    let liftInput = first.provenance["lift_tests_file"] as? [String: Any]
    let lifts =
      FileManager.default.fileExists(atPath: liftPath)
      ? try LiftTest.parseCSV(
        text: try CSV.readText(path: liftPath), name: (liftInput?["path"] as? String) ?? liftPath) : []
    let model = try MMMModel(configuration: configuration, data: table, liftTests: lifts)

    // The chains, exactly.
    var chains: [Chain] = []
    var seconds = 0.0
    for part in ordered {
      let csvPath = file(part.directory, "chain-1.csv")
      guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else {
        throw LocatedError(file: csvPath, "cannot read file")
      }
      let record = try CmdStanCSV.readChain(text: text, name: csvPath)
      guard record.id == part.index + 1 else {
        throw LocatedError(
          file: csvPath, "chain id \(record.id) does not match chain index \(part.index) of shard.json")
      }
      let unconstrained = try FitArchive.readUnconstrainedDraws(
        path: file(part.directory, "draws_unconstrained.csv"), model: model)
      guard unconstrained.count == record.values.count else {
        throw LocatedError(
          file: file(part.directory, "draws_unconstrained.csv"),
          "\(unconstrained.count) draws, the chain CSV has \(record.values.count)")
      }
      chains.append(
        Chain(
          values: record.values, unconstrained: unconstrained, stats: record.stats, stepSize: record.stepSize,
          inverseMetric: record.inverseMetric,
          warmupLeapfrogSteps: part.shard["warmup_leapfrog_steps"] as? Int ?? 0))
      seconds = max(seconds, Double(part.shard["seconds"] as? String ?? "") ?? 0)
    }
    var sampler = SamplerConfiguration()
    sampler.chains = first.count
    sampler.tune = first.shard["tune"] as? Int ?? 0
    sampler.draws = first.shard["draws"] as? Int ?? 0
    sampler.seed = UInt64(first.shard["seed"] as? String ?? "") ?? 0
    sampler.targetAccept = Double(first.shard["target_accept"] as? String ?? "") ?? sampler.targetAccept
    sampler.maxTreeDepth = first.shard["max_tree_depth"] as? Int ?? sampler.maxTreeDepth
    sampler.metric = (first.shard["metric"] as? String).flatMap(MetricKind.init(rawValue:)) ?? .diagonal
    let posterior = Posterior(
      parameterNames: model.parameterNames, chains: chains, configuration: sampler, seconds: seconds)
    let fit = FittedMMM(model: model, posterior: posterior)

    // The same warnings as `fit`: the planner's verdicts (on the part's copy of the DAG), the calibration checks.
    var warnings: [String] = []
    let dagCopy = file(base, BudgetJob.dagFileName)
    if FileManager.default.fileExists(atPath: dagCopy) {
      let dag = try loadDAG(dagCopy)
      do {
        warnings = try CausalPlanner.specificationWarnings(
          dag: dag, outcome: configuration.targetColumn, channels: configuration.channelColumns,
          controls: configuration.controlColumns)
      } catch {
        throw LocatedError(file: dagCopy, message: "\(error)")
      }
    }
    let calibration = try fit.calibrationChecks(liftTests: lifts, data: table)
    warnings += FitJob.calibrationWarnings(calibration)
    let outURL = URL(fileURLWithPath: out)
    try FitArchive.write(
      fit: fit, to: outURL, dataPath: dataPath,
      liftTestPath: FileManager.default.fileExists(atPath: liftPath) ? liftPath : nil,
      extraWarnings: warnings, calibration: calibration)
    func input(_ key: String) -> FitProvenance.Input? {
      guard let entry = first.provenance[key] as? [String: Any], let path = entry["path"] as? String,
        let sha = entry["sha256"] as? String
      else { return nil }
      return FitProvenance.Input(path: path, sha256: sha)
    }
    guard let configInput = input("config_file"), let dataInput = input("data_file") else {
      throw LocatedError(file: file(base, "provenance.json"), "no config_file or data_file entry")
    }
    let provenance = FitProvenance(
      toolVersion: first.shard["version"] as? String ?? CausalMMMVersion.string, config: configInput,
      data: dataInput, liftTests: input("lift_tests_file"), seed: sampler.seed, chains: sampler.chains,
      tune: sampler.tune, draws: sampler.draws)
    let partsJSON = JSONValue.array(
      ordered.map { .object([("chain_index", .integer($0.index)), ("directory", .string($0.directory))]) })
    do {
      try provenance.jsonText(configuration: configuration, extra: [("parts", partsJSON)]).write(
        to: outURL.appendingPathComponent("provenance.json"), atomically: true, encoding: .utf8)
    } catch {
      throw LocatedError(file: out, "cannot write provenance.json: \(error.localizedDescription)")
    }
    if FileManager.default.fileExists(atPath: dagCopy) {
      try FitArchive.copy(dagCopy, to: outURL.appendingPathComponent(BudgetJob.dagFileName))
    }
    var outcome = FitOutcome(
      fit: fit, sampler: sampler, notes: [], warnings: warnings + fit.warnings(), calibration: calibration)
    outcome.outputDirectory = out
    return outcome
  }
}
