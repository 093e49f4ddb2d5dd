import ArgumentParser
import CausalGraph
import GraphvizIO

struct ImplicationsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "implications",
    abstract: "The conditional independencies the DAG implies among observed variables (testable in data).")

  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?

  func run() {
    let lines = exitOnLocatedError { () throws -> [String] in
      let dag = try DAGQuery.load(
        file: file, treatment: nil, outcome: nil, latent: latent, requireQuery: false
      ).dag
      return dag.impliedConditionalIndependencies().map { statement in
        let given = dag.sortedNames(of: statement.given)
        return "\(dag.name(of: statement.first)) _||_ \(dag.name(of: statement.second))"
          + (given.isEmpty ? "" : " | " + given.joined(separator: ", "))
      }
    }
    for line in lines { print(line) }
  }
}
