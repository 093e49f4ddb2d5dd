import CausalGraph
import CausalMMMCore
import Foundation
import Inference
import MMM
import Testing

@testable import CausalValidation

@Suite("DAGDataCheck: verdicts, explaining edges, corrections, latent nodes")
struct DAGDataCheckTests {
  func table(_ columns: [String: [Double]], geos: [String]? = nil) throws -> DAGTestData {
    let count = columns.first?.value.count ?? 0
    let dates = (0..<count).map { CalendarDate(daysSinceEpoch: 7 * ($0 % (geos == nil ? count : count / 2))) }
    return try DAGTestData(MMMData(dates: dates, geos: geos, columns: columns))
  }

  @Test("a DAG missing the edge x -> y is rejected, and that edge is named")
  func missingEdgeIsNamed() throws {
    var rng = Xoshiro256StarStar(seed: 7)
    let (x, y, z) = linearGaussianRows(400, &rng, directEffect: 0.5)
    let data = try table(["x": x, "y": y, "z1": z[0], "z2": z[1], "z3": z[2]])
    // The true DAG without x -> y.
    let graph = try dag("z1 -> x", "z1 -> z2", "x -> z2", "z2 -> y", "z3 -> y")
    let report = DAGDataCheck.run(dag: graph, data: data, options: DAGTestOptions(method: .pcor))
    let rejected = report.rejected
    #expect(rejected.count >= 1)
    let first = try #require(rejected.first)
    #expect(Set([first.statement.node, first.statement.other]) == ["x", "y"])
    #expect(first.explainingEdges.contains(NamedEdge(from: "x", to: "y")))
    #expect(
      report.summary.hasPrefix(
        "\(rejected.count) of \(report.tests.count) implications rejected at 5% after Holm"))
    // With the edge, nothing is rejected at 5% after Holm (the data follow that DAG).
    let truth = try dag("z1 -> x", "z1 -> z2", "x -> z2", "z2 -> y", "z3 -> y", "x -> y")
    #expect(DAGDataCheck.run(dag: truth, data: data, options: DAGTestOptions(method: .pcor)).rejected.isEmpty)
  }

  @Test("a node without a data column is latent: its statements are listed as not tested")
  func missingColumnIsLatent() throws {
    var rng = Xoshiro256StarStar(seed: 8)
    let (x, y, z) = linearGaussianRows(100, &rng)
    let data = try table(["x": x, "y": y, "z1": z[0], "z2": z[1]])
    let graph = try dag("z1 -> x", "z1 -> z2", "x -> z2", "z2 -> y", "z3 -> y")
    let report = DAGDataCheck.run(dag: graph, data: data)
    #expect(report.missingColumns == ["z3"])
    // Distinct pairwise statements: {v, w} with the same conditioning set counts once.
    var distinct: [String: ConditionalIndependencePair] = [:]
    for pair in graph.basisSetIndependencies().flatMap(\.pairs) {
      distinct["\(Set([pair.node, pair.other]).sorted())|\(pair.given)"] = pair
    }
    let pairs = Array(distinct.values)
    let involving = pairs.filter { $0.variables.contains(graph.index(of: "z3")!) }
    #expect(report.skipped.count == involving.count)
    #expect(report.tests.count == pairs.count - involving.count)
    #expect(report.skipped.allSatisfy { $0.reason.contains("z3 (no data column)") })
  }

  @Test("Holm and Benjamini-Hochberg adjusted p-values by hand")
  func corrections() {
    let p = [0.01, 0.04, 0.03, 0.005]
    // Holm: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 -> running max.
    let holm = MultipleTestingCorrection.holm.adjust(p)
    for (value, expected) in zip(holm, [0.03, 0.06, 0.06, 0.02]) { #expect(abs(value - expected) < 1e-15) }
    // BH: sorted times 4/1, 4/2, 4/3, 4/4 = 0.02, 0.02, 0.04, 0.04 -> running min from the top.
    let bh = MultipleTestingCorrection.bh.adjust(p)
    for (value, expected) in zip(bh, [0.02, 0.04, 0.04, 0.02]) { #expect(abs(value - expected) < 1e-15) }
    #expect(MultipleTestingCorrection.none.adjust(p) == p)
  }

  @Test("the JSON report round-trips and keeps its keys")
  func jsonRoundTrip() throws {
    var rng = Xoshiro256StarStar(seed: 9)
    let (x, y, z) = linearGaussianRows(200, &rng, directEffect: 0.5)
    let data = try table(["x": x, "y": y, "z1": z[0], "z2": z[1], "z3": z[2]])
    let graph = try dag("z1 -> x", "z1 -> z2", "x -> z2", "z2 -> y", "z3 -> y")
    let report = DAGDataCheck.run(dag: graph, data: data, options: DAGTestOptions(method: .pcor))
    let text = try report.jsonText()
    for key in [
      "\"tests\"", "\"adjusted_p_value\"", "\"explaining_edges\"", "\"statement\"", "\"skipped\"",
      "\"p_value\"",
    ] {
      #expect(text.contains(key))
    }
    let decoded = try DAGTestReport.decoding(json: Data(text.utf8))
    #expect(decoded.rejected.map(\.statement) == report.rejected.map(\.statement))
  }

  @Test("a constant column is refused")
  func constantColumn() throws {
    #expect(throws: LocatedError.self) { _ = try table(["x": [1, 1, 1, 1], "y": [1, 2, 3, 4]]) }
  }

  @Test("a DAG node named like the geo column is conditioned on by demeaning within geo")
  func geoNodeIsConditionedWithinGeo() throws {
    var rng = Xoshiro256StarStar(seed: 10)
    let perGeo = 60
    var x: [Double] = []
    var y: [Double] = []
    var geos: [String] = []
    var dates: [CalendarDate] = []
    for (g, level) in [(0, -4.0), (1, 0.0), (2, 5.0)] {
      for t in 0..<perGeo {
        x.append(level + rng.nextNormal())
        y.append(2 * level + rng.nextNormal())
        geos.append("g\(g)")
        dates.append(CalendarDate(daysSinceEpoch: 7 * t))
      }
    }
    let data = try DAGTestData(
      MMMData(dates: dates, geos: geos, columns: ["x": x, "y": y]), geoColumn: "geo")
    let graph = try dag("geo -> x", "geo -> y")
    let report = DAGDataCheck.run(dag: graph, data: data, options: DAGTestOptions(method: .pcor))
    let test = try #require(report.tests.first)
    #expect(report.tests.count == 1)
    #expect(test.statement.given == ["geo"])
    // By hand: the correlation of x and y each demeaned within its geo.
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for g in 0..<3 {
      let rows = (g * perGeo)..<((g + 1) * perGeo)
      let mx = rows.reduce(0) { $0 + x[$1] } / Double(perGeo)
      let my = rows.reduce(0) { $0 + y[$1] } / Double(perGeo)
      for row in rows {
        sxy += (x[row] - mx) * (y[row] - my)
        sxx += (x[row] - mx) * (x[row] - mx)
        syy += (y[row] - my) * (y[row] - my)
      }
    }
    #expect(abs(test.result.estimate - sxy / (sxx * syy).squareRoot()) < 1e-12)
    #expect(report.missingColumns.isEmpty)
  }
}
