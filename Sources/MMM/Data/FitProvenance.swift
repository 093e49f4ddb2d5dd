import CausalMMMCore
import Foundation
import Inference

/// What a fit was made from: the tool version, the input files with their SHA-256, the
/// configuration as read, and the sampler settings that fix the draws (seed, chains, iterations).
///
/// Written as `provenance.json` next to `summary.json`. It holds no timing, host or thread count, so
/// two fits of the same inputs and seed write the same file.
public struct FitProvenance: Sendable, Equatable {
  /// One input file.
  public struct Input: Sendable, Equatable {
    /// The path as given on the command line.
    public var path: String
    /// SHA-256 of the file's bytes, 64 lowercase hex digits.
    public var sha256: String

    public init(path: String, sha256: String) {
      self.path = path
      self.sha256 = sha256
    }
  }

  public var toolVersion: String
  public var config: Input
  public var data: Input
  public var liftTests: Input?
  public var seed: UInt64
  public var chains: Int
  public var tune: Int
  public var draws: Int

  /// A record from its fields (e.g. read back from a part of a sharded fit).
  public init(
    toolVersion: String, config: Input, data: Input, liftTests: Input?, seed: UInt64, chains: Int, tune: Int,
    draws: Int
  ) {
    (self.toolVersion, self.config, self.data, self.liftTests) = (toolVersion, config, data, liftTests)
    (self.seed, self.chains, self.tune, self.draws) = (seed, chains, tune, draws)
  }

  /// Reads and hashes the input files.
  ///
  /// - Throws: `LocatedError` when a file cannot be read.
  public init(
    toolVersion: String, configPath: String, dataPath: String, liftTestPath: String?, seed: UInt64,
    chains: Int,
    tune: Int, draws: Int
  ) throws {
    func input(_ path: String) throws -> Input {
      guard let bytes = FileManager.default.contents(atPath: path) else {
        throw LocatedError(file: path, "cannot read file")
      }
      return Input(path: path, sha256: SHA256.hexDigest(bytes))
    }
    self.toolVersion = toolVersion
    config = try input(configPath)
    data = try input(dataPath)
    liftTests = try liftTestPath.map(input)
    self.seed = seed
    self.chains = chains
    self.tune = tune
    self.draws = draws
  }

  /// The record as a JSON object (keys in a fixed order), with the configuration as read; `extra` keys
  /// (e.g. `parts` of a merged fit) go after `lift_tests_file`.
  public func jsonText(configuration: MMMConfiguration, extra: [(String, JSONValue)] = []) -> String {
    let quoted = JSONValue.quote
    func entry(_ input: Input?) -> String {
      guard let input else { return "null" }
      return "{\"path\": \(quoted(input.path)), \"sha256\": \"\(input.sha256)\"}"
    }
    let configurationText = configuration.jsonText().split(separator: "\n").joined(separator: "\n  ")
    let extraText = extra.map { "\n  \(quoted($0.0)): \($0.1.rendered(pretty: false))," }.joined()
    return """
      {
        "tool": "causal-mmm",
        "version": \(quoted(toolVersion)),
        "seed": \(seed),
        "chains": \(chains),
        "tune": \(tune),
        "draws": \(draws),
        "config_file": \(entry(config)),
        "data_file": \(entry(data)),
        "lift_tests_file": \(entry(liftTests)),\(extraText)
        "configuration": \(configurationText)
      }

      """
  }
}
