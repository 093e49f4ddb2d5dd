import ArgumentParser
import MMM

struct SaturationPriorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "saturation-prior",
    abstract: "Fit a Michaelis-Menten curve to measured spend changes and turn it into informative priors.",
    discussion: """
      Reads the spend-change points written by `causal-mmm its --spend ... --out FILE`, scales them as the
      MMM does (spend / max spend of --channel, sales / max |--target| in --data), samples the posterior of
      (saturation_alpha, saturation_lam) under the MMM's default priors, and finds the --family member with
      --mass of its probability inside each 94% HDI (constrained-prior solver). Writes a `priors:` YAML block.
      """)

  @Option(help: "Comma-separated JSON files from `causal-mmm its --spend`.") var points: String
  @Option(help: "The MMM's data CSV (for the scales).") var data: String
  @Option(help: "The MMM's target column.") var target: String
  @Option(help: "The channel the experiments changed.") var channel: String
  @Option(name: .customLong("date-column"), help: "The date column.") var dateColumn: String = "date"
  @Option(help: "Prior family (Gamma, LogNormal, Normal, Beta, ...).") var family: String = "Gamma"
  @Option(help: "Prior mass inside the posterior HDI.") var mass: Double = 0.94
  @OptionGroup var sampler: SamplerOptions
  @Option(help: "Write the `priors:` YAML block here.") var out: String?

  func run() throws {
    var request = SaturationPriorRequest(
      dataPath: data, target: target, channel: channel, pointPaths: commaSeparated(points),
      sampler: sampler.configuration(
        defaults: SamplerOptions.defaults(chains: 2, tune: 1000, draws: 2000, targetAccept: 0.95, seed: 4)))
    (request.dateColumn, request.family, request.mass) = (dateColumn, family, mass)
    let report = try MichaelisMentenFromExperiments.analyse(request)
    for line in report.lines { print(line) }
    print(report.document, terminator: "")
    if let out { try write(report.document, to: out) }
  }
}
