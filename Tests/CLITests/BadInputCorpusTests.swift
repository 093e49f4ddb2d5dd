import Foundation
import Testing

/// One row of `Tests/Fixtures/bad/EXPECTED.tsv`.
struct BadInputCase: CustomTestStringConvertible, Sendable {
  let file: String
  let arguments: [String]
  let expectedPrefix: String

  var testDescription: String { "\(file): \(arguments.joined(separator: " "))" }

  static let directory = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/bad")

  static func all() -> [BadInputCase] {
    let manifest = directory.appendingPathComponent("EXPECTED.tsv")
    guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line -> BadInputCase? in
      if line.hasPrefix("#") || line.isEmpty { return nil }
      let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard columns.count == 3 else { return nil }
      let path = directory.appendingPathComponent(columns[0]).path
      let substitute = { (text: String) in
        text.replacingOccurrences(of: "{file}", with: path)
          .replacingOccurrences(of: "{dir}", with: directory.path)
      }
      return BadInputCase(
        file: columns[0],
        arguments: columns[1].split(separator: " ").map { substitute(String($0)) },
        expectedPrefix: substitute(columns[2]))
    }
  }
}

@Suite("Bad-input corpus: every file refused with a located one-line error")
struct BadInputCorpusTests {
  @Test("the manifest lists every corpus file and is well formed")
  func manifestComplete() throws {
    let cases = BadInputCase.all()
    let listed = Set(cases.map(\.file))
    let files = try FileManager.default.contentsOfDirectory(atPath: BadInputCase.directory.path)
      .filter { $0 != "EXPECTED.tsv" }
    #expect(files.count >= 40)
    // A refused `fit` must not have created its output directory (it would show up here unlisted).
    for file in files { #expect(listed.contains(file), "\(file) has no row in EXPECTED.tsv") }
    for prefix in ["dot_", "csv_", "lift_", "config_"] {
      #expect(files.filter { $0.hasPrefix(prefix) }.count >= 8, "too few \(prefix) cases")
    }
  }

  @Test(
    "exit 1, nothing on stdout, one line on stderr starting with the expected prefix",
    arguments: BadInputCase.all())
  func refused(_ badCase: BadInputCase) throws {
    let result = try CLIRunner.run(badCase.arguments)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix(badCase.expectedPrefix), "stderr was: \(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "stderr was: \(result.stderr)")
  }

  @Test("a 5 MB DOT file (one long chain) is read, not refused")
  func largeFile() throws {
    let directory = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var text = "digraph {\n"
    var index = 0
    while text.utf8.count < 5_000_000 {
      text += "  variable_number_\(index) -> variable_number_\(index + 1);\n"
      index += 1
    }
    text += "}\n"
    let file = directory.appendingPathComponent("big.dot")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let result = try CLIRunner.run(["check", file.path, "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"variable_number_\(index)\""))
  }
}

@Suite("Valid but unusual input is accepted")
struct GoodInputCorpusTests {
  static let directory = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")

  @Test("a DOT file with a byte-order mark, CRLF line ends and unicode names gives its adjustment set")
  func bomCRLFUnicode() throws {
    let file = Self.directory.appendingPathComponent("dot_bom_crlf_unicode.dot").path
    let result = try CLIRunner.run(["adjust", file, "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["minimal_adjustment_sets"] as? [[String]] == [["temporada"]])
  }

  @Test("a node declared twice is one node")
  func duplicateNodeStatements() throws {
    let file = Self.directory.appendingPathComponent("dot_duplicate_node_statements.dot").path
    let result = try CLIRunner.run(["check", file, "--format", "json"])
    #expect(result.status == 0)
    #expect(result.stdout.contains(#""nodes": ["a", "b"]"#))
  }

  /// Fits `data` with the small national configuration and returns the `parameters` object of
  /// summary.json (timing is outside it).
  static func fitParameters(data: String, config: String = "mmm_config.yaml", lifts: String? = nil) throws
    -> [String: [String: Double]]
  {
    let out = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    var arguments = [
      "fit", "--config", directory.appendingPathComponent(config).path, "--data", data, "--out",
      out.appendingPathComponent("fit").path, "--quiet",
    ]
    if let lifts { arguments += ["--lift-tests", lifts] }
    let result = try CLIRunner.run(arguments)
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try Data(contentsOf: out.appendingPathComponent("fit/summary.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
    let parameters = try #require(json["parameters"] as? [String: [String: Any]])
    return parameters.mapValues { $0.compactMapValues { $0 as? Double } }
  }

  @Test(
    "a data CSV with a byte-order mark, CRLF line ends, quoted and padded fields fits exactly like the plain file"
  )
  func bomCRLFQuotedCSV() throws {
    let plain = try Self.fitParameters(data: Self.directory.appendingPathComponent("mmm_data.csv").path)
    let decorated = try Self.fitParameters(
      data: Self.directory.appendingPathComponent("mmm_data_bom_crlf.csv").path)
    #expect(!plain.isEmpty)
    #expect(plain == decorated)
  }

  @Test("monthly dates (28 to 31 days apart) count as evenly spaced and fit")
  func monthlyData() throws {
    let parameters = try Self.fitParameters(
      data: Self.directory.appendingPathComponent("mmm_data_monthly.csv").path)
    #expect(parameters["saturation_lam[tv]"]?["mean"]?.isFinite == true)
  }

  @Test("a geo table with geo lift tests fits and every summary number is finite")
  func geoWithLiftTests() throws {
    let parameters = try Self.fitParameters(
      data: Self.directory.appendingPathComponent("mmm_geo_data.csv").path, config: "mmm_geo_config.yaml",
      lifts: Self.directory.appendingPathComponent("mmm_geo_lifts.csv").path)
    #expect(parameters["saturation_lam[tv]"] != nil)
    for (name, fields) in parameters {
      for key in ["mean", "sd", "hdi_3%", "hdi_97%"] {
        #expect(fields[key]?.isFinite == true, "\(name) \(key)")
      }
    }
  }
}
