import Foundation

/// RFC-4180 reading, the one CSV reader of the package: comma separated, double-quoted fields (`""` is a
/// quote), blank lines skipped, every line keeping its 1-based number for located errors.
public enum CSV {
  public struct Line: Sendable {
    /// The 1-based line number.
    public let line: Int
    /// The fields, spaces trimmed.
    public let fields: [String]
    /// Whether the line ended inside a quoted field.
    public var hasOpenQuote = false
  }

  /// The non-blank lines of `text` with their 1-based line numbers. A leading byte-order mark is
  /// dropped; lines may end in LF, CRLF or CR (a CRLF pair is one `Character` in Swift, so lines
  /// are split on `isNewline`, not on "\n").
  public static func lines(_ text: String) -> [Line] {
    var body = Substring(text)
    if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
    var result: [Line] = []
    var lineNumber = 0
    for raw in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      lineNumber += 1
      if raw.trimmingSpaces.isEmpty { continue }
      let (fields, open) = split(raw)
      result.append(Line(line: lineNumber, fields: fields, hasOpenQuote: open))
    }
    return result
  }

  /// `lines(text)`, refusing a line whose quoted field is not closed (a quoted field cannot span lines).
  ///
  /// - Throws: `LocatedError` at the line with the open quote.
  public static func table(_ text: String, name: String, maximumCells: Int = maximumCells) throws -> [Line] {
    // Count before splitting: the split table takes ~20 bytes per cell, so an oversized file is
    // refused with a message here instead of being killed for running out of memory.
    var lineCount = 0
    var firstLineFields = 1
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\n") {
        lineCount += 1
      } else if byte == UInt8(ascii: ","), lineCount == 0 {
        firstLineFields += 1
      }
    }
    if lineCount.multipliedReportingOverflow(by: firstLineFields).partialValue > maximumCells {
      throw LocatedError(
        file: name,
        "about \(lineCount) lines x \(firstLineFields) columns exceeds the limit of \(maximumCells) cells; "
          + "aggregate the data (e.g. weekly, fewer geos) or split it")
    }
    let result = lines(text)
    if let open = result.first(where: \.hasOpenQuote) {
      throw LocatedError(file: name, line: open.line, "a quoted field is not closed on this line")
    }
    return result
  }

  /// The largest table read (lines x header fields), 10^8 cells: about 2 GB once split.
  public static let maximumCells = 100_000_000

  /// One field as RFC 4180 writes it: quoted (with `""` for a quote) when it holds a comma, a quote
  /// or a line break, as is.
  public static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One line of fields, each written by `field(_:)`; `split(_:)` reads it back.
  public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

  /// The fields of one line, and whether it ended inside a quoted field.
  public static func split(_ line: Substring) -> (fields: [String], openQuote: Bool) {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var index = line.startIndex
    while index < line.endIndex {
      let ch = line[index]
      index = line.index(after: index)
      if quoted {
        if ch == "\"" {
          // `""` inside a quoted field is one literal quote (RFC 4180).
          if index < line.endIndex, line[index] == "\"" {
            current.append("\"")
            index = line.index(after: index)
          } else {
            quoted = false
          }
        } else {
          current.append(ch)
        }
      } else if ch == "\"" {
        quoted = true
      } else if ch == "," {
        fields.append(String(current.trimmingSpaces))
        current = ""
      } else {
        current.append(ch)
      }
    }
    fields.append(String(current.trimmingSpaces))
    return (fields, quoted)
  }

  /// Reads `path` as UTF-8 text.
  ///
  /// - Throws: `LocatedError` telling an unreadable file from one that is not UTF-8 text.
  public static func readText(path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, "cannot read file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw LocatedError(file: path, "the file is not UTF-8 text")
    }
    return text
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  public var trimmingSpaces: Substring {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return s
  }
}
