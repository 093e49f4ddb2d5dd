import Foundation
import Testing

@Suite("causal-mmm fit with a cost_share prior: the shares it used are printed and saved")
struct CostSharePriorTests {
  @Test("provenance.json and config.json hold each channel's share of the data's spend, not the shorthand")
  func sharesWrittenOut() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")
    let dataPath = good.appendingPathComponent("mmm_data.csv").path
    let config = dir.appendingPathComponent("model.yaml")
    try """
    date_column: date
    target_column: y
    channel_columns: [tv, radio]
    adstock: {type: geometric, l_max: 2}
    priors:
      saturation_beta: {dist: HalfNormal, sigma: cost_share, dims: channel}
    """.write(to: config, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("fit")
    let result = try CLIRunner.run([
      "fit", "--config", config.path, "--data", dataPath, "--out", out.path, "--chains", "1", "--tune", "30",
      "--draws", "20", "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // The shares, summed independently from the CSV.
    let rows = try String(contentsOfFile: dataPath, encoding: .utf8).split(separator: "\n").dropFirst()
    var tv = 0.0
    var radio = 0.0
    for row in rows {
      let cells = row.split(separator: ",")
      tv += Double(cells[1]) ?? .nan
      radio += Double(cells[2]) ?? .nan
    }
    let expected = ["tv": tv / (tv + radio), "radio": radio / (tv + radio)]
    for file in ["provenance.json", "config.json"] {
      let data = try Data(contentsOf: out.appendingPathComponent(file))
      var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
      if file == "provenance.json" { object = try #require(object["configuration"] as? [String: Any]) }
      let priors = try #require(object["priors"] as? [String: Any])
      let beta = try #require(priors["saturation_beta"] as? [String: Any])
      let channelParameters = try #require(beta["channel_parameters"] as? [String: Any])
      let sigma = try #require(
        channelParameters["sigma"] as? [String: Double], "\(file): \(channelParameters)")
      #expect(sigma.keys.sorted() == ["radio", "tv"])
      for (channel, share) in expected { #expect(abs((sigma[channel] ?? .nan) - share) < 1e-12, "\(file)") }
    }
    #expect(result.stderr.contains("note: saturation_beta.sigma = cost_share = {tv: "))
  }
}
