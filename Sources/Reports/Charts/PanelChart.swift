import Foundation

/// Several charts side by side in one SVG (panels in rows of `columns`), each panel a nested `<svg>`.
public struct PanelChart: Chart {
  public var title: String
  public var panels: [any Chart]
  public var columns: Int
  public var panelWidth: Double
  public var panelHeight: Double

  /// Creates the grid; each panel should be drawn `panelWidth` × `panelHeight` px.
  public init(
    title: String, panels: [any Chart], columns: Int = 2, panelWidth: Double = 480, panelHeight: Double = 340
  ) {
    self.title = title
    self.panels = panels
    self.columns = max(1, columns)
    self.panelWidth = panelWidth
    self.panelHeight = panelHeight
  }

  public func svg() -> String {
    let columnCount = min(columns, max(panels.count, 1))
    let rows = (panels.count + columnCount - 1) / columnCount
    let width = Double(columnCount) * panelWidth
    let height = Double(max(rows, 1)) * panelHeight
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
      + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">\n"
      + "<title>\(escapeXML(title))</title>\n"
    for (index, panel) in panels.enumerated() {
      let x = Double(index % columnCount) * panelWidth
      let y = Double(index / columnCount) * panelHeight
      var inner = panel.svg()
      if let prolog = inner.range(of: "<svg") {
        inner = "<svg x=\"\(Int(x))\" y=\"\(Int(y))\"" + inner[prolog.upperBound...]
      }
      out += inner + "\n"
    }
    return out + "</svg>\n"
  }

  func escapeXML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
