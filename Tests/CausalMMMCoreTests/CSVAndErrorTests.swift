import Testing

@testable import CausalMMMCore

@Suite("The shared CSV reader and the one error shape")
struct CSVAndErrorTests {
  @Test("quoted commas stay in one field; blank lines are skipped but keep the line numbers")
  func quotedFieldsAndLineNumbers() throws {
    let lines = try CSV.table("a,b\n\n\"x, y\",2\r\n3,\"4\"\n", name: "t.csv")
    #expect(lines.map(\.line) == [1, 3, 4])
    #expect(lines[1].fields == ["x, y", "2"])
    #expect(lines[2].fields == ["3", "4"])
  }

  @Test("a written line reads back field for field: commas, quotes and plain names")
  func writtenLinesReadBack() {
    let fields = ["saturation_lam[geo_00,tv]", "say \"hi\"", "plain", ""]
    #expect(CSV.line(fields) == "\"saturation_lam[geo_00,tv]\",\"say \"\"hi\"\"\",plain,")
    #expect(CSV.split(Substring(CSV.line(fields))).fields == fields)
  }

  @Test("an unclosed quote is refused at its line")
  func unclosedQuoteIsLocated() {
    #expect(throws: LocatedError(file: "t.csv", line: 2, "a quoted field is not closed on this line")) {
      try CSV.table("a,b\n\"x,1\n", name: "t.csv")
    }
  }

  @Test("a located error renders FILE:LINE: error: column 'C': MESSAGE, leaving out what is unknown")
  func rendering() {
    #expect(
      LocatedError(file: "d.csv", line: 3, column: "tv", "missing value").description
        == "d.csv:3: error: column 'tv': missing value")
    #expect(LocatedError(file: "g.dot", message: "cycle").description == "g.dot: error: cycle")
    #expect(LocatedError("no file").description == "error: no file")
    #expect(LocatedError("x").located(in: "m.yaml").description == "m.yaml: error: x")
  }
}

@Suite("RFC 4180 quoting")
struct CSVQuotingTests {
  @Test("a doubled quote inside a quoted field is one literal quote")
  func doubledQuote() {
    #expect(CSV.split("\"say \"\"hi\"\"\",2").fields == ["say \"hi\"", "2"])
    #expect(CSV.split("\"a\"\"\"").openQuote == false)
  }
}
