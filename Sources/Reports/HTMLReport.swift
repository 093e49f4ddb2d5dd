import CausalGraph
import Foundation
import GraphvizIO

/// One block of a report section.
public enum ReportBlock: Sendable {
  /// A sub-heading (`<h3>`).
  case heading(String)
  /// A paragraph of plain text (escaped; no markup).
  case paragraph(String)
  /// A bulleted list of plain-text items.
  case list([String])
  /// Monospaced text, e.g. a command and its output.
  case preformatted(String)
  /// A table (HTML table with its caption).
  case table(Table)
  /// A chart, inlined as SVG, with a caption.
  case chart(any Chart, caption: String)
  /// An SVG document produced elsewhere (e.g. Graphviz), inlined after removing its XML prolog,
  /// doctype, comments, scripts and namespace declarations.
  case svg(String, caption: String)

  /// The DAG drawn by Graphviz (`GraphRenderer`) with `annotations`, as an `.svg` block.
  /// - Throws: `RenderError` when Graphviz cannot lay out or render the graph.
  public static func dag(
    _ dag: CausalDAG, annotations: DAGAnnotations = DAGAnnotations(), caption: String
  ) throws -> ReportBlock {
    let data = try GraphRenderer.render(dag, annotations: annotations, format: .svg)
    return .svg(String(decoding: data, as: UTF8.self), caption: caption)
  }
}

/// A titled section of a report.
public struct ReportSection: Sendable {
  /// The section heading (`<h2>`).
  public var title: String
  /// The content, in order.
  public var blocks: [ReportBlock]

  /// Creates a section.
  public init(title: String, blocks: [ReportBlock]) {
    self.title = title
    self.blocks = blocks
  }
}

/// A self-contained HTML report: inline CSS and inline SVG, no scripts, no network.
///
/// ```swift
/// let report = HTMLReport(title: "Geo lift calibration")
///   .section("Data", [.paragraph("8 geos, 2 channels."), .chart(salesChart, caption: "Sales")])
///   .section("Recovery", [.table(recoveryTable), .chart(recoveryChart, caption: "")])
/// try report.write(to: URL(fileURLWithPath: "report.html"))
/// ```
public struct HTMLReport: Sendable {
  /// The document title (`<title>` and `<h1>`).
  public var title: String
  /// A line under the title (e.g. the command that produced the report).
  public var subtitle: String
  /// The sections, in order.
  public var sections: [ReportSection]

  /// Creates an empty report.
  public init(title: String, subtitle: String = "", sections: [ReportSection] = []) {
    self.title = title
    self.subtitle = subtitle
    self.sections = sections
  }

  /// This report with one more section.
  public func section(_ title: String, _ blocks: [ReportBlock]) -> HTMLReport {
    var copy = self
    copy.sections.append(ReportSection(title: title, blocks: blocks))
    return copy
  }

  /// Appends a section.
  public mutating func addSection(_ title: String, _ blocks: [ReportBlock]) {
    sections.append(ReportSection(title: title, blocks: blocks))
  }

  static let style = """
    body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1000px; padding: 16px 24px 48px; line-height: 1.45; }
    h1 { font-size: 26px; margin-bottom: 4px; }
    .subtitle { color: #555; margin-top: 0; }
    h2 { font-size: 20px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 36px; }
    h3 { font-size: 16px; margin-top: 24px; }
    figure { margin: 16px 0; }
    figure svg { max-width: 100%; height: auto; }
    figcaption { color: #555; font-size: 14px; margin-top: 4px; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
    caption { text-align: left; font-weight: bold; padding-bottom: 6px; }
    td { white-space: nowrap; }
    th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; }
    th { background: #f4f4f4; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    pre { background: #f6f6f6; padding: 10px 12px; overflow-x: auto; font-size: 13px; }
    nav ul { columns: 2; }
    """

  /// Anchor id of a section.
  static func anchor(_ index: Int) -> String { "section-\(index + 1)" }

  /// The complete HTML document.
  public func html() -> String {
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
    out += "<title>\(xmlEscaped(title))</title>\n<style>\n\(HTMLReport.style)\n</style>\n</head>\n<body>\n"
    out += "<h1>\(xmlEscaped(title))</h1>\n"
    if !subtitle.isEmpty { out += "<p class=\"subtitle\">\(xmlEscaped(subtitle))</p>\n" }
    if sections.count > 1 {
      out += "<nav><ul>\n"
      for (index, section) in sections.enumerated() {
        out += "<li><a href=\"#\(HTMLReport.anchor(index))\">\(xmlEscaped(section.title))</a></li>\n"
      }
      out += "</ul></nav>\n"
    }
    for (index, section) in sections.enumerated() {
      out += "<section id=\"\(HTMLReport.anchor(index))\">\n<h2>\(xmlEscaped(section.title))</h2>\n"
      for block in section.blocks {
        out += HTMLReport.render(block)
      }
      out += "</section>\n"
    }
    return out + "</body>\n</html>\n"
  }

  static func render(_ block: ReportBlock) -> String {
    switch block {
    case .heading(let text): return "<h3>\(xmlEscaped(text))</h3>\n"
    case .paragraph(let text): return "<p>\(xmlEscaped(text))</p>\n"
    case .list(let items):
      return "<ul>\n" + items.map { "<li>\(xmlEscaped($0))</li>\n" }.joined() + "</ul>\n"
    case .preformatted(let text): return "<pre>\(xmlEscaped(text))</pre>\n"
    case .table(let table): return "<div class=\"table-wrap\">\n" + table.html() + "</div>\n"
    case .chart(let chart, let caption):
      return figure(inlineSVG(chart.svg()), caption: caption)
    case .svg(let svg, let caption):
      return figure(inlineSVG(svg), caption: caption)
    }
  }

  static func figure(_ svg: String, caption: String) -> String {
    var out = "<figure>\n\(svg)"
    if !caption.isEmpty { out += "<figcaption>\(xmlEscaped(caption))</figcaption>\n" }
    return out + "</figure>\n"
  }

  /// Every chart of the report with a file name (`01-title-slug.svg`), for writing the charts as
  /// standalone SVG files beside the report. External SVG blocks (the DAG) are included too.
  public func standaloneSVGs() -> [(fileName: String, svg: String)] {
    var files: [(String, String)] = []
    for section in sections {
      for block in section.blocks {
        let (name, svg): (String, String)
        switch block {
        case .chart(let chart, _): (name, svg) = (chart.title, chart.svg())
        case .svg(let text, let caption): (name, svg) = (caption.isEmpty ? section.title : caption, text)
        default: continue
        }
        files.append((String(format: "%02d-", files.count + 1) + slug(name) + ".svg", svg))
      }
    }
    return files
  }

  /// Writes the HTML document to `url`.
  public func write(to url: URL) throws {
    try Data(html().utf8).write(to: url, options: .atomic)
  }

  /// Writes every chart as a standalone SVG file into `directory` (created if missing) and
  /// returns the file names.
  @discardableResult
  public func writeStandaloneSVGs(to directory: URL) throws -> [String] {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let files = standaloneSVGs()
    for file in files {
      try Data(file.svg.utf8).write(to: directory.appendingPathComponent(file.fileName), options: .atomic)
    }
    return files.map(\.fileName)
  }
}

/// A file-name-safe lower-case slug of `text` (`"Sales & ROAS"` -> `"sales-roas"`).
func slug(_ text: String) -> String {
  var out = ""
  var pendingDash = false
  for scalar in text.lowercased().unicodeScalars {
    if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
      if pendingDash && !out.isEmpty { out += "-" }
      out.unicodeScalars.append(scalar)
      pendingDash = false
    } else {
      pendingDash = true
    }
  }
  return out.isEmpty ? "chart" : String(out.prefix(60))
}

/// An SVG document made fit to inline in HTML: everything before the `<svg` root (XML prolog,
/// doctype, comments) is dropped, as are comments, `<script>` elements and the root's namespace
/// declarations (HTML supplies the SVG namespace itself).
public func inlineSVG(_ document: String) -> String {
  guard let start = document.range(of: "<svg") else { return "" }
  var svg = String(document[start.lowerBound...])
  svg = svg.replacingOccurrences(of: "<!--[\\s\\S]*?-->", with: "", options: .regularExpression)
  svg = svg.replacingOccurrences(
    of: "<script[\\s\\S]*?(</script>|/>)", with: "", options: [.regularExpression, .caseInsensitive])
  if let rootEnd = svg.firstIndex(of: ">") {
    let root = String(svg[..<rootEnd]).replacingOccurrences(
      of: "\\s+xmlns(:[A-Za-z]+)?\\s*=\\s*\"[^\"]*\"", with: "", options: .regularExpression)
    svg = root + svg[rootEnd...]
  }
  if !svg.hasSuffix("\n") { svg += "\n" }
  return svg
}
