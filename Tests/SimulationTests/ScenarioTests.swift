import CausalGraph
import CausalMMMCore
import Foundation
import Testing

@testable import Simulation

@Suite("scenario library")
struct ScenarioTests {
  @Test(
    "calibration trap: 20-40% of do(impressions_x2 := 0)'s effect flows through impressions_x3 and impressions_x4",
    arguments: [1, 2, 3] as [UInt64])
  func indirectShare(seed: UInt64) throws {
    let scenario = try Scenario.calibrationTrap(seed: seed)
    let truth = try scenario.truth(seed: seed)
    let split = try #require(truth.mediation["go_dark_x2"])
    #expect(split.mediators == ["impressions_x3", "impressions_x4"])
    #expect(split.total < 0)
    #expect(split.indirectShare > 0.2 && split.indirectShare < 0.4, "indirect share \(split.indirectShare)")
  }

  @Test(
    "calibration trap: ~1,050 daily rows from 2020-01-01 with the DOT file's columns, impressions spikier than spend"
  )
  func calibrationTrapTable() throws {
    let scenario = try Scenario.calibrationTrap(seed: 1)
    let table = try scenario.observedTable()
    #expect(table.rows.count == 1050)
    #expect(table.rows.first?.date == "2020-01-01")
    #expect(table.rows.last?.date == "2022-11-15")  // 2020-01-01 + 1049 days
    let x2 = table.rows.map { $0.values[table.columns.firstIndex(of: "impressions_x2")!] }
    let spend = table.rows.map { $0.values[table.columns.firstIndex(of: "spend_x2")!] }
    let cv = { (v: [Double]) in variance(v).squareRoot() / mean(v) }
    #expect(cv(x2) > 3 * cv(spend))
    #expect(x2.allSatisfy { $0 >= 0 })
  }

  @Test("the calibration-trap scenario's graph has exactly the edges of dags/calibration_trap.dot")
  func graphMatchesDOTFile() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let text = try String(
      contentsOf: root.appendingPathComponent("dags/calibration_trap.dot"), encoding: .utf8)
    var fileEdges: Set<String> = []
    var linearEdges: Set<String> = []
    for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
      let statement = line.replacingOccurrences(of: ";", with: "")
      let parts = statement.components(separatedBy: "[")[0].components(separatedBy: "->")
      if parts.count == 2 {
        let edge =
          parts[0].trimmingCharacters(in: .whitespaces) + "->" + parts[1].trimmingCharacters(in: .whitespaces)
        fileEdges.insert(edge)
        if statement.contains("transform=linear") { linearEdges.insert(edge) }
      }
    }
    let dag = try Scenario.calibrationTrapDAG()
    let edges = Set(dag.edges.map { dag.name(of: $0.from) + "->" + dag.name(of: $0.to) })
    #expect(fileEdges.count == 15)
    #expect(edges == fileEdges)
    // The structural model's per-edge transforms match too.
    let attributed = Set(
      dag.edgeAttributes.filter { $0.value["transform"] == "linear" }.keys.map {
        dag.name(of: $0.from) + "->" + dag.name(of: $0.to)
      })
    #expect(linearEdges.count == 3)
    #expect(attributed == linearEdges)
  }

  @Test("geo lift: 8 geos x 104 weeks, channels correlated above 0.97, intercept rising 0.05 per geo")
  func geoLift() throws {
    let scenario = try Scenario.geoLift(seed: 4)
    let table = try scenario.observedTable()
    #expect(table.rows.count == 8 * 104)
    #expect(Set(table.rows.compactMap(\.unit)).count == 8)
    #expect(!table.columns.contains("geo"))
    let c1 = table.rows.map { $0.values[table.columns.firstIndex(of: "channel_1")!] }
    let c2 = table.rows.map { $0.values[table.columns.firstIndex(of: "channel_2")!] }
    let (m1, m2) = (mean(c1), mean(c2))
    let covariance = zip(c1, c2).reduce(0) { $0 + ($1.0 - m1) * ($1.1 - m2) } / Double(c1.count - 1)
    #expect(covariance / (variance(c1) * variance(c2)).squareRoot() > 0.97)
    #expect(c1.allSatisfy { $0 >= 0.1 && $0 <= 1 })
    // With both channels dark, y's mean is the geo intercept 0.3 + 0.05 g (noise mean 0, sd 0.15 / sqrt(104)).
    let last = scenario.units[7].model
    let dark = try last.simulate(
      days: 104,
      do: [
        Intervention(node: "channel_1", assignment: .constant(0)),
        Intervention(node: "channel_2", assignment: .constant(0)),
      ])
    #expect(abs(mean(dark.series("y")!) - 0.65) < 4 * 0.15 / 104.0.squareRoot())
  }

  @Test("unobserved confounder: the latent z is not in the data; x1 correlates with z")
  func unobservedConfounder() throws {
    let scenario = try Scenario.unobservedConfounder(seed: 2)
    let table = try scenario.observedTable()
    #expect(table.rows.count == 131)
    #expect(table.columns == ["x1", "y", "x2", "seasonality", "trend"])
    #expect(table.rows[1].date == "2022-01-10")
    let world = try scenario.units[0].model.simulate(days: 131)
    let z = world.series("z")!, x1 = world.series("x1")!
    let (mz, mx) = (mean(z), mean(x1))
    let covariance = zip(z, x1).reduce(0) { $0 + ($1.0 - mz) * ($1.1 - mx) } / 130
    #expect(covariance / (variance(z) * variance(x1)).squareRoot() > 0.5)
  }

  @Test("an unknown scenario name lists the known ones")
  func unknownScenario() {
    do {
      _ = try Scenario.named("nope", seed: 1)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "unknown scenario 'nope'; known scenarios: calibration-trap, unobserved-confounder, geo-lift")
    }
  }

  @Test("CSV: header date,geo,...; six decimals at most; small values not in exponent form")
  func csvFormatting() throws {
    let table = try Scenario.geoLift(seed: 1, days: 3, geoCount: 2).observedTable()
    let lines = table.csv().split(separator: "\n")
    #expect(lines[0] == "date,geo,channel_1,y,budget_plan,channel_2")
    #expect(lines.count == 7)
    #expect(lines[1].hasPrefix("2022-01-03,geo_00,"))
    #expect(formatDecimal(0.000_012_34) == "0.000012")
    #expect(formatDecimal(-2.5) == "-2.5")
    #expect(formatDecimal(3) == "3")
  }
}
