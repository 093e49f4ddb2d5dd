/// What the DAG recommends for estimating one channel's total effect on the outcome.
public struct ChannelPlan: Sendable, Hashable {
  /// The channel.
  public let channel: String
  /// Whether some adjustment set of observed nodes identifies the channel's total effect.
  public let identifiable: Bool
  /// Every inclusion-minimal adjustment set, each sorted by name, sorted by size then names.
  public let minimalAdjustmentSets: [[String]]
  /// The core of the recommended set (``AdjustmentProblem/recommendedAdjustmentSet()``: a smallest
  /// valid set), sorted, or `nil` when the effect is not identifiable by adjustment.
  public let adjustmentSet: [String]?
  /// Parents of the outcome the recommended set adds for precision, sorted.
  public let precisionControls: [String]
  /// Why this set (``RecommendedAdjustmentSet/rationale(in:)``); empty when not identifiable.
  public let rationale: String
  /// The nodes through which part of the channel's effect flows (never to be controlled for).
  public let mediators: [String]

  /// The recommended model: the channel, with ``adjustmentSet`` and ``precisionControls`` as controls.
  public var controls: [String] { ((adjustmentSet ?? []) + precisionControls).sorted() }
}

/// Whether a joint specification (several channels and controls in one model) estimates one
/// channel's total effect, and why (not).
public struct SpecificationVerdict: Sendable, Hashable {
  /// The channel judged.
  public let channel: String
  /// The other terms of the model, which act as the channel's adjustment set, sorted.
  public let covariates: [String]
  /// Whether the covariates satisfy the adjustment criterion for the channel's total effect.
  public let isValid: Bool
  /// The covariates that are mediators of the channel, sorted.
  public let mediatorsAdjusted: [String]
  /// One sentence per reason: the headline first.
  public let reasons: [String]
}

/// The planner's answer for a DAG, an outcome and a set of channels.
public struct CausalPlan: Sendable, Hashable {
  /// The outcome.
  public let outcome: String
  /// One plan per channel, in the order given.
  public let channels: [ChannelPlan]
  /// The proposed joint specification: the channels plus these controls.
  public let proposedControls: [String]
  /// Per channel, whether the proposed joint specification estimates its total effect.
  public let verdicts: [SpecificationVerdict]
}

/// Turns a causal DAG into model specifications: per channel the adjustment set to control for,
/// and for a joint model with several channels, which channels' total effects it estimates.
public enum CausalPlanner {
  /// Plans the specifications for `channels`' effects on `outcome`.
  /// - Parameters:
  ///   - dag: the causal graph (latent nodes are never proposed as controls).
  ///   - outcome: the outcome node.
  ///   - channels: the media channels, each a treatment of interest.
  ///   - controls: the controls of the proposed joint specification (beside all channels).
  /// - Throws: ``CausalGraphError`` for an unknown or latent node, or a channel equal to the outcome.
  public static func plan(dag: CausalDAG, outcome: String, channels: [String], controls: [String] = [])
    throws(CausalGraphError) -> CausalPlan
  {
    for name in [outcome] + channels + controls where dag.index(of: name) == nil {
      throw CausalGraphError.unknownNode(name)
    }
    var plans: [ChannelPlan] = []
    var verdicts: [SpecificationVerdict] = []
    for channel in channels {
      let problem = try AdjustmentProblem(dag: dag, treatment: [channel], outcome: [outcome])
      plans.append(plan(for: channel, problem: problem))
      let covariates = Set(channels + controls).subtracting([channel]).sorted()
      verdicts.append(
        verdict(for: channel, covariates: covariates, problem: problem, dag: dag, outcome: outcome))
    }
    return CausalPlan(outcome: outcome, channels: plans, proposedControls: controls, verdicts: verdicts)
  }

  static func names(_ nodes: [Int], _ dag: CausalDAG) -> [String] { nodes.map { dag.name(of: $0) }.sorted() }

  static func plan(for channel: String, problem: AdjustmentProblem) -> ChannelPlan {
    let dag = problem.dag
    let sets = dag.sortedNameSets(problem.minimalAdjustmentSets())
    let recommended = problem.recommendedAdjustmentSet()
    return ChannelPlan(
      channel: channel, identifiable: recommended != nil, minimalAdjustmentSets: sets,
      adjustmentSet: recommended.map { names($0.core, dag) },
      precisionControls: recommended.map { names($0.precision, dag) } ?? [],
      rationale: recommended?.rationale(in: dag) ?? "", mediators: names(problem.mediators, dag))
  }

  static func verdict(
    for channel: String, covariates: [String], problem: AdjustmentProblem, dag: CausalDAG, outcome: String
  ) -> SpecificationVerdict {
    let indices = covariates.compactMap { dag.index(of: $0) }
    let check = problem.check(indices)
    var mediators: [String] = []
    var otherExplanations: [String] = []
    for (item, explanation) in zip(check.problems, check.explanations(in: dag)) {
      if case .mediator(let node, _) = item {
        mediators.append(dag.name(of: node))
      } else {
        otherExplanations.append(explanation)
      }
    }
    mediators.sort()
    var reasons: [String] = []
    if check.isValid {
      let minimal = names(check.minimalSubset ?? [], dag)
      reasons.append(
        "valid for \(channel)'s total effect: the model's other terms contain the adjustment set "
          + "{\(minimal.joined(separator: ", "))}")
    } else {
      if !mediators.isEmpty {
        let hasDirectEdge =
          dag.index(of: channel).map { c in
            dag.index(of: outcome).map { dag.children[c].contains($0) } ?? false
          } ?? false
        let verb = mediators.count == 1 ? "is a mediator" : "are mediators"
        reasons.append(
          "\(listed(mediators)) \(verb) of \(channel): this model estimates only its direct effect"
            + (hasDirectEdge ? "" : ", which the graph says is zero"))
      }
      reasons += otherExplanations
    }
    return SpecificationVerdict(
      channel: channel, covariates: covariates, isValid: check.isValid, mediatorsAdjusted: mediators,
      reasons: reasons)
  }

  /// `a`, `a and b`, `a, b and c`.
  static func listed(_ items: [String]) -> String {
    if items.count <= 1 { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
  }
}

extension CausalPlanner {
  /// What a fitted specification (all `channels` plus `controls` as regressors) gets wrong about each
  /// channel's total effect on `outcome` according to `dag`, one sentence per problem; empty when
  /// the specification estimates every channel's total effect.
  ///
  /// Columns that are not nodes of the graph (a trend, Fourier terms) are left out of the check; a
  /// channel or outcome that is not a node is reported, since the graph then says nothing about it.
  public static func specificationWarnings(
    dag: CausalDAG, outcome: String, channels: [String], controls: [String]
  ) throws(CausalGraphError) -> [String] {
    guard dag.index(of: outcome) != nil else {
      return [
        "the causal DAG has no node '\(outcome)' (the model's target): the specification is not checked"
      ]
    }
    var warnings: [String] = []
    let modelled = channels.filter { dag.index(of: $0) != nil }
    for channel in channels where dag.index(of: channel) == nil {
      warnings.append("the causal DAG has no node '\(channel)': its effect is not checked against the graph")
    }
    guard !modelled.isEmpty else { return warnings }
    let plan = try plan(
      dag: dag, outcome: outcome, channels: modelled, controls: controls.filter { dag.index(of: $0) != nil })
    for verdict in plan.verdicts where !verdict.isValid {
      warnings.append(
        "\(verdict.channel): this model does not estimate its total effect on \(outcome) ("
          + verdict.reasons.joined(separator: "; ") + ")")
    }
    return warnings
  }
}
