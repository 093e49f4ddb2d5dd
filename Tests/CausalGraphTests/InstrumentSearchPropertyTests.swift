import Foundation
import Testing

@testable import CausalGraph

@Suite("The shared-separator instrument search lists what one search per candidate lists")
struct InstrumentSearchPropertyTests {
  /// 2,000 graphs by default; `CAUSALMMM_GRAPH_SEEDS=N` runs N (scripts/graph-property-sweep.sh).
  static let seeds: [UInt64] = {
    let requested = ProcessInfo.processInfo.environment["CAUSALMMM_GRAPH_SEEDS"].flatMap { UInt64($0) }
    return Array(1...max(2_000, requested ?? 0))
  }()

  @Test("instruments and their conditioning sets equal the per-candidate reference on DAGs of 5-60 nodes")
  func instrumentsMatchReference() throws {
    var listed = 0
    var withSet = 0
    for seed in Self.seeds {
      var generator = SeededGenerator(seed: seed &+ 0x1A57_2B3E)
      let count = Int.random(in: 5...60, using: &generator)
      let degree = Double.random(in: 1.5...6, using: &generator)
      let graph = randomDAG(
        count: count, density: min(1, degree / Double(count - 1)), latentRate: 0.15, using: &generator)
      var nodes = Array(0..<count).filter { !graph.nodes[$0].isLatent }.shuffled(using: &generator)
      guard nodes.count >= 2 else { continue }
      var treatment = [nodes.removeLast()]
      var outcome = [nodes.removeLast()]
      var excluded: [Int] = []
      let shape = Int.random(in: 0..<8, using: &generator)
      if shape == 0, let extra = nodes.popLast() { treatment.append(extra) }
      if shape == 1, let extra = nodes.popLast() { outcome.append(extra) }
      if shape == 2, let extra = nodes.popLast() { excluded.append(extra) }
      let problem = try AdjustmentProblem(
        dag: graph, treatment: treatment, outcome: outcome, excluding: excluded)
      let found = problem.instruments()
      let expected = problem.referenceInstruments()
      #expect(found == expected, "seed \(seed)")
      listed += expected.count
      withSet += expected.filter { !$0.conditioningSet.isEmpty }.count
    }
    #expect(listed > 2_000 && withSet > 500)
  }
}
