import Foundation
import Testing

@Suite("fit --chain-count N as N batch tasks (JOB_COMPLETION_INDEX), then merge: the N-chain fit")
struct ChainShardTests {
  static let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")
  static let config = good.appendingPathComponent("mmm_config.yaml").path
  static let data = good.appendingPathComponent("mmm_data.csv").path
  static let lifts = good.appendingPathComponent("mmm_lifts.csv").path

  static func fitArguments(data: String = data, out: URL, seed: Int = 3, chains: [String]) -> [String] {
    [
      "fit", "--config", config, "--data", data, "--lift-tests", lifts, "--out", out.path, "--tune", "40",
      "--draws", "30", "--seed", String(seed), "--quiet", "--threads", "1",
    ] + chains
  }

  /// One chain task as a Kubernetes Indexed Job pod runs it: the index only in JOB_COMPLETION_INDEX
  /// (the environment holds nothing else), the same arguments in every task.
  static func task(_ index: Int, count: Int, data: String = data, parts: URL, seed: Int = 3) throws
    -> CLIResult
  {
    try CLIRunner.run(
      fitArguments(data: data, out: parts, seed: seed, chains: ["--chain-count", String(count)]),
      environment: ["JOB_COMPLETION_INDEX": String(index)])
  }

  /// A file's bytes with the wall-clock fields blanked (`"seconds": x`, `Elapsed Time`) and the
  /// merged provenance's `parts` line dropped: the only fields that differ by necessity.
  static func normalised(_ url: URL) throws -> String {
    let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
      if line.contains("Elapsed Time") { return "# (elapsed time)" }
      if line.hasPrefix("  \"parts\": ") { return nil }
      guard let range = line.range(of: #""seconds": [0-9.e+-]+"#, options: .regularExpression) else {
        return String(line)
      }
      return line.replacingCharacters(in: range, with: "\"seconds\": _")
    }.joined(separator: "\n")
  }

  @Test(
    "4 tasks with only JOB_COMPLETION_INDEX set, merged, equal the 4-chain fit file by file (timing aside)")
  func mergedEqualsSingleProcess() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let full = dir.appendingPathComponent("full")
    let whole = try CLIRunner.run(Self.fitArguments(out: full, chains: ["--chains", "4"]))
    #expect(whole.status == 0, "\(whole.stderr)")
    let parts = dir.appendingPathComponent("parts")
    for index in 0..<4 {
      let result = try Self.task(index, count: 4, parts: parts)
      #expect(result.status == 0, "\(result.stderr)")
    }
    // Each part is chain K of the 4-chain fit: the same kept rows as the full fit's chain-(K+1).csv.
    func rows(_ url: URL) throws -> [Substring] {
      String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n").filter {
        !$0.hasPrefix("#")
      }
    }
    for index in 0..<4 {
      let partCSV = parts.appendingPathComponent("part-\(index)/chain-1.csv")
      #expect(try rows(partCSV) == rows(full.appendingPathComponent("chain-\(index + 1).csv")))
      #expect(try String(contentsOf: partCSV, encoding: .utf8).contains("# id = \(index + 1)\n"))
    }
    let merged = dir.appendingPathComponent("merged")
    // Parts in shuffled order: merge orders them by chain index.
    let result = try CLIRunner.run(
      ["merge", "--out", merged.path, "--quiet"]
        + [2, 0, 3, 1].map { parts.appendingPathComponent("part-\($0)").path })
    #expect(result.status == 0, "\(result.stderr)")
    let fullNames = try FileManager.default.contentsOfDirectory(atPath: full.path).sorted()
    let mergedNames = try FileManager.default.contentsOfDirectory(atPath: merged.path).sorted()
    #expect(mergedNames == fullNames)
    for name in [
      "summary.json", "chain-1.csv", "chain-4.csv", "contributions.csv", "roas.json", "fitted.csv",
      "draws_unconstrained.csv", "provenance.json", "config.json", "data.csv", "lift_tests.csv",
    ] {
      #expect(fullNames.contains(name), "the 4-chain fit has no \(name)")
    }
    for name in fullNames {
      let same =
        try Self.normalised(full.appendingPathComponent(name))
        == Self.normalised(merged.appendingPathComponent(name))
      #expect(same, "\(name) differs between the merged and the 4-chain fit")
      // Everything but summary.json, the chain CSVs and provenance.json is byte-identical as written.
      if !["summary.json", "provenance.json"].contains(name) && !name.hasPrefix("chain-") {
        #expect(
          try Data(contentsOf: full.appendingPathComponent(name))
            == Data(contentsOf: merged.appendingPathComponent(name)))
      }
    }
    let provenance = try String(contentsOf: merged.appendingPathComponent("provenance.json"), encoding: .utf8)
    for index in 0..<4 { #expect(provenance.contains(parts.appendingPathComponent("part-\(index)").path)) }
  }

  @Test("merge refuses a part with another seed, another data file, a repeated or a missing chain index")
  func refusals() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let parts = dir.appendingPathComponent("parts")
    for index in 0..<2 { #expect(try Self.task(index, count: 2, parts: parts).status == 0) }
    let otherSeed = dir.appendingPathComponent("seed")
    #expect(try Self.task(1, count: 2, parts: otherSeed, seed: 4).status == 0)
    // The same data with one target value changed.
    var lines = try String(contentsOfFile: Self.data, encoding: .utf8).split(separator: "\n").map(String.init)
    var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    fields[fields.count - 1] = fields[fields.count - 1] + "1"
    lines[1] = fields.joined(separator: ",")
    let otherData = dir.appendingPathComponent("other_data.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: otherData, atomically: true, encoding: .utf8)
    let otherDataParts = dir.appendingPathComponent("data")
    let dataTask = try Self.task(1, count: 2, data: otherData.path, parts: otherDataParts)
    #expect(dataTask.status == 0, "\(dataTask.stderr)")

    func merge(_ directories: [URL], into name: String) throws -> CLIResult {
      try CLIRunner.run(
        ["merge", "--out", dir.appendingPathComponent("merged-" + name).path] + directories.map(\.path))
    }
    let part0 = parts.appendingPathComponent("part-0")
    let cases: [(String, [URL], String, String)] = [
      (
        "seed", [part0, otherSeed.appendingPathComponent("part-1")],
        otherSeed.appendingPathComponent("part-1").path, "seed 4 differs from 3"
      ),
      (
        "data", [part0, otherDataParts.appendingPathComponent("part-1")],
        otherDataParts.appendingPathComponent("part-1").path, "data (SHA-256)"
      ),
      (
        "duplicate", [part0, parts.appendingPathComponent("part-1"), part0], part0.path,
        "chain index 0 is also in"
      ),
      ("missing", [part0], dir.appendingPathComponent("merged-missing").path, "missing chain index 1 of 2"),
    ]
    for (name, directories, located, message) in cases {
      let result = try merge(directories, into: name)
      #expect(result.status == 1, "\(name): \(result.stdout)")
      #expect(result.stdout.isEmpty, "\(name)")
      let line = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(!line.contains("\n"), "\(name): one line, got \(line)")
      #expect(line.hasPrefix(located + ": error: "), "\(name): \(line)")
      #expect(line.contains(message), "\(name): \(line)")
      #expect(
        !FileManager.default.fileExists(
          atPath: dir.appendingPathComponent("merged-" + name).appendingPathComponent("summary.json").path))
    }
  }
}
