import ArgumentParser
import CausalGraph
import CausalMMMCore
import GraphvizIO
import Inference

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Turn a causal DAG into model specifications: per channel its adjustment set, and which "
      + "channels' total effects a joint model (all channels + controls) estimates.")

  @Argument(help: "The DOT file (a digraph).") var file: String
  @Option(help: "The outcome node (default: the node declared role=outcome).") var outcome: String?
  @Option(help: "Comma-separated media channels.") var channels: String
  @Option(help: "Comma-separated controls of the proposed joint model (beside all channels).") var controls:
    String?
  @Option(help: "Comma-separated nodes to treat as latent (unobserved).") var latent: String?
  @Option(help: "Output format: text or json.") var format: OutputFormat = .text

  func run() {
    let plan = exitOnLocatedError {
      let query = try DAGQuery.load(
        file: file, treatment: nil, outcome: outcome, latent: latent, requireQuery: false)
      guard let outcomeIndex = query.outcomes.first else {
        throw LocatedError(file: file, message: "no outcome: pass --outcome Y or declare role=outcome")
      }
      do {
        return try CausalPlanner.plan(
          dag: query.dag, outcome: query.dag.name(of: outcomeIndex), channels: commaSeparated(channels),
          controls: commaSeparated(controls))
      } catch {
        throw LocatedError(file: file, message: "\(error)")
      }
    }
    switch format {
    case .json: print(Self.json(plan).rendered())
    case .text: print(Self.text(plan), terminator: "")
    }
  }

  static func json(_ plan: CausalPlan) -> JSONValue {
    .object([
      ("outcome", .string(plan.outcome)),
      (
        "channels",
        .array(
          plan.channels.map { channel in
            .object([
              ("channel", .string(channel.channel)),
              ("identifiable", .bool(channel.identifiable)),
              ("minimal_adjustment_sets", .array(channel.minimalAdjustmentSets.map(JSONValue.strings))),
              ("adjustment_set", channel.adjustmentSet.map(JSONValue.strings) ?? .null),
              ("precision_controls", .strings(channel.precisionControls)),
              ("recommended_adjustment_set", channel.identifiable ? .strings(channel.controls) : .null),
              ("rationale", .string(channel.rationale)),
              ("mediators", .strings(channel.mediators)),
              (
                "specification",
                .object([("channels", .strings([channel.channel])), ("controls", .strings(channel.controls))])
              ),
            ])
          })
      ),
      (
        "proposed",
        .object([
          ("channels", .strings(plan.channels.map(\.channel))),
          ("controls", .strings(plan.proposedControls)),
          (
            "verdicts",
            .array(
              plan.verdicts.map { verdict in
                .object([
                  ("channel", .string(verdict.channel)),
                  ("valid", .bool(verdict.isValid)),
                  ("covariates", .strings(verdict.covariates)),
                  ("mediators_adjusted", .strings(verdict.mediatorsAdjusted)),
                  ("reasons", .strings(verdict.reasons)),
                ])
              })
          ),
        ])
      ),
    ])
  }

  static func text(_ plan: CausalPlan) -> String {
    var out = "Per channel (total effect on \(plan.outcome)):\n"
    for channel in plan.channels {
      if channel.identifiable {
        out +=
          "  \(channel.channel): control for {\(channel.controls.joined(separator: ", "))} (\(channel.rationale))"
        out += "\n    model: \(plan.outcome) ~ \(channel.channel)"
        if !channel.controls.isEmpty { out += " + \(channel.controls.joined(separator: " + "))" }
        out += "\n"
        if channel.minimalAdjustmentSets.count > 1 {
          out +=
            "    other minimal sets: "
            + channel.minimalAdjustmentSets.dropFirst().map { "{\($0.joined(separator: ", "))}" }.joined(
              separator: " ") + "\n"
        }
      } else {
        out += "  \(channel.channel): not identifiable by adjustment (needs an experiment)\n"
      }
      if !channel.mediators.isEmpty {
        out += "    do not control for its mediators: \(channel.mediators.joined(separator: ", "))\n"
      }
    }
    let controls = plan.proposedControls.isEmpty ? "" : " + " + plan.proposedControls.joined(separator: " + ")
    out +=
      "\nProposed joint model: \(plan.outcome) ~ \(plan.channels.map(\.channel).joined(separator: " + "))\(controls)\n"
    for verdict in plan.verdicts {
      out += "  \(verdict.channel): \(verdict.isValid ? "valid" : "NOT valid") for its total effect\n"
      for reason in verdict.reasons { out += "    - \(reason)\n" }
    }
    return out
  }
}
