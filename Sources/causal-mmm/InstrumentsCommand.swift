import ArgumentParser
import CausalGraph
import GraphvizIO

struct InstrumentsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "instruments",
    abstract: "Conditional instrumental variables for the effect of a treatment on an outcome.")

  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "Treatment node(s), comma-separated (overrides role=treatment).") var treatment: String?
  @Option(help: "Outcome node(s), comma-separated (overrides role=outcome).") var outcome: String?
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?

  func run() {
    let lines = exitOnLocatedError { () throws -> [String] in
      let query = try DAGQuery.load(
        file: file, treatment: treatment, outcome: outcome, latent: latent, requireQuery: true)
      let dag = query.dag
      let problem: AdjustmentProblem
      do {
        problem = try AdjustmentProblem(dag: dag, treatment: query.treatments, outcome: query.outcomes)
      } catch let error as CausalGraphError { throw locate(error, file: file) }
      return problem.instruments().map { instrument in
        let given = dag.sortedNames(of: instrument.conditioningSet)
        return dag.name(of: instrument.instrument)
          + (given.isEmpty ? "" : " | " + given.joined(separator: ", "))
      }.sorted()
    }
    for line in lines { print(line) }
  }
}
