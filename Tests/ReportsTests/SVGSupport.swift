import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One parsed XML element: its name, attributes and direct text content.
struct ParsedElement {
  let name: String
  let attributes: [String: String]
  var text: String
}

/// Parses an XML document with Foundation's `XMLParser`; `elements` is nil when the document is
/// not well-formed (with the parser's error in `error`).
final class ParsedXML: NSObject, XMLParserDelegate {
  private(set) var elements: [ParsedElement] = []
  private var stack: [Int] = []
  private(set) var error: String?

  init(_ text: String) {
    super.init()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = self
    if !parser.parse() {
      error = parser.parserError.map { "\($0)" } ?? "unknown parse error"
    }
  }

  var isWellFormed: Bool { error == nil }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    elements.append(ParsedElement(name: elementName, attributes: attributeDict, text: ""))
    stack.append(elements.count - 1)
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    stack.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let index = stack.last { elements[index].text += string }
  }

  func named(_ name: String) -> [ParsedElement] { elements.filter { $0.name == name } }

  /// The `<text>` elements whose content is `content`.
  func texts(_ content: String) -> [ParsedElement] { named("text").filter { $0.text == content } }
}

extension ParsedElement {
  func number(_ attribute: String) -> Double { Double(attributes[attribute] ?? "") ?? .nan }
}
