import ArgumentParser
import CausalGraph
import CausalMMMCore
import Foundation
import GraphvizIO
import Inference

struct AdjustCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "adjust",
    abstract: "Adjustment sets for the total effect of a treatment on an outcome.")

  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "Treatment node(s), comma-separated (overrides role=treatment).") var treatment: String?
  @Option(help: "Outcome node(s), comma-separated (overrides role=outcome).") var outcome: String?
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?
  @Option(help: "Comma-separated nodes no set may contain (e.g. unmeasured columns).") var forbid: String?
  @Option(help: "Comma-separated nodes every set must contain.") var require: String?
  @Option(help: "List at most this many minimal sets.") var max: Int?
  @Option(name: .customLong("check-set"), help: "Comma-separated set to check and explain.") var checkSet:
    String?
  @Option(help: "Output format: text or json.") var format: String = "text"

  func run() {
    let output = exitOnLocatedError { () throws -> String in
      guard format == "text" || format == "json" else {
        throw LocatedError(file: file, message: "unknown format '\(format)'; use text or json")
      }
      let query = try DAGQuery.load(
        file: file, treatment: treatment, outcome: outcome, latent: latent, requireQuery: true)
      let dag = query.dag
      let problem: AdjustmentProblem
      var checked: AdjustmentSetCheck? = nil
      do {
        problem = try AdjustmentProblem(
          dag: dag, treatment: query.treatments, outcome: query.outcomes,
          excluding: dag.indices(of: commaSeparated(forbid)),
          requiring: dag.indices(of: commaSeparated(require)))
        if checkSet != nil { checked = problem.check(try dag.indices(of: commaSeparated(checkSet))) }
      } catch let error as CausalGraphError { throw locate(error, file: file) }
      let report = AdjustmentReport(problem: problem, limit: max)
      return format == "json" ? report.json().rendered() : report.text(checked: checked)
    }
    print(output)
  }
}

/// Everything the `adjust` command prints, computed once; formatting only.
struct AdjustmentReport {
  let problem: AdjustmentProblem
  let minimalSets: [[String]]
  let optimal: [String]?
  let recommended: RecommendedAdjustmentSet?
  let roles: CausalRoles
  let frontDoor: [String]?

  init(problem: AdjustmentProblem, limit: Int?) {
    self.problem = problem
    let dag = problem.dag
    minimalSets = dag.sortedNameSets(problem.minimalAdjustmentSets(limit: limit))
    optimal = problem.optimalAdjustmentSet().map { dag.sortedNames(of: $0) }
    recommended = problem.recommendedAdjustmentSet()
    roles = problem.roles()
    frontDoor = minimalSets.isEmpty ? problem.frontDoorSet().map { dag.sortedNames(of: $0) } : nil
  }

  private func names(_ nodes: [Int]) -> [String] { problem.dag.sortedNames(of: nodes) }

  private func byName(_ nodes: [Int]) -> [Int] {
    nodes.sorted { problem.dag.name(of: $0) < problem.dag.name(of: $1) }
  }

  private func joinedNames(_ nodes: [Int]) -> JSONValue {
    let list = names(nodes)
    return list.count == 1 ? .string(list[0]) : .strings(list)
  }

  /// The JSON object of the ARCHITECTURE.md contract (keys in that order), plus `front_door_set`.
  func json() -> JSONValue {
    let dag = problem.dag
    var members: [(String, JSONValue)] = [
      ("treatment", joinedNames(problem.treatment)),
      ("outcome", joinedNames(problem.outcome)),
      ("latent", .strings(names(dag.latentNodes))),
      ("identifiable", .bool(!minimalSets.isEmpty)),
      ("minimal_adjustment_sets", .array(minimalSets.map { .strings($0) })),
      ("optimal_adjustment_set", optimal.map { .strings($0) } ?? .null),
      ("recommended_adjustment_set", recommended.map { .strings(names($0.nodes)) } ?? .null),
      (
        "roles",
        .object([
          ("confounders", .strings(names(roles.confounders))),
          ("mediators", .strings(names(roles.mediators))),
          ("colliders", .strings(names(roles.colliders))),
          ("descendants_of_treatment", .strings(names(roles.descendantsOfTreatment))),
          ("instruments", .strings(names(roles.instruments.map(\.instrument)))),
          ("precision", .strings(names(roles.precision))),
        ])
      ),
    ]
    if minimalSets.isEmpty { members.append(("front_door_set", frontDoor.map { .strings($0) } ?? .null)) }
    return .object(members)
  }

  private func braces(_ names: [String]) -> String {
    names.isEmpty ? "{} (no controls needed)" : "{" + names.joined(separator: ", ") + "}"
  }

  /// The text for a marketer: recommendation, alternatives, what not to control for and why.
  func text(checked: AdjustmentSetCheck?) -> String {
    let dag = problem.dag
    let x = names(problem.treatment).joined(separator: ", ")
    let y = names(problem.outcome).joined(separator: ", ")
    var lines = ["Effect of \(x) on \(y)"]
    if minimalSets.isEmpty {
      lines.append("No adjustment set exists: the effect cannot be estimated by controlling for variables.")
      if let frontDoor {
        lines.append(
          "The front-door criterion holds through \(braces(frontDoor)): estimate via these mediators.")
      } else {
        lines.append(
          "The front-door criterion does not hold either; you need an experiment or an instrument.")
      }
    } else {
      if let recommended {
        let chosen = names(recommended.nodes)
        lines.append("Recommended controls: \(braces(chosen)) (\(recommended.rationale(in: dag)))")
        if let optimal, optimal != chosen {
          lines.append("Optimal set (the most precise estimate, larger): \(braces(optimal))")
        }
      }
      let core = recommended.map { names($0.core) }
      let alternatives = minimalSets.filter { $0 != core }
      if !alternatives.isEmpty {
        lines.append("Alternatives (minimal sets):")
        for set in alternatives { lines.append("  \(braces(set))") }
      }
    }
    for node in byName(roles.latentConfounders) {
      lines.append("  \(dag.name(of: node)): unobserved confounder; cannot be controlled for")
    }
    for node in byName(roles.confounders) {
      lines.append("  \(dag.name(of: node)): confounder; control for it (or block its path)")
    }
    for node in byName(roles.mediators) {
      lines.append("  \(dag.name(of: node)): mediator; do NOT control for it, it carries part of the effect")
    }
    for node in byName(roles.colliders) {
      lines.append(
        "  \(dag.name(of: node)): collider; do NOT control for it alone, that opens a spurious path")
    }
    for node in byName(roles.descendantsOfTreatment) {
      lines.append(
        "  \(dag.name(of: node)): caused by the treatment; never needed, controlling for it can bias the estimate or cost precision"
      )
    }
    for node in byName(roles.precision) {
      lines.append("  \(dag.name(of: node)): precision variable; optional, it only sharpens the estimate")
    }
    for instrument in roles.instruments.sorted(by: {
      problem.dag.name(of: $0.instrument) < problem.dag.name(of: $1.instrument)
    }) {
      let given = names(instrument.conditioningSet)
      lines.append(
        "  \(dag.name(of: instrument.instrument)): instrument"
          + (given.isEmpty ? "" : " given \(braces(given))"))
    }
    if let checked {
      let set = braces(names(checked.set))
      if !checked.isValid {
        lines.append("\(set) is NOT a valid adjustment set:")
        for reason in checked.explanations(in: dag) { lines.append("  - \(reason)") }
      } else if checked.isMinimal {
        lines.append("\(set) is a valid and minimal adjustment set.")
      } else {
        lines.append(
          "\(set) is valid but not minimal: \(braces(names(checked.minimalSubset ?? []))) suffices; "
            + "\(braces(names(checked.unnecessary))) can be dropped.")
      }
    }
    return lines.joined(separator: "\n")
  }
}
