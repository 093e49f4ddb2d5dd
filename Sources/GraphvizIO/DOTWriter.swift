import CausalGraph

/// Writes a ``CausalGraph/CausalDAG`` with its annotations as DOT text, roles drawn distinguishably
/// and a legend (a cluster listing each style that occurs in the drawing).
public enum DOTWriter {
  /// The DOT text for `dag` highlighted per `annotations`.
  /// - Parameter legend: whether to add the legend cluster (its nodes are not part of the DAG,
  ///   so leave it out when the text is meant to be read back as the same graph).
  /// - Complexity: O(n + m).
  public static func dot(
    for dag: CausalDAG, annotations: DAGAnnotations = DAGAnnotations(), legend: Bool = true
  ) -> String {
    var lines: [String] = ["digraph causal_dag {"]
    lines.append(##"  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.35, ranksep=0.6];"##)
    lines.append(##"  node [fontname="Helvetica", fontsize=11];"##)
    lines.append(##"  edge [color="#444444", arrowsize=0.7];"##)
    if let title = annotations.title {
      lines.append("  label=\(quoted(title)); labelloc=t;")
    }
    var usedStyles = Set<NodeStyle>()
    for node in dag.nodes {
      let style = NodeStyle.of(node, in: annotations)
      usedStyles.insert(style)
      // Our own attributes (ignored by Graphviz) keep the file readable back as the same DAG.
      var semantic = node.isLatent ? ", latent=true" : ""
      if let role = node.declaredRole { semantic += ", role=\(role.rawValue)" }
      lines.append("  \(quoted(node.name)) [\(style.attributes)\(semantic)];")
    }
    for edge in dag.edges {
      let fromLatent = dag.nodes[edge.from].isLatent
      let style = fromLatent ? ##" [style=dashed, color="#888888"]"## : ""
      lines.append("  \(quoted(dag.name(of: edge.from))) -> \(quoted(dag.name(of: edge.to)))\(style);")
    }
    for pair in annotations.rejectedIndependencies.map({ $0.sorted() }).sorted(by: {
      $0.lexicographicallyPrecedes($1)
    })
    where pair.count == 2 && pair.allSatisfy({ dag.index(of: $0) != nil }) {
      lines.append(
        "  \(quoted(pair[0])) -> \(quoted(pair[1]))"
          + ##" [dir=none, style=dashed, color="#d62728", penwidth=1.5, constraint=false, tooltip="independence rejected by the data"];"##
      )
    }
    if legend {
      lines.append(
        contentsOf: legendLines(
          for: usedStyles, rejectedIndependencies: !annotations.rejectedIndependencies.isEmpty))
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  // Legend node ids start with a character no DOT identifier from our reader can produce
  // unquoted, and are quoted, so they never collide with user nodes.
  private static func legendLines(for usedStyles: Set<NodeStyle>, rejectedIndependencies: Bool = false)
    -> [String]
  {
    let shown = NodeStyle.allCases.filter { usedStyles.contains($0) }
    guard !shown.isEmpty else { return [] }
    var lines = ["  subgraph cluster_legend {"]
    lines.append(##"    label="Legend"; fontsize=11; style="rounded"; color="#999999";"##)
    var previous: String?
    for style in shown {
      let id = quoted("\u{00A7}legend_\(style)")
      lines.append("    \(id) [label=\(quoted(style.legendLabel)), \(style.attributes), fontsize=10];")
      if let previous { lines.append("    \(previous) -> \(id) [style=invis];") }
      previous = id
    }
    if rejectedIndependencies {
      let id = quoted("\u{00A7}legend_rejected")
      lines.append(
        "    \(id) [label=\"- - -  independence rejected by the data\", shape=plaintext, fontcolor=\"#d62728\", fontsize=10];"
      )
      if let previous { lines.append("    \(previous) -> \(id) [style=invis];") }
    }
    lines.append("  }")
    return lines
  }

  /// A DOT double-quoted string.
  static func quoted(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return "\"\(escaped)\""
  }
}
