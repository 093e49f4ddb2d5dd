@preconcurrency import CGraphviz
import CausalGraph
import CausalMMMCore
import Foundation

/// Reads Graphviz DOT into a ``CausalGraph/CausalDAG`` through libgraphviz's own parser (cgraph),
/// so the full DOT grammar works: subgraphs and clusters, edge chains, attribute lists,
/// comments, quoted and HTML ids, `strict`.
///
/// Conventions read from the file:
/// - node attribute `role=treatment` (or `exposure`) / `role=outcome` declares the query;
/// - node attribute `latent=true` (also `1`, `yes`) marks an unobserved variable;
/// - an edge with `dir=both` (`a -> b [dir=both]`) is a bidirected edge, meaning an unobserved
///   common cause: it becomes an explicit latent node `U_a_b` with edges to `a` and `b`, as DAGitty does;
/// - edge attributes `transform`, `adstock` and `saturation` are kept in ``CausalGraph/CausalDAG/edgeAttributes``
///   (lower-cased) for the structural MMM, which validates them.
public enum DOTReader {
  /// The edge attributes copied into the DAG.
  public static let edgeAttributeNames = ["transform", "adstock", "saturation"]

  /// Parses the DOT file at `path`.
  /// - Throws: ``LocatedError`` naming the file and, where known, the line.
  public static func read(contentsOf path: String) throws(LocatedError) -> CausalDAG {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw LocatedError(file: path, message: "cannot read the file (\(Self.reason(error)))")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw LocatedError(file: path, message: "the file is not UTF-8 text")
    }
    return try parse(text, fileName: path)
  }

  /// Parses DOT text; `fileName` is used in error messages only.
  /// - Throws: ``LocatedError`` naming `fileName` and, where known, the line.
  public static func parse(_ text: String, fileName: String) throws(LocatedError) -> CausalDAG {
    let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    if body.utf8.contains(0) {
      throw LocatedError(file: fileName, message: "the file contains NUL bytes; it is not DOT text")
    }
    if body.allSatisfy({ $0.isWhitespace }) {
      throw LocatedError(file: fileName, line: 1, message: "the file is empty; expected 'digraph { ... }'")
    }
    let (outcome, messages) = GraphvizSession.run { () -> Result<RawGraph, LocatedError> in
      // cgraph's lexer keeps counting lines across reads; restart the count for each input.
      _ = aaglex_destroy()
      agreadline(1)
      let reader = MemoryChannel(body)
      guard let graph = reader.readGraph() else {
        return .failure(LocatedError(file: fileName, line: nil, message: "syntax error"))
      }
      defer { agclose(graph) }
      // A second graph in the same text would be silently ignored by agmemread: refuse it.
      if let extra = reader.readGraph() {
        agclose(extra)
        return .failure(
          LocatedError(
            file: fileName, line: nil,
            message: "the file holds more than one graph; put exactly one digraph in a DOT file"))
      }
      if cmmm_agisdirected(graph) == 0 {
        return .failure(
          LocatedError(
            file: fileName, line: 1,
            message:
              "an undirected graph ('graph { a -- b }') cannot be a causal DAG: write 'digraph { a -> b }'"
          ))
      }
      return .success(RawGraph(copying: graph))
    }
    let raw: RawGraph
    switch outcome {
    case .success(let graph): raw = graph
    case .failure(let error):
      if error.message == "syntax error", let syntax = Self.syntaxError(in: messages, fileName: fileName) {
        throw syntax
      }
      throw error
    }
    if let syntax = Self.syntaxError(in: messages, fileName: fileName) { throw syntax }
    return try raw.makeDAG(fileName: fileName, text: body)
  }

  // cgraph reports e.g. "Error: <stdin>: syntax error in line 3 near 'x'" (sometimes split in parts).
  private static func syntaxError(in messages: [String], fileName: String) -> LocatedError? {
    let joined = messages.joined()
    guard let range = joined.range(of: "syntax error") else { return nil }
    var line: Int?
    var detail = "syntax error"
    let tail = joined[range.upperBound...]
    if let lineRange = tail.range(of: "line ") {
      let digits = tail[lineRange.upperBound...].prefix { $0.isNumber }
      line = Int(digits)
      if let near = tail.range(of: "near ") {
        let token = tail[near.upperBound...].prefix { $0 != "\n" }
        detail += " near \(token.trimmingCharacters(in: .whitespaces))"
      }
    }
    return LocatedError(file: fileName, line: line, message: detail)
  }

  private static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      let message = String(validatingCString: strerror(Int32(underlying.code)))
    {
      return message
    }
    return nsError.localizedDescription
  }
}

/// Feeds DOT text to cgraph's `agread` through a memory channel, like `agmemread`, but keeps the
/// channel so the caller can check that nothing follows the first graph.
private final class MemoryChannel {
  private var bytes: [CChar]
  private var cursor = 0

  init(_ text: String) {
    bytes = Array(text.utf8CString.dropLast())
  }

  // cgraph's reader contract: copy up to `size` bytes, stopping after a newline; 0 at the end.
  private static let read:
    @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, Int32)
      -> Int32 = { channel, buffer, size in
        guard let channel, let buffer, size > 0 else { return 0 }
        let reader = Unmanaged<MemoryChannel>.fromOpaque(channel).takeUnretainedValue()
        var count = 0
        while reader.cursor < reader.bytes.count, count < Int(size) {
          let byte = reader.bytes[reader.cursor]
          buffer[count] = byte
          reader.cursor += 1
          count += 1
          if byte == 10 { break }
        }
        return Int32(count)
      }

  /// Reads the next graph from the channel, or `nil` at the end or on a syntax error.
  func readGraph() -> UnsafeMutablePointer<Agraph_t>? {
    var io = Agiodisc_t(afread: Self.read, putstr: AgIoDisc.putstr, flush: AgIoDisc.flush)
    return withUnsafeMutablePointer(to: &AgMemDisc) { memory in
      withUnsafeMutablePointer(to: &AgIdDisc) { identifiers in
        withUnsafeMutablePointer(to: &io) { ioPointer in
          var discipline = Agdisc_t(mem: memory, id: identifiers, io: ioPointer)
          return withUnsafeMutablePointer(to: &discipline) { disciplinePointer in
            agread(Unmanaged.passUnretained(self).toOpaque(), disciplinePointer)
          }
        }
      }
    }
  }
}

/// The graph as copied out of cgraph: plain Swift values, so the C graph can be closed at once.
/// Attributes are read through their symbols (looked up once per graph, not per object) and
/// edges refer to their nodes by position.
private struct RawGraph {
  struct RawNode {
    var name: String
    var role: String
    var latent: String
  }
  struct RawEdge {
    var tail: Int
    var head: Int
    var direction: String
    var attributes: [String: String]
  }
  var nodes: [RawNode] = []
  var edges: [RawEdge] = []

  init(copying graph: UnsafeMutablePointer<Agraph_t>) {
    let roleSymbol = Self.symbol(graph, AGNODE, "role")
    let latentSymbol = Self.symbol(graph, AGNODE, "latent")
    let directionSymbol = Self.symbol(graph, AGEDGE, "dir")
    let attributeSymbols = DOTReader.edgeAttributeNames.map { ($0, Self.symbol(graph, AGEDGE, $0)) }
      .filter { $0.1 != nil }
    var position: [UnsafeMutableRawPointer: Int] = [:]
    position.reserveCapacity(Int(agnnodes(graph)))
    var node = agfstnode(graph)
    while let current = node {
      position[UnsafeMutableRawPointer(current)] = nodes.count
      nodes.append(
        RawNode(
          name: Self.string(cmmm_agnameof(UnsafeMutableRawPointer(current))),
          role: Self.attribute(current, roleSymbol),
          latent: Self.attribute(current, latentSymbol)))
      node = agnxtnode(graph, current)
    }
    edges.reserveCapacity(Int(agnedges(graph)))
    node = agfstnode(graph)
    while let current = node {
      let tail = position[UnsafeMutableRawPointer(current)] ?? 0
      var edge = agfstout(graph, current)
      while let currentEdge = edge {
        edges.append(
          RawEdge(
            tail: tail, head: position[UnsafeMutableRawPointer(cmmm_aghead(currentEdge))] ?? 0,
            direction: Self.attribute(currentEdge, directionSymbol),
            attributes: attributeSymbols.isEmpty
              ? [:]
              : Dictionary(
                uniqueKeysWithValues: attributeSymbols.map { ($0.0, Self.attribute(currentEdge, $0.1)) }
                  .filter { !$0.1.isEmpty })))
        edge = agnxtout(graph, currentEdge)
      }
      node = agnxtnode(graph, current)
    }
  }

  private static func symbol(_ graph: UnsafeMutablePointer<Agraph_t>, _ kind: Int32, _ name: String)
    -> UnsafeMutablePointer<Agsym_t>?
  {
    name.withCString { key in agattr(graph, kind, UnsafeMutablePointer(mutating: key), nil) }
  }

  private static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }

  private static func attribute<T>(
    _ object: UnsafeMutablePointer<T>, _ symbol: UnsafeMutablePointer<Agsym_t>?
  )
    -> String
  {
    guard let symbol, let value = agxget(UnsafeMutableRawPointer(object), symbol), value.pointee != 0 else {
      return ""
    }
    return String(cString: value).trimmingCharacters(in: .whitespaces).lowercased()
  }

  func makeDAG(fileName: String, text: String) throws(LocatedError) -> CausalDAG {
    if nodes.isEmpty {
      throw LocatedError(file: fileName, line: 1, message: "the graph has no nodes")
    }
    var dagNodes: [CausalDAG.Node] = []
    dagNodes.reserveCapacity(nodes.count)
    for node in nodes {
      let startsBlank = node.name.unicodeScalars.first.map { CharacterSet.whitespaces.contains($0) } ?? true
      if startsBlank && node.name.trimmingCharacters(in: .whitespaces).isEmpty {
        throw LocatedError(file: fileName, line: nil, message: "a node has an empty name")
      }
      let role: CausalDAG.DeclaredRole?
      switch node.role {
      case "": role = nil
      case "treatment", "exposure": role = .treatment
      case "outcome": role = .outcome
      default:
        throw LocatedError(
          file: fileName, line: Self.lineMentioning(node.name, in: text),
          message: "node '\(node.name)' has role '\(node.role)'; expected treatment, exposure or outcome")
      }
      let latent: Bool
      switch node.latent {
      case "", "false", "0", "no": latent = false
      case "true", "1", "yes": latent = true
      default:
        throw LocatedError(
          file: fileName, line: Self.lineMentioning(node.name, in: text),
          message: "node '\(node.name)' has latent='\(node.latent)'; expected true or false")
      }
      dagNodes.append(CausalDAG.Node(name: node.name, isLatent: latent, declaredRole: role))
    }
    // Latent nodes for bidirected edges, by name (the name set is built at the first one).
    var names: Set<String> = []
    var latentIndex: [String: Int] = [:]
    var dagEdges: [CausalDAG.Edge] = []
    dagEdges.reserveCapacity(edges.count)
    var attributes: [(edge: CausalDAG.Edge, values: [String: String])] = []
    for edge in edges {
      let tailName = nodes[edge.tail].name
      let headName = nodes[edge.head].name
      switch edge.direction {
      case "both":
        if names.isEmpty { names = Set(dagNodes.map(\.name)) }
        let (first, second) = tailName < headName ? (edge.tail, edge.head) : (edge.head, edge.tail)
        var latentName = "U_\(nodes[first].name)_\(nodes[second].name)"
        if names.contains(latentName), !dagNodes.contains(where: { $0.name == latentName && $0.isLatent }) {
          var suffix = 2
          while names.contains("\(latentName)_\(suffix)") { suffix += 1 }
          latentName = "\(latentName)_\(suffix)"
        }
        let latent: Int
        if let known = latentIndex[latentName] {
          latent = known
        } else if names.contains(latentName),
          let existing = dagNodes.firstIndex(where: { $0.name == latentName })
        {
          latent = existing
        } else {
          latent = dagNodes.count
          names.insert(latentName)
          dagNodes.append(CausalDAG.Node(name: latentName, isLatent: true))
        }
        latentIndex[latentName] = latent
        dagEdges.append(CausalDAG.Edge(from: latent, to: first))
        dagEdges.append(CausalDAG.Edge(from: latent, to: second))
      case "none":
        throw LocatedError(
          file: fileName, line: Self.lineMentioning(tailName, headName, in: text),
          message:
            "edge \(tailName) -> \(headName) has dir=none; a causal DAG needs a direction (or dir=both for a latent common cause)"
        )
      case "back":
        dagEdges.append(CausalDAG.Edge(from: edge.head, to: edge.tail))
        if !edge.attributes.isEmpty {
          attributes.append((CausalDAG.Edge(from: edge.head, to: edge.tail), edge.attributes))
        }
      default:
        dagEdges.append(CausalDAG.Edge(from: edge.tail, to: edge.head))
        if !edge.attributes.isEmpty {
          attributes.append((CausalDAG.Edge(from: edge.tail, to: edge.head), edge.attributes))
        }
      }
    }
    do {
      var dag = try CausalDAG(nodes: dagNodes, edgeIndices: dagEdges)
      for (edge, values) in attributes {
        dag.edgeAttributes[edge, default: [:]].merge(values) { _, new in new }
      }
      return dag
    } catch {
      var line: Int?
      if case .cycle(let cycle) = error, let first = cycle.first {
        line = Self.lineMentioning(first, cycle.count > 1 ? cycle[1] : first, in: text)
      }
      throw LocatedError(file: fileName, line: line, message: error.description)
    }
  }

  /// The first line that mentions `name` as a whole word (a best effort for error locations).
  static func lineMentioning(_ name: String, in text: String) -> Int? {
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where containsWord(name, in: line) {
      return offset + 1
    }
    return nil
  }

  /// The first line that mentions `first` and then `second` (an edge), best effort.
  static func lineMentioning(_ first: String, _ second: String, in text: String) -> Int? {
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      guard let firstRange = wordRange(first, in: line) else { continue }
      if wordRange(second, in: line[firstRange.upperBound...]) != nil {
        return offset + 1
      }
    }
    return nil
  }

  private static func containsWord(_ word: String, in line: Substring) -> Bool {
    wordRange(word, in: line) != nil
  }

  private static func wordRange(_ word: String, in line: Substring) -> Range<Substring.Index>? {
    var searchStart = line.startIndex
    while let range = line.range(of: word, range: searchStart..<line.endIndex) {
      let before = range.lowerBound == line.startIndex ? nil : line[line.index(before: range.lowerBound)]
      let after = range.upperBound == line.endIndex ? nil : line[range.upperBound]
      let isBoundary: (Character?) -> Bool = { character in
        guard let character else { return true }
        return !(character.isLetter || character.isNumber || character == "_")
      }
      if isBoundary(before), isBoundary(after) { return range }
      searchStart = range.upperBound
    }
    return nil
  }
}
