import CausalGraph

/// What to highlight when drawing a DAG: the query, the adjustment set and the roles.
///
/// Latent nodes are read from the graph itself. Names that are not nodes of the graph are ignored
/// by the writer (the CLI validates names before drawing).
public struct DAGAnnotations: Sendable, Hashable {
  /// Treatment (exposure) nodes.
  public var treatments: Set<String>
  /// Outcome nodes.
  public var outcomes: Set<String>
  /// The recommended adjustment set.
  public var adjustmentSet: Set<String>
  /// Mediators of the treatment's effect: do not control for them.
  public var mediators: Set<String>
  /// Colliders on treatment-outcome paths: do not control for them.
  public var colliders: Set<String>
  /// A title printed above the graph, if any.
  public var title: String?
  /// Pairs of nodes whose implied independence the data rejected (`causal-mmm test-dag`), each
  /// drawn as a dashed red undirected line; each set holds the pair's two names.
  public var rejectedIndependencies: Set<Set<String>> = []

  /// Creates annotations; every set defaults to empty.
  public init(
    treatments: Set<String> = [], outcomes: Set<String> = [], adjustmentSet: Set<String> = [],
    mediators: Set<String> = [], colliders: Set<String> = [], title: String? = nil
  ) {
    self.treatments = treatments
    self.outcomes = outcomes
    self.adjustmentSet = adjustmentSet
    self.mediators = mediators
    self.colliders = colliders
    self.title = title
  }

  /// Whether anything besides latent nodes is highlighted.
  var isEmpty: Bool {
    treatments.isEmpty && outcomes.isEmpty && adjustmentSet.isEmpty && mediators.isEmpty
      && colliders.isEmpty && rejectedIndependencies.isEmpty
  }
}

/// One visual style per role; the legend is drawn from the same table, so they cannot disagree.
enum NodeStyle: CaseIterable {
  case treatment, outcome, adjusted, mediator, collider, latent, other

  var legendLabel: String {
    switch self {
    case .treatment: return "treatment"
    case .outcome: return "outcome"
    case .adjusted: return "adjust for"
    case .mediator: return "mediator (do not adjust)"
    case .collider: return "collider (do not adjust)"
    case .latent: return "latent (unobserved)"
    case .other: return "other variable"
    }
  }

  var attributes: String {
    switch self {
    case .treatment:
      return ##"shape=box, style="filled,bold", fillcolor="#9be39b", color="#1b7a1b", penwidth=2"##
    case .outcome:
      return ##"shape=box, style="filled,bold", fillcolor="#8fc1f0", color="#1c5a9a", penwidth=2"##
    case .adjusted:
      return ##"shape=box, style="filled", fillcolor="#ffe680", color="#9a7d00""##
    case .mediator:
      return ##"shape=ellipse, style="filled", fillcolor="#f5b5b5", color="#a12020""##
    case .collider:
      return ##"shape=diamond, style="filled", fillcolor="#e0c3f0", color="#6a2c8f""##
    case .latent:
      return ##"shape=ellipse, style="dashed", color="#777777", fontcolor="#555555""##
    case .other:
      return ##"shape=ellipse, style="solid", color="#333333""##
    }
  }

  static func of(_ node: CausalDAG.Node, in annotations: DAGAnnotations) -> NodeStyle {
    if node.isLatent { return .latent }
    if annotations.treatments.contains(node.name) { return .treatment }
    if annotations.outcomes.contains(node.name) { return .outcome }
    if annotations.adjustmentSet.contains(node.name) { return .adjusted }
    if annotations.mediators.contains(node.name) { return .mediator }
    if annotations.colliders.contains(node.name) { return .collider }
    return .other
  }
}
