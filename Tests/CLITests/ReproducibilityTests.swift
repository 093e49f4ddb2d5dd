import Foundation
import Testing

@Suite("causal-mmm fit: reproducible outputs, provenance and overwrite protection")
struct ReproducibilityTests {
  static let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")

  /// Runs `fit` on the small national fixture with two chains into `out`.
  static func fit(into out: URL, threads: Int, extra: [String] = []) throws -> CLIResult {
    try CLIRunner.run(
      [
        "fit", "--config", good.appendingPathComponent("mmm_config.yaml").path, "--data",
        good.appendingPathComponent("mmm_data.csv").path, "--lift-tests",
        good.appendingPathComponent("mmm_lifts.csv").path, "--out", out.path, "--chains", "2", "--tune", "60",
        "--draws", "40", "--seed", "11", "--threads", String(threads), "--quiet",
      ] + extra)
  }

  /// Every output file's bytes, with the wall-clock time blanked: `"seconds": x` in summary.json
  /// and the `Elapsed Time` comment of the CmdStan CSVs (timing is in the contract, so it stays).
  static func outputs(of directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
      var data = try Data(contentsOf: directory.appendingPathComponent(name))
      if name == "summary.json" || name.hasPrefix("chain-") {
        let text = String(decoding: data, as: UTF8.self)
        let blanked = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
          if line.contains("Elapsed Time") { return "# (elapsed time)" }
          guard let range = line.range(of: #""seconds": [0-9.e+-]+"#, options: .regularExpression) else {
            return String(line)
          }
          return line.replacingCharacters(in: range, with: "\"seconds\": _")
        }
        data = Data(blanked.joined(separator: "\n").utf8)
      }
      files[name] = data
    }
    return files
  }

  @Test("the same seed gives byte-identical outputs across runs and on 1 vs 2 threads (timing blanked)")
  func byteIdentical() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var outputs: [[String: Data]] = []
    for (k, threads) in [1, 2, 2].enumerated() {
      let out = dir.appendingPathComponent("fit-\(k)")
      let result = try Self.fit(into: out, threads: threads)
      #expect(result.status == 0, "\(result.stderr)")
      outputs.append(try Self.outputs(of: out))
    }
    let names = Set(outputs[0].keys)
    for required in [
      "summary.json", "chain-1.csv", "chain-2.csv", "contributions.csv", "roas.json",
      "draws_unconstrained.csv",
      "provenance.json",
    ] {
      #expect(names.contains(required), "missing \(required)")
    }
    for other in outputs.dropFirst() {
      #expect(Set(other.keys) == names)
      for name in names.sorted() { #expect(other[name] == outputs[0][name], "\(name) differs") }
    }
    // The blanking touched only the timing: the summary still holds the sampler's numbers.
    let summary = String(decoding: outputs[0]["summary.json"] ?? Data(), as: UTF8.self)
    #expect(summary.contains("\"seconds\": _") && summary.contains("\"seed\": 11"))
  }

  @Test("provenance.json records the tool version, the seed and the SHA-256 of each input file")
  func provenance() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("fit")
    let result = try Self.fit(into: out, threads: 1)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("provenance.json")))
        as? [String: Any])
    let version = try CLIRunner.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(json["version"] as? String == version)
    #expect(json["seed"] as? Int == 11)
    #expect(json["chains"] as? Int == 2)
    // The digest of mmm_data.csv as printed by `sha256sum` (coreutils), an independent implementation.
    let dataPath = Self.good.appendingPathComponent("mmm_data.csv").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", dataPath]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let expected = String(printed.prefix(64))
    #expect(expected.count == 64)
    #expect((json["data_file"] as? [String: Any])?["sha256"] as? String == expected)
    #expect((json["lift_tests_file"] as? [String: Any])?["sha256"] is String)
    let configuration = try #require(json["configuration"] as? [String: Any])
    #expect(configuration["channel_columns"] as? [String] == ["tv", "radio"])
  }

  @Test(
    "fit refuses a non-empty --out without --force and leaves the user's files untouched; --force overwrites")
  func overwriteProtection() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("mine")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let precious = out.appendingPathComponent("notes.txt")
    try Data("do not lose me\n".utf8).write(to: precious)
    let refused = try Self.fit(into: out, threads: 1)
    #expect(refused.status == 1)
    #expect(refused.stdout.isEmpty)
    #expect(refused.stderr.hasPrefix("\(out.path): error: output directory is not empty"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["notes.txt"])
    #expect(try Data(contentsOf: precious) == Data("do not lose me\n".utf8))

    // A chain file from an earlier fit with more chains must not survive a --force rewrite.
    let staleChain = out.appendingPathComponent("chain-4.csv")
    try Data("stale\n".utf8).write(to: staleChain)
    let forced = try Self.fit(into: out, threads: 1, extra: ["--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("chain-2.csv").path))
    #expect(!FileManager.default.fileExists(atPath: staleChain.path))

    let file = dir.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: file)
    let onFile = try Self.fit(into: file, threads: 1, extra: ["--force"])
    #expect(
      onFile.status == 1 && onFile.stderr.hasPrefix("\(file.path): error: exists and is not a directory"))
  }
}
