import Foundation
import Testing

@Suite("causal-mmm fit writes fitted.csv")
struct FittedFileTests {
  static func rows(_ path: String) throws -> (header: [String], rows: [[String]]) {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    return (lines[0], Array(lines.dropFirst()))
  }

  @Test(
    "fitted.csv: observed is the data's target, mean and intervals match predict on the reloaded fit, baseline = mean - contributions"
  )
  func fittedFile() throws {
    let dir = try CLIRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = try FitCommandTests.writeData(to: dir)
    let config = try FitCommandTests.writeConfig(to: dir)
    let out = dir.appendingPathComponent("fit").path
    let fit = try CLIRunner.run([
      "fit", "--config", config, "--data", data, "--out", out, "--chains", "2", "--tune", "100", "--draws",
      "60",
      "--seed", "5", "--quiet",
    ])
    #expect(fit.status == 0, "\(fit.stderr)")
    let fitted = try Self.rows(out + "/fitted.csv")
    #expect(
      fitted.header == [
        "date", "geo", "observed", "mean", "hdi_3%", "hdi_97%", "pp_3%", "pp_97%", "baseline_mean",
      ])
    let input = try Self.rows(data)
    #expect(fitted.rows.count == input.rows.count)
    // The observed column is the data's y, row by row.
    for (row, source) in zip(fitted.rows, input.rows) {
      #expect(row[0] == source[0] && Double(row[2]) == Double(source[2]))
    }
    // predict on the reloaded fit (seed 1, as fit uses) gives the same mean and intervals.
    let predict = try CLIRunner.run(["predict", "--fit", out, "--data", data])
    #expect(predict.status == 0, "\(predict.stderr)")
    let predicted = predict.stdout.split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    #expect(predicted.count == fitted.rows.count)
    for (row, p) in zip(fitted.rows, predicted) {
      let pairs = [(row[3], p[2]), (row[4], p[3]), (row[5], p[4]), (row[6], p[6]), (row[7], p[7])]
      for (a, b) in pairs {
        #expect(abs(Double(a)! - Double(b)!) <= 1e-9 * max(1, abs(Double(b)!)), "\(row[0]): \(a) vs \(b)")
      }
    }
    // Baseline + the channel's contribution = the fitted mean.
    let contributions = try Self.rows(out + "/contributions.csv").rows
    #expect(contributions.count == fitted.rows.count)
    for (row, c) in zip(fitted.rows, contributions) {
      #expect(row[0] == c[0])
      let sum = Double(row[8])! + Double(c[3])!
      #expect(abs(sum - Double(row[3])!) <= 1e-9 * max(1, abs(sum)))
    }
  }
}
