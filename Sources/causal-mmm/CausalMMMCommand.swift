import ArgumentParser

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
      PredictCommand.self,
      InterveneCommand.self,
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
    ]
  )
}

enum CausalMMMVersion {
  static let string = "0.1.0"
}
