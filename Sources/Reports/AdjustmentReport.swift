import CausalGraph
import CausalMMMCore

/// Everything the `adjust` command prints, computed once; formatting only.
public struct AdjustmentReport: Sendable {
  let problem: AdjustmentProblem
  let minimalSets: [[String]]
  let optimal: [String]?
  let recommended: RecommendedAdjustmentSet?
  let roles: CausalRoles
  let frontDoor: [String]?

  /// Computes everything `adjust` prints: at most `limit` minimal sets.
  public init(problem: AdjustmentProblem, limit: Int?) {
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
  public func json() -> JSONValue {
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
  public func text(checked: AdjustmentSetCheck?) -> String {
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
