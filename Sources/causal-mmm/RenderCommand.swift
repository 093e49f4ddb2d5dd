import ArgumentParser
import CausalGraph
import CausalValidation
import Foundation
import GraphvizIO

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Draw a causal DAG with Graphviz, roles marked and a legend (SVG, PNG, PDF or DOT).")

  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "Treatment node(s), comma-separated (overrides role=treatment in the file).")
  var treatment: String?
  @Option(help: "Outcome node(s), comma-separated (overrides role=outcome in the file).")
  var outcome: String?
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?
  @Option(name: .shortAndLong, help: "Output file; the format comes from the extension (.svg, .png, .pdf, .dot). '-' writes SVG to stdout.")
  var output: String
  @Option(help: "A `test-dag --format json` result: draw each rejected independence as a dashed red line.")
  var tests: String?

  func run() {
    let format: RenderFormat
    if output == "-" {
      format = .svg
    } else {
      let pathExtension = URL(fileURLWithPath: output).pathExtension
      guard let known = RenderFormat(pathExtension: pathExtension) else {
        printError("\(output): error: unknown output format '.\(pathExtension)'; use .svg, .png, .pdf or .dot")
        Foundation.exit(1)
      }
      format = known
    }
    let data = exitOnLocatedError { () throws -> Data in
      let query = try DAGQuery.load(
        file: file, treatment: treatment, outcome: outcome, latent: latent, requireQuery: false)
      var annotations = DAGAnnotationsBuilder.annotations(for: query)
      if let tests {
        guard let json = FileManager.default.contents(atPath: tests) else {
          throw LocatedError(file: tests, message: "cannot read file")
        }
        do {
          let report = try DAGTestReport.decoding(json: json)
          annotations.rejectedIndependencies = Set(
            report.rejected.map { Set([$0.statement.node, $0.statement.other]) })
        } catch {
          throw LocatedError(file: tests, message: "not a test-dag JSON result (\(error))")
        }
      }
      do {
        return try GraphRenderer.render(query.dag, annotations: annotations, format: format)
      } catch {
        throw LocatedError(file: file, message: "\(error)")
      }
    }
    if output == "-" {
      FileHandle.standardOutput.write(data)
      return
    }
    do {
      try data.write(to: URL(fileURLWithPath: output), options: Data.WritingOptions.atomic)
    } catch {
      printError("\(output): error: cannot write the file (\(error.localizedDescription))")
      Foundation.exit(1)
    }
  }
}

/// Turns a resolved query into drawing annotations: with a treatment and an outcome, the
/// recommended adjustment set (the optimal set when it exists, else the smallest minimal set),
/// the mediators and the colliders come from the adjustment engine.
enum DAGAnnotationsBuilder {
  static func annotations(for query: DAGQuery) -> DAGAnnotations {
    let dag = query.dag
    let names = { (indices: [Int]) in Set(indices.map { dag.name(of: $0) }) }
    var annotations = DAGAnnotations(treatments: names(query.treatments), outcomes: names(query.outcomes))
    guard !query.treatments.isEmpty, !query.outcomes.isEmpty,
      let problem = try? AdjustmentProblem(dag: dag, treatment: query.treatments, outcome: query.outcomes)
    else { return annotations }
    let roles = problem.roles()
    annotations.mediators = names(roles.mediators)
    annotations.colliders = names(roles.colliders)
    if let recommended = problem.optimalAdjustmentSet() ?? problem.minimalAdjustmentSets(limit: 1).first {
      annotations.adjustmentSet = names(recommended)
    }
    return annotations
  }
}
