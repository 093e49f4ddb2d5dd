import Foundation
import Testing

@Suite("causal-mmm fit, predict and report with time-varying intercept and media")
struct TimeVaryingCommandTests {
  @Test(
    "time_varying.csv holds both terms per date; predict adds their columns, equal to the file on the training dates and wider past them; report draws them"
  )
  func timeVaryingFit() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let good = CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/good")
    let data = good.appendingPathComponent("mmm_data.csv").path
    let config = dir.appendingPathComponent("tvp.yaml").path
    try """
    date_column: date
    target_column: y
    channel_columns: [tv, radio]
    adstock: {type: geometric, l_max: 4}
    saturation: {type: logistic}
    time_varying_intercept: true
    intercept_tvp_config: {m: 8, ls_mu: 10, ls_sigma: 5}
    time_varying_media: true
    media_tvp_config: {m: 6, ls_mu: 10, ls_sigma: 5}
    sampler: {chains: 2, tune: 60, draws: 40, seed: 5}

    """.write(toFile: config, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("fit").path
    let fit = try CLIRunner.run(["fit", "--config", config, "--data", data, "--out", out, "--quiet"])
    #expect(fit.status == 0, "\(fit.stderr)")
    let file = try FittedFileTests.rows(out + "/time_varying.csv")
    #expect(file.header == ["term", "geo", "date", "mean", "hdi_3%", "hdi_97%"])
    #expect(file.rows.count == 2 * 30)
    #expect(Set(file.rows.map { $0[0] }) == ["intercept", "media"])
    // The media multiplier averages 1 over the training dates (posterior mean of a mean-one curve).
    let media = file.rows.filter { $0[0] == "media" }.map { Double($0[3])! }
    #expect(abs(media.reduce(0, +) / 30 - 1) < 1e-9)

    // A forward table: the training dates, then 8 weeks past them (spend as the last week's).
    let lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").map(String.init)
    var forward = lines
    let last = lines[lines.count - 1].split(separator: ",")
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    let lastDate = try #require(formatter.date(from: String(last[0])))
    for k in 1...8 {
      let date = formatter.string(from: lastDate.addingTimeInterval(Double(7 * k) * 86_400))
      forward.append("\(date),\(last[1]),\(last[2]),0")
    }
    let table = dir.appendingPathComponent("forward.csv").path
    try (forward.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
    let predicted = try CLIRunner.run(["predict", "--fit", out, "--data", table])
    #expect(predicted.status == 0, "\(predicted.stderr)")
    let rows = predicted.stdout.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    #expect(
      Array(rows[0].suffix(6)) == [
        "intercept_mean", "intercept_hdi_3%", "intercept_hdi_97%", "media_multiplier_mean",
        "media_multiplier_hdi_3%", "media_multiplier_hdi_97%",
      ])
    #expect(rows.count == 1 + 38)
    func width(_ row: [String], _ column: Int) -> Double { Double(row[column + 1])! - Double(row[column])! }
    for (t, row) in rows.dropFirst().prefix(30).enumerated() {
      let intercept = file.rows[t]
      let multiplier = file.rows[30 + t]
      #expect(abs(Double(row[8])! - Double(intercept[3])!) <= 1e-9 * abs(Double(intercept[3])!))
      #expect(abs(Double(row[11])! - Double(multiplier[3])!) <= 1e-9)
    }
    let insideWidth = rows[1...30].map { width($0, 9) }.reduce(0, +) / 30
    let pastWidth = rows[35...38].map { width($0, 9) }.reduce(0, +) / 4
    #expect(pastWidth > insideWidth, "intercept band \(pastWidth) past the dates vs \(insideWidth)")

    let report = dir.appendingPathComponent("report.html").path
    let written = try CLIRunner.run(["report", "--fit", out, "-o", report])
    #expect(written.status == 0, "\(written.stderr)")
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.contains("Time-varying terms") && html.contains("Media multiplier over time"))
    #expect(html.contains("Baseline over time"))
  }
}
