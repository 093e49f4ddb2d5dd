import CausalMMMCore
import Foundation
import Inference

/// A sharded `cv`: one fold per batch task (`cv --fold-index K` writes `OUT/fold-K`), then `cv-merge`
/// rebuilds every fold's result from its part exactly as `cv` computes it.
public enum CrossValidationShard {
  /// What a `cv` task or a `cv-merge` is given: the inputs, the folds, the sampler (after overrides).
  public struct Request: Sendable {
    public var configurationPath: String
    public var dataPath: String
    public var liftTestPath: String?
    public var initial: Int
    public var horizon: Int
    public var step: Int
    public var outputDirectory: String

    public init(
      configurationPath: String, dataPath: String, liftTestPath: String?, initial: Int, horizon: Int,
      step: Int,
      outputDirectory: String
    ) {
      (self.configurationPath, self.dataPath, self.liftTestPath) = (configurationPath, dataPath, liftTestPath)
      (self.initial, self.horizon, self.step, self.outputDirectory) = (
        initial, horizon, step, outputDirectory
      )
    }
  }

  public static let foldFileName = "fold.json"

  struct Inputs {
    let configuration: MMMConfiguration
    let data: MMMData
    let lifts: [LiftTest]
    let validator: TimeSliceCrossValidator
    let hashes: [(String, String)]
  }

  static func sha(_ path: String) throws -> String {
    guard let bytes = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read file")
    }
    return SHA256.hexDigest(bytes)
  }

  static func inputs(_ request: Request) throws -> Inputs {
    let configuration = try MMMConfiguration.read(path: request.configurationPath)
    let data = try FitArchive.readData(
      path: request.dataPath, configuration: configuration, requireTarget: true)
    let lifts = try request.liftTestPath.map { try LiftTest.readCSV(path: $0) } ?? []
    let validator = try TimeSliceCrossValidator(
      initial: request.initial, horizon: request.horizon, step: request.step)
    let hashes = [
      ("configuration (SHA-256)", try sha(request.configurationPath)),
      ("data (SHA-256)", try sha(request.dataPath)),
      ("lift tests (SHA-256)", try request.liftTestPath.map(sha) ?? "none"),
    ]
    return Inputs(
      configuration: configuration, data: data, lifts: lifts, validator: validator, hashes: hashes)
  }

  /// Runs fold `index` and writes `OUT/fold-K` (chain CSVs, `draws_unconstrained.csv`, `fold.json`).
  /// - Returns: the fold's result (as `cv` reports it) and the part directory.
  public static func runFold(_ index: Int, request: Request, sampler: SamplerConfiguration) throws -> (
    result: CrossValidationFold, directory: String
  ) {
    let inputs = try inputs(request)
    let (result, fit, count) = try inputs.validator.runFold(
      index, configuration: inputs.configuration, data: inputs.data, liftTests: inputs.lifts, sampler: sampler
    )
    guard let posterior = fit.posterior else { throw LocatedError("fold \(index): no posterior") }
    let directory = URL(fileURLWithPath: request.outputDirectory).appendingPathComponent("fold-\(index)")
    let settings = posterior.configuration
    let record = JSONValue.object(
      [
        ("fold_index", .integer(index)), ("fold_count", .integer(count)),
        ("version", .string(CausalMMMVersion.string)),
      ]
        + inputs.hashes.map { ($0.0, JSONValue.string($0.1)) } + [
          ("initial", .integer(request.initial)), ("horizon", .integer(request.horizon)),
          ("step", .integer(request.step)),
          ("seed", .string(String(sampler.seed))), ("chains", .integer(settings.chains)),
          ("tune", .integer(settings.tune)),
          ("draws", .integer(settings.draws)), ("target_accept", .string("\(settings.targetAccept)")),
          ("max_tree_depth", .integer(settings.maxTreeDepth)),
          ("metric", .string(settings.metric.rawValue)),
          ("seconds", .string("\(posterior.seconds)")),
        ])
    do {
      let fm = FileManager.default
      try fm.createDirectory(at: directory, withIntermediateDirectories: true)
      for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasPrefix("chain-") {
        try fm.removeItem(at: directory.appendingPathComponent(name))
      }
      try CmdStanCSV.writeFiles(posterior, directory: directory)
      try FitArchive.unconstrainedDrawsCSV(fit).write(
        to: directory.appendingPathComponent("draws_unconstrained.csv"), atomically: true, encoding: .utf8)
      try (record.rendered() + "\n").write(
        to: directory.appendingPathComponent(foldFileName), atomically: true, encoding: .utf8)
    } catch {
      throw LocatedError(file: directory.path, "cannot write the fold: \(error.localizedDescription)")
    }
    return (result, directory.path)
  }

  /// Checks the fold parts against the inputs and each other, and rebuilds every fold's result.
  ///
  /// - Throws: one `LocatedError` naming the part: other inputs (SHA-256) or folds, other sampler settings
  ///   or seed, a repeated fold; or the missing folds.
  public static func merge(request: Request, parts: [String]) throws -> [CrossValidationFold] {
    guard !parts.isEmpty else { throw LocatedError("no parts to merge: pass the fold directories") }
    let inputs = try inputs(request)
    let count = try inputs.validator.foldCount(data: inputs.data)
    let expected =
      [("version", CausalMMMVersion.string)] + inputs.hashes + [
        ("initial", String(request.initial)), ("horizon", String(request.horizon)),
        ("step", String(request.step)),
        ("fold_count", String(count)),
      ]
    var records: [Int: (String, [String: Any])] = [:]
    var reference: (String, [String: Any])?
    for part in parts {
      let path = URL(fileURLWithPath: part).appendingPathComponent(foldFileName).path
      guard FileManager.default.fileExists(atPath: path) else {
        throw LocatedError(
          file: part,
          "not a cv fold part (no \(foldFileName)): write parts with `causal-mmm cv --fold-index K`")
      }
      let record = try FitMerge.readJSON(path)
      func value(_ key: String) -> String { record[key].map { "\($0)" } ?? "none" }
      for (key, wanted) in expected where value(key) != wanted {
        throw LocatedError(
          file: part, "\(key) \(value(key)) differs from the given inputs' \(wanted): a fold of another cv")
      }
      if let (first, firstRecord) = reference {
        for key in ["seed", "chains", "tune", "draws", "target_accept", "max_tree_depth", "metric"] {
          let mine = value(key)
          let theirs = firstRecord[key].map { "\($0)" } ?? "none"
          if mine != theirs {
            throw LocatedError(
              file: part, "\(key) \(mine) differs from \(theirs) in \(first): folds of different cv runs")
          }
        }
      } else {
        reference = (part, record)
      }
      guard let index = record["fold_index"] as? Int else {
        throw LocatedError(file: path, "fold_index must be an integer")
      }
      if let other = records[index] { throw LocatedError(file: part, "fold \(index) is also in \(other.0)") }
      records[index] = (part, record)
    }
    let missing = (0..<count).filter { records[$0] == nil }
    if !missing.isEmpty {
      throw LocatedError(
        file: request.outputDirectory,
        "missing fold \(missing.map(String.init).joined(separator: ", ")) of \(count)")
    }
    return try (0..<count).compactMap { index in
      guard let (part, record) = records[index] else { return nil }
      return try inputs.validator.foldResult(
        index, configuration: inputs.configuration, data: inputs.data, liftTests: inputs.lifts
      ) { model in
        var sampler = SamplerConfiguration()
        sampler.chains = record["chains"] as? Int ?? 1
        sampler.tune = record["tune"] as? Int ?? 0
        sampler.draws = record["draws"] as? Int ?? 0
        sampler.seed = (UInt64(record["seed"] as? String ?? "") ?? 0) &+ UInt64(index)
        sampler.targetAccept = Double(record["target_accept"] as? String ?? "") ?? sampler.targetAccept
        sampler.maxTreeDepth = record["max_tree_depth"] as? Int ?? sampler.maxTreeDepth
        sampler.metric = (record["metric"] as? String).flatMap(MetricKind.init(rawValue:)) ?? .diagonal
        let drawsPath = URL(fileURLWithPath: part).appendingPathComponent("draws_unconstrained.csv").path
        var unconstrained = try FitArchive.readUnconstrainedDraws(path: drawsPath, model: model)[...]
        var chains: [Chain] = []
        for c in 1...sampler.chains {
          let csvPath = URL(fileURLWithPath: part).appendingPathComponent("chain-\(c).csv").path
          guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else {
            throw LocatedError(file: csvPath, "cannot read file")
          }
          let chain = try CmdStanCSV.readChain(text: text, name: csvPath)
          guard unconstrained.count >= chain.values.count else {
            throw LocatedError(file: drawsPath, "fewer draws than the chain CSVs hold")
          }
          chains.append(
            Chain(
              values: chain.values, unconstrained: Array(unconstrained.prefix(chain.values.count)),
              stats: chain.stats,
              stepSize: chain.stepSize, inverseMetric: chain.inverseMetric))
          unconstrained = unconstrained.dropFirst(chain.values.count)
        }
        return Posterior(
          parameterNames: model.parameterNames, chains: chains, configuration: sampler,
          seconds: Double(record["seconds"] as? String ?? "") ?? 0)
      }
    }
  }
}
