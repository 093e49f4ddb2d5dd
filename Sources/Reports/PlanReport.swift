import CausalGraph
import CausalMMMCore

/// What `causal-mmm plan` prints.
public enum PlanReport {
  /// The plan as JSON (`plan --format json`).
  public static func json(_ plan: CausalPlan, dataWarnings: [String]? = nil) -> JSONValue {
    var members: [(String, JSONValue)] = [
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
    ]
    if let dataWarnings { members.append(("data_check", .strings(dataWarnings))) }
    return .object(members)
  }

  /// The plan as text for a marketer.
  public static func text(_ plan: CausalPlan, dataWarnings: [String]? = nil) -> String {
    var out = ""
    if let dataWarnings {
      out += "Data check (the DAG's implications, HAC tests, Holm): "
      out +=
        dataWarnings.isEmpty
        ? "no implication rejected\n\n" : "\n" + dataWarnings.map { "  - \($0)\n" }.joined() + "\n"
    }
    out += "Per channel (total effect on \(plan.outcome)):\n"
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
