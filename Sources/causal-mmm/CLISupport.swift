import ArgumentParser
import CausalGraph
import CausalMMMCore
import Foundation
import GraphvizIO
import Inference

// The one place where the CLI turns library errors into `FILE:LINE: error: MESSAGE` on stderr
// and exit status 1, with nothing on stdout: `renderError` writes the line and `CausalMMMCommand.main`
// is the only place that exits.

/// Writes one line to standard error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The one rendering of a library error: a ``LocatedError`` as `FILE:LINE: error: MESSAGE`,
/// anything else as `causal-mmm: error: MESSAGE`.
func renderError(_ error: Error) -> String {
  if let located = error as? LocatedError { return located.description }
  return "causal-mmm: error: \(error)"
}

/// Whether an error belongs to the argument parser (help, version, usage), which renders its own.
func isParserError(_ error: Error) -> Bool {
  error is ValidationError || error is ExitCode || error is CleanExit
    || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
}

/// A graph error located in `file`.
func locate(_ error: CausalGraphError, file: String, line: Int? = nil) -> LocatedError {
  LocatedError(file: file, line: line, message: error.description)
}

/// Splits a comma-separated option value into trimmed, non-empty names.
func commaSeparated(_ value: String?) -> [String] {
  guard let value else { return [] }
  return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
    !$0.isEmpty
  }
}

/// Reads a DOT file, marks `--latent` names, and resolves the treatment and outcome: flags
/// override the roles declared in the file.
struct DAGQuery {
  let dag: CausalDAG
  let treatments: [Int]
  let outcomes: [Int]

  static func load(
    file: String, treatment: String?, outcome: String?, latent: String?, requireQuery: Bool
  ) throws -> DAGQuery {
    // Hard limits, so an oversized input gets a message instead of an out-of-memory kill.
    let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int ?? 0
    if size > 500_000_000 {
      throw LocatedError(file: file, message: "the file is \(size / 1_000_000) MB, over the 500 MB limit")
    }
    var dag = try DOTReader.read(contentsOf: file)
    if dag.nodeCount > 1_000_000 {
      throw LocatedError(file: file, message: "\(dag.nodeCount) nodes exceed the limit of 1,000,000")
    }
    let latentNames = commaSeparated(latent)
    if !latentNames.isEmpty {
      do { dag = try dag.markingLatent(latentNames) } catch { throw locate(error, file: file) }
    }
    func resolve(_ flag: String?, role: CausalDAG.DeclaredRole, option: String) throws -> [Int] {
      let names = commaSeparated(flag)
      if names.isEmpty { return dag.nodes(declaring: role) }
      return try names.map { name in
        guard let index = dag.index(of: name) else {
          throw LocatedError(file: file, message: "unknown node '\(name)' given to \(option)")
        }
        return index
      }
    }
    let treatments = try resolve(treatment, role: .treatment, option: "--treatment")
    let outcomes = try resolve(outcome, role: .outcome, option: "--outcome")
    if requireQuery {
      if treatments.isEmpty {
        throw LocatedError(file: file, message: "no treatment: pass --treatment X or declare role=treatment")
      }
      if outcomes.isEmpty {
        throw LocatedError(file: file, message: "no outcome: pass --outcome Y or declare role=outcome")
      }
    }
    if let shared = Set(treatments).intersection(outcomes).first {
      throw locate(.treatmentIsOutcome(dag.name(of: shared)), file: file)
    }
    for index in treatments where dag.nodes[index].isLatent {
      throw locate(.latentNode(dag.name(of: index), role: "treatment"), file: file)
    }
    for index in outcomes where dag.nodes[index].isLatent {
      throw locate(.latentNode(dag.name(of: index), role: "outcome"), file: file)
    }
    return DAGQuery(dag: dag, treatments: treatments, outcomes: outcomes)
  }
}

/// The DOT file and the nodes to treat as latent: shared by every command that reads a DAG.
struct DAGFileOptions: ParsableArguments {
  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?
}

/// A DAG and a query on it: treatment and outcome override the file's `role=` attributes.
struct DAGQueryOptions: ParsableArguments {
  @OptionGroup var dag: DAGFileOptions
  @Option(help: "Treatment node(s), comma-separated (overrides role=treatment in the file).")
  var treatment: String?
  @Option(help: "Outcome node(s), comma-separated (overrides role=outcome in the file).")
  var outcome: String?

  var file: String { dag.file }

  /// The graph with its query resolved (`requireQuery`: a treatment and an outcome must be named).
  func load(requireQuery: Bool) throws -> DAGQuery {
    try DAGQuery.load(
      file: dag.file, treatment: treatment, outcome: outcome, latent: dag.latent, requireQuery: requireQuery)
  }

  /// The adjustment problem of the query, graph errors located in the file.
  func problem(_ query: DAGQuery, excluding: [String] = [], requiring: [String] = []) throws
    -> AdjustmentProblem
  {
    do {
      return try AdjustmentProblem(
        dag: query.dag, treatment: query.treatments, outcome: query.outcomes,
        excluding: query.dag.indices(of: excluding), requiring: query.dag.indices(of: requiring))
    } catch {
      throw locate(error, file: dag.file)
    }
  }
}

extension DAGFileOptions {
  /// The graph, without a query.
  func load() throws -> CausalDAG {
    try DAGQuery.load(file: file, treatment: nil, outcome: nil, latent: latent, requireQuery: false).dag
  }
}

/// Sampler settings shared by the commands that run NUTS; each command supplies its own defaults
/// (`fit` and `cv` take the configuration's).
struct SamplerOptions: ParsableArguments {
  @Option(help: "Number of chains.") var chains: Int?
  @Option(help: "Warm-up iterations per chain.") var tune: Int?
  @Option(help: "Kept draws per chain.") var draws: Int?
  @Option(name: .customLong("target-accept"), help: "Target acceptance rate.") var targetAccept: Double?
  @Option(help: "Random seed.") var seed: UInt64?
  @Option(
    name: .customLong("max-tree-depth"),
    help: "Maximum NUTS tree depth (at most 2^depth leapfrog steps per draw; default 10).")
  var maxTreeDepth: Int?

  /// The sampler with these options over `defaults`.
  func configuration(defaults: SamplerConfiguration) -> SamplerConfiguration {
    var sampler = defaults
    sampler.chains = chains ?? defaults.chains
    sampler.tune = tune ?? defaults.tune
    sampler.draws = draws ?? defaults.draws
    sampler.targetAccept = targetAccept ?? defaults.targetAccept
    sampler.seed = seed ?? defaults.seed
    sampler.maxTreeDepth = maxTreeDepth ?? defaults.maxTreeDepth
    return sampler
  }

  /// A sampler with the given defaults.
  static func defaults(chains: Int, tune: Int, draws: Int, targetAccept: Double, seed: UInt64)
    -> SamplerConfiguration
  {
    var sampler = SamplerConfiguration()
    (sampler.chains, sampler.tune, sampler.draws, sampler.targetAccept, sampler.seed) =
      (chains, tune, draws, targetAccept, seed)
    return sampler
  }
}

/// Writes text to a file, creating the parent directory.
func write(_ text: String, to path: String) throws {
  let url = URL(fileURLWithPath: path)
  do {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  } catch {
    throw LocatedError(file: path, message: "cannot write the file (\(error.localizedDescription))")
  }
}
