import ArgumentParser
import CausalGraph

struct ImplicationsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "implications",
    abstract: "The conditional independencies the DAG implies among observed variables (testable in data).",
    discussion: "Example: causal-mmm implications dags/calibration_trap.dot")

  @OptionGroup var dag: DAGFileOptions

  func run() throws {
    let graph = try dag.load()
    for statement in graph.impliedConditionalIndependencies() {
      let given = graph.sortedNames(of: statement.given)
      print(
        "\(graph.name(of: statement.first)) _||_ \(graph.name(of: statement.second))"
          + (given.isEmpty ? "" : " | " + given.joined(separator: ", ")))
    }
  }
}
