import ArgumentParser
import CausalGraph
import CausalMMMCore
import GraphvizIO
import Inference

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Parse a DOT file, check that it is a DAG, and list its nodes, edges, latents and roles.")

  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?
  @Option(help: "Output format: text or json.") var format: OutputFormat = .text

  func run() throws {
    let query = try DAGQuery.load(
      file: file, treatment: nil, outcome: nil, latent: latent, requireQuery: false)
    let dag = query.dag
    let names = { (indices: [Int]) in indices.map { dag.name(of: $0) } }
    let edges = dag.edges.map { "\(dag.name(of: $0.from)) -> \(dag.name(of: $0.to))" }
    switch format {
    case .json:
      let json = JSONValue.object([
        ("file", .string(file)),
        ("acyclic", .bool(true)),
        ("nodes", .strings(dag.nodes.map(\.name))),
        ("edges", .array(dag.edges.map { .strings([dag.name(of: $0.from), dag.name(of: $0.to)]) })),
        ("latent", .strings(names(dag.latentNodes))),
        ("treatment", .strings(names(query.treatments))),
        ("outcome", .strings(names(query.outcomes))),
        ("topological_order", .strings(names(dag.topologicalOrder))),
      ])
      print(json.rendered())
    case .text:
      print("\(file): a DAG with \(dag.nodeCount) nodes and \(dag.edges.count) edges (acyclic)")
      print("nodes:     \(dag.nodes.map(\.name).joined(separator: ", "))")
      print("latent:    \(names(dag.latentNodes).joined(separator: ", ").orNone)")
      print("treatment: \(names(query.treatments).joined(separator: ", ").orNone)")
      print("outcome:   \(names(query.outcomes).joined(separator: ", ").orNone)")
      print("edges:")
      for edge in edges { print("  \(edge)") }
    }
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

extension String {
  var orNone: String { isEmpty ? "(none)" : self }
}
