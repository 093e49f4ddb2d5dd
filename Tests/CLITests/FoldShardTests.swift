import Foundation
import Testing

@Suite("cv --fold-index K per task, then cv-merge: the cv output")
struct FoldShardTests {
  static let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")
  static let inputs = [
    "--config", good.appendingPathComponent("mmm_config.yaml").path, "--data",
    good.appendingPathComponent("mmm_data.csv").path, "--initial", "20", "--horizon", "4", "--step", "3",
  ]
  static let sampler = ["--chains", "2", "--tune", "30", "--draws", "20"]

  /// cv.json with the per-fold wall-clock `seconds` blanked.
  static func blanked(_ url: URL) throws -> String {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.replacingOccurrences(
      of: #""seconds" : [0-9.e+-]+"#, with: "\"seconds\" : _", options: .regularExpression)
  }

  @Test("3 fold tasks merged give cv's cv.json (seconds aside) and the same cv.html; mismatches are refused")
  func mergedEqualsCV() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let full = dir.appendingPathComponent("full")
    let whole = try CLIRunner.run(
      ["cv"] + Self.inputs + Self.sampler + ["--seed", "5", "--out", full.path, "--quiet"])
    #expect(whole.status == 0, "\(whole.stderr)")
    let parts = dir.appendingPathComponent("parts")
    for k in 0..<3 {
      let task = try CLIRunner.run(
        ["cv"] + Self.inputs + Self.sampler + ["--seed", "5", "--out", parts.path, "--fold-index", String(k)])
      #expect(task.status == 0, "\(task.stderr)")
    }
    let merged = dir.appendingPathComponent("merged")
    let foldDirectories = [2, 0, 1].map { parts.appendingPathComponent("fold-\($0)").path }
    let result = try CLIRunner.run(["cv-merge"] + Self.inputs + ["--out", merged.path] + foldDirectories)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      try Self.blanked(full.appendingPathComponent("cv.json"))
        == Self.blanked(merged.appendingPathComponent("cv.json")))
    #expect(
      try Data(contentsOf: full.appendingPathComponent("cv.html"))
        == Data(contentsOf: merged.appendingPathComponent("cv.html")))

    // A fold with another seed, a repeated fold, a missing fold, other fold settings.
    let other = dir.appendingPathComponent("other")
    #expect(
      try CLIRunner.run(
        ["cv"] + Self.inputs + Self.sampler + ["--seed", "6", "--out", other.path, "--fold-index", "1"]
      ).status == 0)
    let fold0 = parts.appendingPathComponent("fold-0").path
    let fold2 = parts.appendingPathComponent("fold-2").path
    let otherFold = other.appendingPathComponent("fold-1").path
    var shifted = Self.inputs
    shifted[shifted.firstIndex(of: "--step")! + 1] = "2"
    let cases: [(String, [String], String, String)] = [
      ("seed", Self.inputs + [fold0, otherFold, fold2], otherFold, "seed 6 differs from 5"),
      ("repeated", Self.inputs + [fold0, fold0], fold0, "fold 0 is also in"),
      (
        "missing", Self.inputs + [fold0, fold2], dir.appendingPathComponent("out-missing").path,
        "missing fold 1 of 3"
      ),
      ("step", shifted + [fold0], fold0, "step 3 differs from the given inputs' 2"),
    ]
    for (name, arguments, located, message) in cases {
      let run = try CLIRunner.run(
        ["cv-merge"] + arguments.prefix(10) + ["--out", dir.appendingPathComponent("out-" + name).path]
          + arguments.dropFirst(10))
      let line = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(run.status == 1, "\(name)")
      #expect(line.hasPrefix(located + ": error: "), "\(name): \(line)")
      #expect(line.contains(message), "\(name): \(line)")
    }
  }
}
