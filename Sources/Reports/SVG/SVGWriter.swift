import Foundation

// A minimal SVG writer: elements are appended as text with escaped attribute values and
// text content. Coordinates are printed with at most two decimals so files stay small and
// diffs stay stable.

/// Escapes text for XML character data and attribute values (`&`, `<`, `>`, `"`, `'`).
///
/// Control characters other than tab, newline and carriage return are dropped: XML 1.0 cannot
/// represent them at all.
public func xmlEscaped(_ text: String) -> String {
  var result = ""
  result.reserveCapacity(text.utf8.count)
  for scalar in text.unicodeScalars {
    switch scalar {
    case "&": result += "&amp;"
    case "<": result += "&lt;"
    case ">": result += "&gt;"
    case "\"": result += "&quot;"
    case "'": result += "&#39;"
    case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
    default:
      if scalar.value >= 0x20 { result.unicodeScalars.append(scalar) }
    }
  }
  return result
}

/// Formats a coordinate with at most two decimals and no trailing zeros (`12.5`, `3`, `-0.25`).
func coordinate(_ value: Double) -> String {
  guard value.isFinite else { return "0" }
  let scaled = (value * 100).rounded()
  if scaled == 0 { return "0" }
  let integer = Int(scaled)
  let sign = integer < 0 ? "-" : ""
  let magnitude = abs(integer)
  let whole = magnitude / 100
  let fraction = magnitude % 100
  if fraction == 0 { return "\(sign)\(whole)" }
  if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
  return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Text anchoring for ``SVGCanvas/text(_:x:y:anchor:size:weight:fill:rotate:)``.
enum TextAnchor: String {
  case start, middle, end
}

/// Accumulates SVG elements; `document()` wraps them in a standalone `<svg>` root.
struct SVGCanvas {
  let width: Double
  let height: Double
  private(set) var body: [String] = []

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  /// Appends raw, already well-formed SVG markup.
  mutating func raw(_ markup: String) {
    body.append(markup)
  }

  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
    dash: String? = nil, opacity: Double? = nil
  ) {
    var element =
      "<line x1=\"\(coordinate(x1))\" y1=\"\(coordinate(y1))\" x2=\"\(coordinate(x2))\" y2=\"\(coordinate(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(coordinate(width))\""
    if let dash { element += " stroke-dasharray=\"\(dash)\"" }
    if let opacity { element += " stroke-opacity=\"\(coordinate(opacity))\"" }
    body.append(element + "/>")
  }

  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
    fillOpacity: Double? = nil, title: String? = nil
  ) {
    var element =
      "<rect x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" width=\"\(coordinate(max(0, width)))\" height=\"\(coordinate(max(0, height)))\" fill=\"\(fill)\""
    if let stroke { element += " stroke=\"\(stroke)\" stroke-width=\"1\"" }
    if let fillOpacity { element += " fill-opacity=\"\(coordinate(fillOpacity))\"" }
    if let title {
      body.append(element + "><title>\(xmlEscaped(title))</title></rect>")
    } else {
      body.append(element + "/>")
    }
  }

  mutating func circle(
    cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil, title: String? = nil
  ) {
    var element =
      "<circle cx=\"\(coordinate(cx))\" cy=\"\(coordinate(cy))\" r=\"\(coordinate(r))\" fill=\"\(fill)\""
    if let stroke { element += " stroke=\"\(stroke)\" stroke-width=\"1.2\"" }
    if let title {
      body.append(element + "><title>\(xmlEscaped(title))</title></circle>")
    } else {
      body.append(element + "/>")
    }
  }

  /// A diamond marker centred on (`cx`, `cy`).
  mutating func diamond(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil) {
    let points = [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]
    polygon(points, fill: fill, stroke: stroke)
  }

  /// An open polyline through `points`; non-finite points split the line into segments.
  mutating func polyline(
    _ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil
  ) {
    var segment: [String] = []
    func flush() {
      if segment.count >= 2 {
        var element =
          "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(coordinate(width))\" stroke-linejoin=\"round\" points=\"\(segment.joined(separator: " "))\""
        if let dash { element += " stroke-dasharray=\"\(dash)\"" }
        body.append(element + "/>")
      }
      segment.removeAll()
    }
    for (x, y) in points {
      if x.isFinite && y.isFinite {
        segment.append("\(coordinate(x)),\(coordinate(y))")
      } else {
        flush()
      }
    }
    flush()
  }

  mutating func polygon(
    _ points: [(Double, Double)], fill: String, stroke: String? = nil, fillOpacity: Double? = nil
  ) {
    let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
    guard finite.count >= 3 else { return }
    let list = finite.map { "\(coordinate($0.0)),\(coordinate($0.1))" }.joined(separator: " ")
    var element = "<polygon points=\"\(list)\" fill=\"\(fill)\""
    if let stroke { element += " stroke=\"\(stroke)\" stroke-width=\"1\"" }
    if let fillOpacity { element += " fill-opacity=\"\(coordinate(fillOpacity))\"" }
    body.append(element + "/>")
  }

  mutating func text(
    _ content: String, x: Double, y: Double, anchor: TextAnchor = .start, size: Double = 12,
    weight: String? = nil, fill: String = "#222222", rotate: Double? = nil
  ) {
    var element =
      "<text x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" font-size=\"\(coordinate(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
    if let weight { element += " font-weight=\"\(weight)\"" }
    if let rotate {
      element += " transform=\"rotate(\(coordinate(rotate)) \(coordinate(x)) \(coordinate(y)))\""
    }
    body.append(element + ">\(xmlEscaped(content))</text>")
  }

  /// The standalone SVG document (with the SVG namespace, no XML prolog).
  func document(title: String) -> String {
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" viewBox=\"0 0 \(coordinate(width)) \(coordinate(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">\n"
    out += "<title>\(xmlEscaped(title))</title>\n"
    out +=
      "<rect x=\"0\" y=\"0\" width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" fill=\"#ffffff\"/>\n"
    for element in body {
      out += element
      out += "\n"
    }
    out += "</svg>\n"
    return out
  }
}

/// A rough width of `text` in pixels at `size` px in a sans-serif font, used for layout
/// (label spacing, margins). Wide glyphs count more than narrow ones.
func estimatedTextWidth(_ text: String, size: Double) -> Double {
  var units = 0.0
  for character in text {
    switch character {
    case "i", "l", "j", "t", "f", "r", "I", ".", ",", ":", ";", "'", "|", "!", "(", ")", "[", "]",
      " ", "-":
      units += 0.34
    case "m", "w", "M", "W", "%", "@": units += 0.9
    case "A"..."Z": units += 0.68
    default: units += 0.57
    }
  }
  return units * size
}
