import Foundation
import Testing

@Suite("causal-mmm fit --gradient-threads")
struct GradientThreadsTests {
  static let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")

  @Test("a geo fit gives byte-identical outputs on 1 and 2 gradient threads (timing blanked)")
  func byteIdenticalAcrossGradientThreads() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var outputs: [[String: Data]] = []
    for threads in [1, 2] {
      let out = dir.appendingPathComponent("fit-\(threads)")
      let result = try CLIRunner.run([
        "fit", "--config", Self.good.appendingPathComponent("mmm_geo_config.yaml").path, "--data",
        Self.good.appendingPathComponent("mmm_geo_data.csv").path, "--out", out.path, "--chains", "1",
        "--tune", "40", "--draws", "30", "--seed", "5", "--gradient-threads", String(threads), "--quiet",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      outputs.append(try ReproducibilityTests.outputs(of: out))
    }
    #expect(Set(outputs[0].keys) == Set(outputs[1].keys))
    for name in outputs[0].keys.sorted() { #expect(outputs[1][name] == outputs[0][name], "\(name) differs") }
  }

  @Test("--gradient-threads 0 is refused")
  func zeroRefused() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try CLIRunner.run([
      "fit", "--config", Self.good.appendingPathComponent("mmm_geo_config.yaml").path, "--data",
      Self.good.appendingPathComponent("mmm_geo_data.csv").path, "--out",
      dir.appendingPathComponent("f").path,
      "--gradient-threads", "0", "--quiet",
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--gradient-threads must be at least 1"))
  }
}
