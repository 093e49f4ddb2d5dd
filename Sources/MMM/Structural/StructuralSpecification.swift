import CausalGraph
import CausalMMMCore
import Foundation

/// The structural model a DAG compiles to: one equation per modelled node (the outcome and every
/// observed node on a directed path from a channel to the outcome), each regressing the node on its
/// DAG parents. A parent that is a channel enters through the configuration's adstock and saturation,
/// any other parent linearly; DOT edge attributes override that per edge (`transform="linear"`,
/// `transform="adstock_saturation"`, `adstock=NAME`, `saturation=NAME`).
///
/// ``build(configuration:dag:dagPath:)`` checks identification first: each equation's parents must
/// block every back-door path from each of them to the node (Pearl's single-door criterion), so a
/// latent common cause of a parent and the node (`dir=both`) is refused, naming the open path.
public struct StructuralSpecification: Sendable, Equatable, Codable {
  /// How a parent enters its child's equation.
  public enum TermKind: Sendable, Equatable, Codable {
    /// `γ · z_parent` (z standardised).
    case linear
    /// `saturation(adstock(x_parent / max|x_parent|))`.
    case media(adstock: AdstockKind, saturation: SaturationKind)
  }

  /// One parent in one equation.
  public struct Term: Sendable, Equatable, Codable {
    /// The parent node (a data column).
    public let parent: String
    /// How it enters.
    public let kind: TermKind
  }

  /// One structural equation.
  public struct Equation: Sendable, Equatable, Codable {
    /// The node this equation explains.
    public let node: String
    /// Its terms, parents in name order (for the outcome, then the configuration's other controls).
    public let terms: [Term]
    /// Whether this is the outcome's equation (which also holds seasonality and trend).
    public let isOutcome: Bool
  }

  /// The outcome (the configuration's target).
  public let outcome: String
  /// The channels (the configuration's channels).
  public let channels: [String]
  /// The equations, in topological order (the outcome's last).
  public let equations: [Equation]
  /// Every data column the model reads: modelled nodes, the parents of their equations and the
  /// channels, sorted.
  public let columns: [String]
  /// The mediators: the modelled nodes other than the outcome, in topological order.
  public var mediators: [String] { equations.filter { !$0.isOutcome }.map(\.node) }

  /// The equation of `node`, if it is modelled.
  public func equation(of node: String) -> Equation? { equations.first { $0.node == node } }

  /// Builds the specification.
  ///
  /// - Parameters:
  ///   - configuration: the model configuration (channels, target, controls, transforms).
  ///   - dag: the causal DAG, with edge attributes.
  ///   - dagPath: the DOT file, for error locations (its text is read to find lines).
  /// - Throws: `LocatedError` at the DOT file for an unknown or latent channel or outcome, a bad edge
  ///   attribute, or an equation that is not identified (naming the open back-door path and the
  ///   planner's per-channel alternative).
  public static func build(configuration c: MMMConfiguration, dag: CausalDAG, dagPath: String) throws
    -> StructuralSpecification
  {
    let text = (try? String(contentsOfFile: dagPath, encoding: .utf8)) ?? ""
    func fail(_ message: String, near words: [String] = []) -> LocatedError {
      LocatedError(file: dagPath, line: lineMentioning(words, in: text), message: message)
    }
    guard let outcome = dag.index(of: c.targetColumn) else {
      throw fail("the DAG has no node '\(c.targetColumn)' (the configuration's target_column)")
    }
    if dag.nodes[outcome].isLatent {
      throw fail("the outcome '\(c.targetColumn)' is latent", near: [c.targetColumn])
    }
    var channelIndices: [Int] = []
    for channel in c.channelColumns {
      guard let index = dag.index(of: channel) else {
        throw fail("the DAG has no node '\(channel)' (a channel of the configuration)")
      }
      if dag.nodes[index].isLatent { throw fail("the channel '\(channel)' is latent", near: [channel]) }
      channelIndices.append(index)
    }
    for control in c.controlColumns where dag.index(of: control).map({ dag.nodes[$0].isLatent }) == true {
      throw fail("the control '\(control)' is latent", near: [control])
    }
    // A configured control enters the outcome's equation beside its DAG parents: it must not be caused
    // by a channel or by the outcome (that would block or bias the effects the equations carry).
    for control in c.controlColumns {
      guard let index = dag.index(of: control) else { continue }
      for cause in channelIndices + [outcome]
      where dag.descendants(of: [cause]).contains(index) && cause != index {
        throw fail(
          "the control '\(control)' is caused by '\(dag.name(of: cause))' in the DAG; with structure: dag a control "
            + "enters the outcome's equation, so it must not descend from a channel or the outcome (drop it from "
            + "control_columns: the DAG's parents already enter their equations)", near: [control])
      }
    }
    // Modelled: the outcome and every observed node strictly between a channel and the outcome.
    let ancestors = Set(dag.ancestors(of: [outcome]))
    var modelled = Set([outcome])
    for channel in channelIndices {
      for node in dag.descendants(of: [channel]) where node != channel && ancestors.contains(node) {
        if dag.nodes[node].isLatent {
          // An unobserved mediator cannot have an equation; the effect through it would be lost.
          throw fail(
            "the latent node '\(dag.name(of: node))' lies on a directed path from the channel "
              + "'\(dag.name(of: channel))' to '\(c.targetColumn)': a structural model cannot carry an effect through "
              + "an unobserved mediator; " + alternative(dag: dag, configuration: c),
            near: [dag.name(of: node)])
        }
        modelled.insert(node)
      }
    }
    let channelSet = Set(c.channelColumns)
    var equations: [Equation] = []
    var columns = Set<String>()
    for node in dag.topologicalOrder where modelled.contains(node) {
      let name = dag.name(of: node)
      let observedParents = dag.parents[node].filter { !dag.nodes[$0].isLatent }
      try checkIdentified(
        node: node, parents: observedParents, dag: dag, configuration: c, text: text, fail: fail)
      var terms: [Term] = []
      for parent in observedParents.sorted(by: { dag.name(of: $0) < dag.name(of: $1) }) {
        let parentName = dag.name(of: parent)
        terms.append(
          Term(
            parent: parentName,
            kind: try kind(
              attributes: dag.attributes(from: parent, to: node), isChannel: channelSet.contains(parentName),
              configuration: c, edge: (parentName, name), fail: fail)))
      }
      if node == outcome {
        for control in c.controlColumns where !terms.contains(where: { $0.parent == control }) {
          terms.append(Term(parent: control, kind: .linear))
        }
      }
      equations.append(Equation(node: name, terms: terms, isOutcome: node == outcome))
      columns.insert(name)
      for term in terms { columns.insert(term.parent) }
    }
    // Every channel is read, so that `effects` reports each one (exactly 0 for a channel without a
    // directed path to the outcome).
    for channel in c.channelColumns { columns.insert(channel) }
    return StructuralSpecification(
      outcome: c.targetColumn, channels: c.channelColumns, equations: equations, columns: columns.sorted())
  }

  /// The single-door criterion per parent: with the edge `parent -> node` removed, the other parents
  /// must d-separate `parent` from `node`.
  static func checkIdentified(
    node: Int, parents: [Int], dag: CausalDAG, configuration c: MMMConfiguration, text: String,
    fail: (String, [String]) -> LocatedError
  ) throws {
    for parent in parents {
      let pruned: CausalDAG
      do {
        pruned = try CausalDAG(
          nodes: dag.nodes, edgeIndices: dag.edges.filter { !($0.from == parent && $0.to == node) })
      } catch {
        continue
      }
      let others = parents.filter { $0 != parent }
      guard let path = pruned.openPath(from: [parent], to: [node], given: others) else { continue }
      let nodeName = dag.name(of: node)
      let described = dag.describe(path: path)
      let latent = path.filter { dag.nodes[$0].isLatent }.map { dag.name(of: $0) }
      let cause =
        latent.isEmpty
        ? "" : " through the latent \(latent.count == 1 ? "node" : "nodes") \(latent.joined(separator: ", "))"
      var message =
        "the equation of '\(nodeName)' is not identified: the back-door path \(described) from its parent "
        + "'\(dag.name(of: parent))' stays open given its other parents {"
        + others.map { dag.name(of: $0) }.sorted().joined(separator: ", ")
        + "}\(cause), so regressing '\(nodeName)' "
        + "on its parents is biased"
      message += "; " + alternative(dag: dag, configuration: c)
      // Locate at the edge into the node that the path ends with (e.g. the dir=both edge).
      let candidates = path.count >= 2 ? nearWords(dag: dag, path: path) : [[nodeName]]
      let words = candidates.first { lineMentioning($0, in: text) != nil } ?? []
      throw fail(message, words)
    }
  }

  /// Word sets to locate the error by, best first: for a latent node of a `dir=both` edge the edge
  /// itself, then the latent node's edge into the next node, then the path's last edge.
  static func nearWords(dag: CausalDAG, path: [Int]) -> [[String]] {
    var candidates: [[String]] = []
    for (position, index) in path.enumerated() where dag.nodes[index].isLatent {
      let children = dag.children[index].map { dag.name(of: $0) }
      if children.count >= 2 { candidates.append(Array(children.prefix(2)) + ["both"]) }
      if position + 1 < path.count {
        candidates.append([dag.name(of: index), dag.name(of: path[position + 1])])
      }
      if position > 0 { candidates.append([dag.name(of: index), dag.name(of: path[position - 1])]) }
    }
    candidates.append([dag.name(of: path[path.count - 2]), dag.name(of: path[path.count - 1])])
    return candidates
  }

  /// The causal planner's per-channel specifications, as a suggestion.
  static func alternative(dag: CausalDAG, configuration c: MMMConfiguration) -> String {
    guard let plan = try? CausalPlanner.plan(dag: dag, outcome: c.targetColumn, channels: c.channelColumns)
    else { return "fit one model per channel instead (causal-mmm plan)" }
    let models = plan.channels.map { channel -> String in
      guard channel.identifiable else { return "\(channel.channel): not identifiable by adjustment" }
      return "\(channel.channel): \(c.targetColumn) ~ "
        + ([channel.channel] + channel.controls).joined(separator: " + ")
    }
    return "estimate each channel's total effect with its own model instead (causal-mmm plan): "
      + models.joined(separator: "; ")
  }

  static func kind(
    attributes: [String: String], isChannel: Bool, configuration c: MMMConfiguration, edge: (String, String),
    fail: (String, [String]) -> LocatedError
  ) throws -> TermKind {
    let where_ = "edge \(edge.0) -> \(edge.1)"
    var adstock = c.adstock.type
    var saturation = c.saturation.type
    if let name = attributes["adstock"] {
      switch AdstockKind.parse(name) {
      case .success(let match): adstock = match
      case .failure(let error): throw fail("\(where_): \(error.message)", [edge.0, edge.1])
      }
    }
    if let name = attributes["saturation"] {
      switch SaturationKind.parse(name) {
      case .success(let match): saturation = match
      case .failure(let error): throw fail("\(where_): \(error.message)", [edge.0, edge.1])
      }
    }
    let transform =
      attributes["transform"]
      ?? (attributes["adstock"] != nil || attributes["saturation"] != nil || isChannel
        ? "adstock_saturation" : "linear")
    switch transform {
    case "linear":
      if attributes["adstock"] != nil || attributes["saturation"] != nil {
        throw fail("\(where_): transform=linear cannot take adstock= or saturation=", [edge.0, edge.1])
      }
      return .linear
    case "adstock_saturation": return .media(adstock: adstock, saturation: saturation)
    default:
      throw fail(
        "\(where_): unknown transform '\(transform)' (expected linear or adstock_saturation)",
        [edge.0, edge.1])
    }
  }

  /// The first line holding every word (whole words), best effort.
  static func lineMentioning(_ words: [String], in text: String) -> Int? {
    guard !words.isEmpty else { return nil }
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let tokens = Set(
        line.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
      if words.allSatisfy(tokens.contains) { return offset + 1 }
    }
    return nil
  }
}
