import Foundation
import Testing

@Suite("causal-mmm check and render")
struct RenderAndCheckCommandTests {
  @Test("check lists the calibration-trap DAG's nodes, latent nodes and declared roles as JSON")
  func checkJSON() throws {
    let result = try CLIRunner.run(["check", CLIRunner.dag("calibration_trap.dot"), "--format", "json"])
    #expect(result.status == 0)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((json["nodes"] as? [String])?.count == 12)
    #expect((json["edges"] as? [[String]])?.count == 15)
    #expect(json["treatment"] as? [String] == ["impressions_x2"])
    #expect(json["outcome"] as? [String] == ["target"])
  }

  @Test("a syntax error exits 1 with FILE:4: error on stderr and nothing on stdout")
  func syntaxError() throws {
    let file = CLIRunner.fixture("syntax_error_line4.dot")
    let result = try CLIRunner.run(["check", file])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("\(file):4: error: syntax error"))
    #expect(result.stderr.split(separator: "\n").count == 1, "one line, no libgraphviz noise")
  }

  @Test("a cycle exits 1 naming the cycle's nodes")
  func cycle() throws {
    let result = try CLIRunner.run(["check", CLIRunner.fixture("cycle3.dot")])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("error: the graph has a cycle: "))
    for name in ["a", "b", "c"] { #expect(result.stderr.contains(name)) }
  }

  @Test("an undirected graph is refused")
  func undirected() throws {
    let result = try CLIRunner.run(["check", CLIRunner.fixture("undirected.dot")])
    #expect(result.status == 1)
    #expect(result.stderr.contains("digraph"))
  }

  @Test("an unknown --treatment is refused with a located error")
  func unknownTreatment() throws {
    let file = CLIRunner.dag("calibration_trap.dot")
    let result = try CLIRunner.run(["render", file, "--treatment", "tv", "-o", "-"])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == "\(file): error: unknown node 'tv' given to --treatment\n")
  }

  @Test("render writes SVG, PNG and PDF files with valid headers and the legend")
  func renderFormats() throws {
    let directory = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = CLIRunner.dag("calibration_trap.dot")
    for (name, header) in [("out.svg", "<?xml"), ("out.png", "\u{89}PNG"), ("out.pdf", "%PDF")] {
      let output = directory.appendingPathComponent(name).path
      let result = try CLIRunner.run(
        ["render", file, "--treatment", "impressions_x2", "--outcome", "target", "-o", output])
      #expect(result.status == 0, "\(result.stderr)")
      let data = try Data(contentsOf: URL(fileURLWithPath: output))
      let prefix = String(decoding: data.prefix(header.utf8.count), as: UTF8.self)
      if name == "out.png" {
        #expect(Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
      } else {
        #expect(prefix == header)
      }
    }
    let svg = try String(contentsOf: directory.appendingPathComponent("out.svg"), encoding: .utf8)
    #expect(svg.contains("<svg"))
    #expect(svg.contains("Legend"))
  }

  @Test("render -o - writes SVG to stdout; an unknown extension is refused")
  func renderStdoutAndBadExtension() throws {
    let file = CLIRunner.dag("geo_lift.dot")
    let ok = try CLIRunner.run(["render", file, "-o", "-"])
    #expect(ok.status == 0)
    #expect(ok.stdout.contains("<svg"))
    let bad = try CLIRunner.run(["render", file, "-o", "out.gif"])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("unknown output format"))
  }

  @Test("--version and --help work on the root and on subcommands")
  func versionAndHelp() throws {
    let version = try CLIRunner.run(["--version"])
    #expect(version.status == 0)
    #expect(!version.stdout.isEmpty)
    for subcommand in ["check", "render"] {
      let help = try CLIRunner.run([subcommand, "--help"])
      #expect(help.status == 0)
      #expect(help.stdout.contains("USAGE"))
    }
  }
}
