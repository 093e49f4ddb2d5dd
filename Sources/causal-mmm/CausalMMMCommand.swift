import ArgumentParser
import Foundation
import MMM

/// The `causal-mmm` command line: argument parsing, calls into the library, printing. No algorithms.
@main
struct CausalMMMCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "causal-mmm",
    abstract: "Causally honest marketing-mix models: DAGs, adjustment sets, Bayesian MMMs, lift tests.",
    version: CausalMMMVersion.string,
    subcommands: [
      CheckCommand.self,
      FitCommand.self,
      MergeCommand.self,
      CVMergeCommand.self,
      PredictCommand.self,
      InterveneCommand.self,
      EffectsCommand.self,
      RenderCommand.self,
      AdjustCommand.self,
      ImplicationsCommand.self,
      TestDAGCommand.self,
      InstrumentsCommand.self,
      ReportCommand.self,
      SimulateCommand.self,
      PlanCommand.self,
      CVCommand.self,
      DemoCommand.self,
      ITSCommand.self,
      SaturationPriorCommand.self,
      SensitivityCommand.self,
      CurvesCommand.self,
      OptimizeCommand.self,
    ]
  )

  /// Parses, runs, and renders every library error once (``renderError(_:)``), exit status 1;
  /// argument-parser's own errors (usage, help, version) keep its rendering.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch  where isParserError(error) {
      exit(withError: error)
    } catch {
      printError(renderError(error))
      Foundation.exit(1)
    }
  }
}
