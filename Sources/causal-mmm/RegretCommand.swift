import ArgumentParser
import Foundation
import Simulation

struct RegretDemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "regret",
    abstract: "Score the budget allocations of fitted models with the scenario's structural causal model.",
    discussion: """
      Each fit (trained on the scenario's simulated data) allocates the budget over the periods after \
      the training data; the SCM, simulated under do(channel := allocation x flighting) with common \
      random numbers, gives each allocation's true incremental outcome, the true optimum (a search over \
      the SCM itself) and each model's regret. scripts/decisions/regret.sh makes the fits.

      Example:
        causal-mmm demo regret --scenario unobserved-confounder --seed 2 \\\\
          --fit naive=fits/baseline --fit calibrated=fits/go-dark --periods 13
      """)

  @Option(help: "A national two-channel scenario (unobserved-confounder).") var scenario =
    "unobserved-confounder"
  @Option(help: "Scenario seed (the fits' data must come from it).") var seed: UInt64 = 2
  @Option(parsing: .singleValue, help: "LABEL=DIR: a fit to score; repeatable.") var fit: [String] = []
  @Option(help: "Total spend over the horizon (default: the last N periods' spend).") var budget: Double?
  @Option(help: "Periods in the horizon.") var periods = 13

  func run() throws {
    let fits = fit.map { item -> (label: String, directory: String) in
      let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
      return parts.count == 2 ? (parts[0], parts[1]) : (item, item)
    }
    print(
      try AllocationRegret.run(scenario: scenario, seed: seed, fits: fits, budget: budget, periods: periods)
        .text)
  }
}
