import ArgumentParser
import CausalGraph

struct InstrumentsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "instruments",
    abstract: "Conditional instrumental variables for the effect of a treatment on an outcome.",
    discussion: "Example: causal-mmm instruments dags/calibration_trap.dot")

  @OptionGroup var query: DAGQueryOptions

  func run() throws {
    let resolved = try query.load(requireQuery: true)
    let dag = resolved.dag
    let lines = try query.problem(resolved).instruments().map { instrument in
      let given = dag.sortedNames(of: instrument.conditioningSet)
      return dag.name(of: instrument.instrument)
        + (given.isEmpty ? "" : " | " + given.joined(separator: ", "))
    }
    for line in lines.sorted() { print(line) }
  }
}
