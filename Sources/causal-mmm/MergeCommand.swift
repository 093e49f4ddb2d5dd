import ArgumentParser
import Foundation
import GraphvizIO
import MMM
import Reports

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the chain parts of a sharded fit (fit --chain-count N) into one fit directory.",
    discussion: """
      Each part is the directory one `causal-mmm fit ... --chain-count N` task wrote (OUT/part-K). The parts
      must come from the same configuration, data, lift tests, seed and sampler settings, with chain indices
      0..N-1 each once. The result is the directory the single-process N-chain fit writes (wall-clock time
      aside; provenance.json lists the parts).
      Example: causal-mmm merge --out fit parts/part-*
      """)

  @Option(help: "Output fit directory.") var out: String
  @Argument(help: "The part directories.") var parts: [String]
  @Flag(help: "Do not print the summary table.") var quiet = false
  @Flag(help: "Overwrite a non-empty output directory.") var force = false

  func run() throws {
    var request = MergeRequest(outputDirectory: out, parts: parts)
    request.force = force
    let outcome = try FitMerge.run(request) { path in try DOTReader.read(contentsOf: path) }
    guard !quiet, let posterior = outcome.posterior else { return }
    print(FitSummaryText.parameters(outcome.parameterSummary))
    print(
      "\(posterior.chains.count) chains x (\(outcome.sampler.tune) + \(outcome.sampler.draws)) merged from "
        + "\(parts.count) parts, \(posterior.divergences) divergences; wrote " + out)
    let (open, close) = isatty(STDOUT_FILENO) != 0 ? ("\u{1b}[1m", "\u{1b}[0m") : ("**", "**")
    for warning in outcome.warnings { print(open + "WARNING: " + warning + close) }
  }
}
