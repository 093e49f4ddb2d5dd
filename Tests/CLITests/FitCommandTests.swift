import Foundation
import Testing

@Suite("causal-mmm fit, predict and intervene")
struct FitCommandTests {
  /// A national weekly table: y = 1 + 0.8 * tanh-like response to tv + noise (deterministic).
  static func writeData(to directory: URL, negativeAtRow: Int? = nil) throws -> String {
    var lines = ["date,tv,y"]
    var state: UInt64 = 42
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var date = DateComponents(
      calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2023, month: 1,
      day: 2
    ).date!
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "UTC")
    for row in 0..<40 {
      let tv = row == negativeAtRow ? -5.0 : 100 * uniform()
      let y = 10 + 6 * (1 - exp(-tv / 40)) + (uniform() - 0.5)
      lines.append("\(formatter.string(from: date)),\(tv),\(y)")
      date = date.addingTimeInterval(7 * 86_400)
    }
    let path = directory.appendingPathComponent("data.csv").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func writeConfig(to directory: URL, extra: String = "") throws -> String {
    let text = """
      date_column: date
      target_column: y
      channel_columns: [tv]
      adstock: {type: geometric, l_max: 4}
      saturation: {type: logistic}
      \(extra)
      """
    let path = directory.appendingPathComponent("model.yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test(
    "fit writes summary.json per the contract, chain CSVs, contributions and ROAS; intervene matches contributions"
  )
  func fitAndIntervene() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try Self.writeData(to: dir)
    let config = try Self.writeConfig(to: dir)
    let out = dir.appendingPathComponent("fit").path
    let fit = try CLIRunner.run([
      "fit", "--config", config, "--data", data, "--out", out, "--chains", "2", "--tune", "150", "--draws",
      "100",
      "--seed", "3", "--quiet",
    ])
    #expect(fit.status == 0, "\(fit.stderr)")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")))
        as? [String: Any])
    let parameters = try #require(summary["parameters"] as? [String: [String: Any]])
    for name in ["adstock_alpha[tv]", "saturation_lam[tv]", "saturation_beta[tv]", "intercept", "y_sigma"] {
      let entry = try #require(parameters[name], "missing \(name)")
      for key in ["mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail"] {
        #expect(entry[key] != nil, "\(name) lacks \(key)")
      }
    }
    let sampler = try #require(summary["sampler"] as? [String: Any])
    #expect(
      sampler["chains"] as? Int == 2 && sampler["tune"] as? Int == 150 && sampler["draws"] as? Int == 100)
    #expect(sampler["divergences"] is Int && sampler["seconds"] is Double)
    for file in ["chain-1.csv", "chain-2.csv", "contributions.csv", "roas.json", "config.json", "data.csv"] {
      #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
    }
    let chainCSV = try String(contentsOfFile: out + "/chain-1.csv", encoding: .utf8)
    #expect(chainCSV.split(separator: "\n").filter { !$0.hasPrefix("#") }.count == 101)

    // Refuses to overwrite without --force.
    let again = try CLIRunner.run(["fit", "--config", config, "--data", data, "--out", out, "--quiet"])
    #expect(again.status == 1 && again.stderr.contains("not empty"))

    // Setting tv to 0 everywhere removes exactly its contribution: total difference = -Σ contributions.
    let contributions = try String(contentsOfFile: out + "/contributions.csv", encoding: .utf8)
    let contributionTotal = contributions.split(separator: "\n").dropFirst().map { line -> Double in
      Double(line.split(separator: ",", omittingEmptySubsequences: false)[3])!
    }.reduce(0, +)
    let original = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n")
    let zeroed =
      [String(original[0])]
      + original.dropFirst().map { line -> String in
        let f = line.split(separator: ",")
        return "\(f[0]),0,\(f[2])"
      }
    let counterfactual = dir.appendingPathComponent("zero.csv").path
    try (zeroed.joined(separator: "\n") + "\n").write(
      toFile: counterfactual, atomically: true, encoding: .utf8)
    let intervention = try CLIRunner.run(["intervene", "--fit", out, "--data", counterfactual])
    #expect(intervention.status == 0, "\(intervention.stderr)")
    let result = try #require(
      try JSONSerialization.jsonObject(with: Data(intervention.stdout.utf8)) as? [String: Any])
    let total = try #require((result["total"] as? [String: Any])?["mean"] as? Double)
    #expect(contributionTotal > 0)
    #expect(
      abs(total + contributionTotal) < 1e-6 * contributionTotal,
      "intervene \(total) vs contributions \(contributionTotal)")
    #expect((result["per_date"] as? [Any])?.count == 40)

    let prediction = try CLIRunner.run(["predict", "--fit", out, "--data", data])
    #expect(prediction.status == 0 && prediction.stdout.split(separator: "\n").count == 41)
  }

  @Test("negative spend exits 1 with FILE:LINE: error: column 'tv' on stderr and nothing on stdout")
  func negativeSpend() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try Self.writeData(to: dir, negativeAtRow: 6)
    let config = try Self.writeConfig(to: dir)
    let result = try CLIRunner.run([
      "fit", "--config", config, "--data", data, "--out", dir.appendingPathComponent("o").path,
    ])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == "\(data):8: error: column 'tv': negative spend -5.0\n")
  }

  @Test("an unknown configuration key exits 1 naming the line and suggesting the right key")
  func unknownKey() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try Self.writeData(to: dir)
    let config = try Self.writeConfig(to: dir, extra: "yearly_seasonalty: 2")
    let result = try CLIRunner.run([
      "fit", "--config", config, "--data", data, "--out", dir.appendingPathComponent("o").path,
    ])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        "\(config):6: error: key 'yearly_seasonalty': unknown key (did you mean 'yearly_seasonality'?)"),
      "\(result.stderr)")
  }

  @Test(
    "max tree depth: --max-tree-depth caps every draw's depth and reaches the CSV; 0 in the configuration is refused"
  )
  func maxTreeDepth() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try Self.writeData(to: dir)
    let config = try Self.writeConfig(to: dir, extra: "sampler: {max_tree_depth: 4}")
    let out = dir.appendingPathComponent("fit").path
    let fit = try CLIRunner.run([
      "fit", "--config", config, "--data", data, "--out", out, "--chains", "1", "--tune", "60", "--draws",
      "40",
      "--max-tree-depth", "2", "--quiet",
    ])
    #expect(fit.status == 0, "\(fit.stderr)")
    let chainCSV = try String(contentsOfFile: out + "/chain-1.csv", encoding: .utf8)
    #expect(chainCSV.contains("max_depth = 2"))
    let rows = chainCSV.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst()
    #expect(rows.count == 40)
    #expect(rows.allSatisfy { Int($0.split(separator: ",")[3])! <= 2 })
    let bad = try Self.writeConfig(to: dir, extra: "sampler: {max_tree_depth: 0}")
    let refused = try CLIRunner.run([
      "fit", "--config", bad, "--data", data, "--out", dir.appendingPathComponent("o").path,
    ])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("\(bad):6: error: key 'max_tree_depth'"), "\(refused.stderr)")
  }
}
