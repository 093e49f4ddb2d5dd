import Testing

@testable import CausalGraph

@Suite("Front door, instruments and implied independencies agree with brute force")
struct ImplicationsPropertyTests {
  @Test("a front-door set is found exactly when some subset satisfies the three conditions")
  func frontDoorMatchesBruteForce() throws {
    var found = 0
    for seed in UInt64(1)...150 {
      guard let query = RandomQuery(seed: seed + 50_000), query.excluded.isEmpty else { continue }
      let graph = query.dag
      let x = query.treatment
      let y = query.outcome
      let candidates = (0..<graph.nodeCount).filter {
        !graph.nodes[$0].isLatent && !x.contains($0) && !y.contains($0)
      }
      guard candidates.count <= 6 else { continue }
      let reference = BruteForce(graph)
      let withoutOutOfX = BruteForce(
        graph, removing: Set(x.flatMap { t in graph.children[t].map { [t, $0] } }))
      let directed = reference.paths(from: x, to: y).filter { path in
        zip(path.nodes, path.nodes.dropFirst()).allSatisfy { graph.children[$0.0].contains($0.1) }
      }
      func satisfies(_ m: [Int]) -> Bool {
        let mMask = bitmask(m)
        // (i) every directed path X -> Y meets M.
        if directed.contains(where: { path in !path.nodes.contains { mMask & (1 << UInt64($0)) != 0 } }) {
          return false
        }
        if !m.isEmpty && !withoutOutOfX.isDSeparated(x, m, given: 0) { return false }
        let withoutOutOfM = BruteForce(
          graph, removing: Set(m.flatMap { t in graph.children[t].map { [t, $0] } }))
        return m.isEmpty || withoutOutOfM.isDSeparated(m, y, given: bitmask(x))
      }
      var exists = false
      for subset in 0..<(1 << candidates.count) {
        let m = candidates.indices.filter { subset & (1 << $0) != 0 }.map { candidates[$0] }
        if satisfies(m) {
          exists = true
          break
        }
      }
      let set = try query.problem.frontDoorSet()
      #expect((set != nil) == exists, "seed \(seed)")
      if let set {
        #expect(satisfies(set), "seed \(seed): \(set)")
        found += 1
      }
    }
    #expect(found > 10)
  }

  @Test("instruments: every listed node is an instrument given its set; all are found when Y descends from X")
  func instrumentsMatchBruteForce() throws {
    var listed = 0
    var complete = 0
    for seed in UInt64(1)...400 {
      guard let query = RandomQuery(seed: seed + 90_000), query.excluded.isEmpty, query.treatment.count == 1,
        query.outcome.count == 1
      else { continue }
      let graph = query.dag
      let problem = try query.problem
      let downstream = Set(graph.descendants(of: query.treatment + query.outcome))
      let reference = BruteForce(graph)
      var removed = Set<[Int]>()
      for x in query.treatment {
        for child in graph.children[x] where problem.causalNodes.contains(child) {
          removed.insert([x, child])
        }
      }
      let backdoor = BruteForce(graph, removing: removed)
      let observed = (0..<graph.nodeCount).filter { !graph.nodes[$0].isLatent && !downstream.contains($0) }
      guard observed.count <= 8 else { continue }
      var expected = Set<Int>()
      for z in observed {
        let others = observed.filter { $0 != z }
        let towardsOutcome = backdoor.paths(from: [z], to: query.outcome)
        let towardsTreatment = reference.paths(from: [z], to: query.treatment)
        for subset in 0..<(1 << others.count) {
          var w: UInt64 = 0
          for bit in others.indices where subset & (1 << bit) != 0 { w |= 1 << UInt64(others[bit]) }
          if !towardsOutcome.contains(where: { backdoor.isOpen($0, given: w) })
            && towardsTreatment.contains(where: { reference.isOpen($0, given: w) })
          {
            expected.insert(z)
            break
          }
        }
      }
      let found = problem.instruments()
      // With an effect to estimate (Y a descendant of X) the search is complete; otherwise some
      // instruments need a conditioning set outside An(Y ∪ Z) and may be missed.
      if query.outcome.allSatisfy({
        downstream.contains($0) && graph.descendants(of: query.treatment).contains($0)
      }) {
        #expect(Set(found.map(\.instrument)) == expected, "seed \(seed)")
        complete += 1
      } else {
        #expect(Set(found.map(\.instrument)).isSubset(of: expected), "seed \(seed)")
      }
      for instrument in found {
        let w = bitmask(instrument.conditioningSet)
        #expect(backdoor.isDSeparated([instrument.instrument], query.outcome, given: w), "seed \(seed)")
        #expect(!reference.isDSeparated([instrument.instrument], query.treatment, given: w), "seed \(seed)")
      }
      listed += found.count
    }
    #expect(listed > 10)
    #expect(complete > 50)
  }

  @Test("implied independencies hold, and every separable non-adjacent observed pair is listed")
  func impliedIndependenciesAreSoundAndComplete() throws {
    for seed in UInt64(1)...300 {
      var generator = SeededGenerator(seed: seed + 7_000)
      let count = Int.random(in: 3...9, using: &generator)
      let graph = randomDAG(
        count: count, density: Double.random(in: 0.15...0.45, using: &generator), latentRate: 0.2,
        using: &generator)
      let reference = BruteForce(graph)
      let implied = graph.impliedConditionalIndependencies()
      for statement in implied {
        #expect(statement.given.allSatisfy { !graph.nodes[$0].isLatent })
        #expect(
          reference.isDSeparated([statement.first], [statement.second], given: bitmask(statement.given)))
      }
      let observed = (0..<count).filter { !graph.nodes[$0].isLatent }
      var separable = 0
      for (index, u) in observed.enumerated() {
        for v in observed[(index + 1)...] {
          let others = observed.filter { $0 != u && $0 != v }
          let any = (0..<(1 << others.count)).contains { subset in
            var z: UInt64 = 0
            for bit in others.indices where subset & (1 << bit) != 0 { z |= 1 << UInt64(others[bit]) }
            return reference.isDSeparated([u], [v], given: z)
          }
          if any { separable += 1 }
        }
      }
      #expect(implied.count == separable, "seed \(seed)")
    }
  }
}
