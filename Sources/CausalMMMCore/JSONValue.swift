import Foundation

/// A JSON value that serialises with a stable key order: objects keep their members in the order
/// given, which the contracts in ARCHITECTURE.md rely on. The one JSON writer of the package.
public indirect enum JSONValue: Sendable {
  /// A string.
  case string(String)
  /// A number; non-finite values are written as `null`.
  case number(Double)
  /// An integer.
  case integer(Int)
  /// `true` or `false`.
  case bool(Bool)
  /// `null`.
  case null
  /// An array.
  case array([JSONValue])
  /// An object; members keep the order given.
  case object([(String, JSONValue)])

  /// An array of strings.
  public static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

  /// The JSON text; `pretty` puts one member per line, arrays of strings stay on one line.
  public func rendered(indent: Int = 0, pretty: Bool = true) -> String {
    let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
    let closePad = pretty ? String(repeating: "  ", count: indent) : ""
    let newline = pretty ? "\n" : ""
    switch self {
    case .string(let text): return Self.quote(text)
    case .number(let value):
      if !value.isFinite { return "null" }
      if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
      return "\(value)"
    case .integer(let value): return String(value)
    case .bool(let value): return value ? "true" : "false"
    case .null: return "null"
    case .array(let items):
      if items.isEmpty { return "[]" }
      if items.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
        return "[" + items.map { $0.rendered(pretty: false) }.joined(separator: ", ") + "]"
      }
      let body = items.map { pad + $0.rendered(indent: indent + 1, pretty: pretty) }
      return "[" + newline + body.joined(separator: "," + newline) + newline + closePad + "]"
    case .object(let members):
      if members.isEmpty { return "{}" }
      let body = members.map { key, value in
        pad + Self.quote(key) + ": " + value.rendered(indent: indent + 1, pretty: pretty)
      }
      return "{" + newline + body.joined(separator: "," + newline) + newline + closePad + "}"
    }
  }

  /// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
  public static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          result += String(format: "\\u%04x", scalar.value)
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

// The Codable side of the one JSON writer: every `Encodable` the package writes as JSON goes through
// `JSONValue.encode`, and is read back by `JSONValue.decode`, with the same conventions (pretty,
// sorted keys, unescaped slashes, non-finite numbers as the strings "inf", "-inf", "nan").
extension JSONValue {
  /// `value` as pretty-printed JSON with sorted keys (`snakeCaseKeys`: Swift names in snake_case).
  public static func encode<T: Encodable>(_ value: T, snakeCaseKeys: Bool = false) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if snakeCaseKeys { encoder.keyEncodingStrategy = .convertToSnakeCase }
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// Reads JSON written by ``encode(_:snakeCaseKeys:)``.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data, snakeCaseKeys: Bool = false) throws
    -> T
  {
    let decoder = JSONDecoder()
    if snakeCaseKeys { decoder.keyDecodingStrategy = .convertFromSnakeCase }
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(type, from: data)
  }
}
