import Foundation
import Testing

@testable import Reports

@Suite("panel charts")
struct PanelChartTests {
  @Test("Three panels in rows of two: well-formed XML, one nested <svg> per panel at its grid position")
  func panelsAreNestedAtTheirPositions() {
    let panels: [any Chart] = (0..<3).map { index in
      LineChart(
        title: "panel <\(index)> & co", xLabel: "spend", yLabel: "outcome",
        series: [Series(name: "mean", x: [0, 1, 2], y: [0, 1, 1.5])],
        bands: [Band(name: "94% HDI", x: [0, 1, 2], lower: [0, 0.8, 1.2], upper: [0, 1.2, 1.8])],
        markers: [VerticalMarker(x: 1, label: "current")], width: 480, height: 340)
    }
    let svg = PanelChart(title: "Response curves & more", panels: panels).svg()
    let parsed = ParsedXML(svg)
    #expect(parsed.isWellFormed, "\(parsed.error ?? "")")
    let nested = parsed.elements.dropFirst().filter { $0.name == "svg" }
    #expect(nested.count == 3)
    #expect(nested.map { $0.attributes["x"] ?? "" } == ["0", "480", "0"])
    #expect(nested.map { $0.attributes["y"] ?? "" } == ["0", "0", "340"])
    #expect(
      parsed.elements.first?.attributes["width"] == "960"
        && parsed.elements.first?.attributes["height"] == "680")
  }
}
