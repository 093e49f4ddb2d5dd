import ArgumentParser
import CausalGraph
import CausalMMMCore
import CausalValidation
import Foundation
import GraphvizIO

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Draw a causal DAG with Graphviz, roles marked and a legend (SVG, PNG, PDF or DOT).")

  @OptionGroup var query: DAGQueryOptions
  @Option(
    name: .shortAndLong,
    help:
      "Output file; the format comes from the extension (.svg, .png, .pdf, .dot). '-' writes SVG to stdout.")
  var output: String
  @Option(help: "A `test-dag --format json` result: draw each rejected independence as a dashed red line.")
  var tests: String?

  func run() throws {
    let pathExtension = URL(fileURLWithPath: output).pathExtension
    guard let format = output == "-" ? .svg : RenderFormat(pathExtension: pathExtension) else {
      throw LocatedError(
        file: output, message: "unknown output format '.\(pathExtension)'; use .svg, .png, .pdf or .dot")
    }
    let resolved = try query.load(requireQuery: false)
    var annotations = DAGAnnotationsBuilder.annotations(for: resolved)
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
    let data: Data
    do {
      data = try GraphRenderer.render(resolved.dag, annotations: annotations, format: format)
    } catch {
      throw LocatedError(file: query.file, message: "\(error)")
    }
    if output == "-" {
      FileHandle.standardOutput.write(data)
      return
    }
    do {
      try data.write(to: URL(fileURLWithPath: output), options: Data.WritingOptions.atomic)
    } catch {
      throw LocatedError(file: output, message: "cannot write the file (\(error.localizedDescription))")
    }
  }
}

/// Turns a resolved query into drawing annotations: with a treatment and an outcome, the
/// recommended adjustment set (``AdjustmentProblem/recommendedAdjustmentSet()``), the mediators
/// and the colliders come from the adjustment engine.
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
    if let recommended = problem.recommendedAdjustmentSet() {
      annotations.adjustmentSet = names(recommended.nodes)
    }
    return annotations
  }
}
