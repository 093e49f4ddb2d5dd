import ArgumentParser
import CausalMMMCore
import Foundation
import MMM

struct EffectsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "effects",
    abstract:
      "Per channel of a structural fit (structure: dag): go-dark and +50% total, direct and indirect effects, "
      + "ROAS and the share through each mediator, with 94% HDIs.")

  @Option(help: "A directory written by `causal-mmm fit` for a configuration with structure: dag.") var fit:
    String
  @Option(
    help: "The intervention window START:END (dates YYYY-MM-DD, inclusive; default: every training date).")
  var window: String?
  @Option(help: "text or json.") var format: String = "text"

  func run() throws {
    let report = try StructuralEffectsReport.run(fitDirectory: fit, window: window, format: format)
    print(report)
  }
}
