import CGraphviz
import CausalGraph
import Foundation

/// The output formats the renderer supports.
public enum RenderFormat: String, Sendable, CaseIterable {
  case svg, png, pdf, dot

  /// The format named by a file extension (`out.svg` -> `.svg`), or `nil`.
  public init?(pathExtension: String) {
    self.init(rawValue: pathExtension.lowercased())
  }
}

/// Why rendering failed.
public enum RenderError: Error, Sendable, Hashable, CustomStringConvertible {
  /// libgraphviz could not read the DOT text we generated (a bug: reported with its message).
  case invalidDOT(String)
  /// The "dot" layout plugin is not registered: libgraphviz's plugin configuration is missing.
  case layoutUnavailable(String)
  /// The renderer for the format is not installed.
  case rendererUnavailable(format: String, detail: String)

  public var description: String {
    switch self {
    case .invalidDOT(let detail):
      return "internal error: generated DOT was rejected by libgraphviz (\(detail))"
    case .layoutUnavailable(let detail):
      return
        "graphviz layout failed (\(detail)); the plugin configuration may be missing: run 'dot -c' as root (scripts/setup.sh does this)"
    case .rendererUnavailable(let format, let detail):
      return
        "graphviz cannot render \(format) (\(detail)); install the 'graphviz' package (scripts/setup.sh does this)"
    }
  }
}

/// Draws DOT through libgraphviz's gvc: layout with the "dot" engine, render to bytes.
public enum GraphRenderer {
  /// Renders `dag` with `annotations` in `format`.
  /// - Throws: ``RenderError``.
  public static func render(
    _ dag: CausalDAG, annotations: DAGAnnotations = DAGAnnotations(), format: RenderFormat
  ) throws(RenderError) -> Data {
    let dot = DOTWriter.dot(for: dag, annotations: annotations)
    if format == .dot { return Data(dot.utf8) }
    return try render(dot: dot, format: format)
  }

  /// Lays out arbitrary DOT text and renders it in `format` (svg, png or pdf).
  /// - Throws: ``RenderError``.
  public static func render(dot: String, format: RenderFormat) throws(RenderError) -> Data {
    if format == .dot { return Data(dot.utf8) }
    let (outcome, messages) = GraphvizSession.run { () -> Result<Data, RenderError> in
      guard let context = gvContext() else {
        return .failure(.layoutUnavailable("gvContext failed"))
      }
      defer { gvFreeContext(context) }
      _ = aaglex_destroy()
      agreadline(1)
      guard let graph = agmemread(dot) else { return .failure(.invalidDOT("agmemread failed")) }
      defer { agclose(graph) }
      guard gvLayout(context, graph, "dot") == 0 else {
        return .failure(.layoutUnavailable("gvLayout returned -1"))
      }
      defer { gvFreeLayout(context, graph) }
      var buffer: UnsafeMutablePointer<CChar>?
      var length: UInt32 = 0
      let status = gvRenderData(context, graph, format.rawValue, &buffer, &length)
      defer { if let buffer { gvFreeRenderData(buffer) } }
      guard status == 0, let buffer, length > 0 else {
        return .failure(
          .rendererUnavailable(format: format.rawValue, detail: "gvRenderData returned \(status)"))
      }
      return .success(Data(bytes: buffer, count: Int(length)))
    }
    switch outcome {
    case .success(let data): return data
    case .failure(let error):
      let detail = messages.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
      switch error {
      case .layoutUnavailable(let reason) where !detail.isEmpty:
        throw .layoutUnavailable("\(reason): \(detail)")
      case .rendererUnavailable(let format, let reason) where !detail.isEmpty:
        throw .rendererUnavailable(format: format, detail: "\(reason): \(detail)")
      default: throw error
      }
    }
  }
}
