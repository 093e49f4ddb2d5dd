import Foundation
import Testing

@testable import Inference

@Suite("CmdStan CSV and JSON output")
struct CmdStanCSVTests {
  @Test("Bracketed labels map to 1-based indices per dimension in order of first appearance")
  func columnNameMapping() {
    let names = [
      "intercept", "saturation_lam[geo_00,channel_1]", "saturation_lam[geo_00,channel_2]",
      "saturation_lam[geo_01,channel_1]", "saturation_lam[geo_01,channel_2]", "y_sigma",
      "beta[tv]", "beta[radio]", "beta[search]",
    ]
    #expect(
      CmdStanCSV.columnNames(for: names) == [
        "intercept", "saturation_lam.1.1", "saturation_lam.1.2", "saturation_lam.2.1", "saturation_lam.2.2",
        "y_sigma", "beta.1", "beta.2", "beta.3",
      ])
  }

  @Test("CSV has CmdStan's columns, one row per draw, and the values round-trip")
  func csvRoundTrip() throws {
    var configuration = SamplerConfiguration()
    configuration.chains = 2
    configuration.tune = 50
    configuration.draws = 40
    let posterior = try sampleNUTS(EightSchoolsNonCentredDensity(), configuration: configuration)
    let text = CmdStanCSV.write(posterior, chainIndex: 1, comments: ["model": "eight_schools"])
    let lines = text.split(separator: "\n").map(String.init)
    let dataLines = lines.filter { !$0.hasPrefix("#") }
    let header = dataLines[0].split(separator: ",").map(String.init)
    #expect(Array(header.prefix(7)) == CmdStanCSV.statisticColumns)
    #expect(header[7] == "mu" && header[9] == "theta_tilde.1" && header.last == "theta.8")
    #expect(dataLines.count == 1 + 40)
    let chain = posterior.chains[1]
    for (row, line) in dataLines.dropFirst().enumerated() {
      let fields = line.split(separator: ",").map { Double($0)! }
      #expect(fields.count == header.count)
      #expect(fields[0] == chain.stats[row].lp)
      #expect(fields[4] == Double(chain.stats[row].leapfrogSteps))
      #expect(Array(fields.dropFirst(7)) == chain.values[row])
    }
    #expect(lines.contains("# id = 2"))
    #expect(lines.contains("# model = eight_schools"))
    #expect(lines.contains("#   label theta.3 : theta[school_3]"))
    #expect(lines.contains("# Step size = \(chain.stepSize)"))
  }

  @Test("JSON summary parses and carries every parameter with ArviZ-style keys")
  func jsonSummary() throws {
    var configuration = SamplerConfiguration()
    configuration.chains = 2
    configuration.tune = 50
    configuration.draws = 40
    let posterior = try sampleNUTS(IndependentNormalDensity(dimension: 3), configuration: configuration)
    let json = posterior.summaryJSON()
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    let parameters = object["parameters"] as! [String: [String: Any]]
    #expect(Set(parameters.keys) == ["x[1]", "x[2]", "x[3]"])
    let row = parameters["x[2]"]!
    let expected = posterior.summary()[1]
    // Foundation's JSON parser may round the last digit, so compare to 1e-12.
    #expect(abs((row["hdi_3%"] as! Double) - expected.hdiLower) < 1e-12)
    #expect(abs((row["hdi_97%"] as! Double) - expected.hdiUpper) < 1e-12)
    #expect(abs((row["ess_bulk"] as! Double) - expected.essBulk) < 1e-9)
    let sampler = object["sampler"] as! [String: Any]
    #expect(sampler["chains"] as? Int == 2 && sampler["draws"] as? Int == 40)
  }
}
