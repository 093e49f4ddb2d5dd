import Foundation
import Testing

@testable import CausalGraph

/// One random query: a DAG of 4-12 nodes with random latents, treatment, outcome and sometimes
/// several treatments or outcomes, an excluded node or a required node.
struct RandomQuery {
  let dag: CausalDAG
  let treatment: [Int]
  let outcome: [Int]
  let excluded: [Int]
  let required: [Int]

  init?(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    let count = Int.random(in: 4...12, using: &generator)
    let density = Double.random(in: 0.15...0.45, using: &generator)
    let dag = randomDAG(count: count, density: density, latentRate: 0.2, using: &generator)
    var observed = (0..<count).filter { !dag.nodes[$0].isLatent }.shuffled(using: &generator)
    guard observed.count >= 2 else { return nil }
    var treatment = [observed.removeLast()]
    var outcome = [observed.removeLast()]
    let shape = Int.random(in: 0..<20, using: &generator)
    if shape == 0, let extra = observed.popLast() { treatment.append(extra) }
    if shape == 1, let extra = observed.popLast() { outcome.append(extra) }
    var excluded: [Int] = []
    var required: [Int] = []
    if shape == 2 || shape == 3, let extra = observed.popLast() { excluded.append(extra) }
    if shape == 4 || shape == 5, let extra = observed.popLast() { required.append(extra) }
    self.dag = dag
    self.treatment = treatment
    self.outcome = outcome
    self.excluded = excluded
    self.required = required
  }

  var problem: AdjustmentProblem {
    get throws {
      try AdjustmentProblem(
        dag: dag, treatment: treatment, outcome: outcome, excluding: excluded, requiring: required)
    }
  }

  var bruteForce: BruteForceAdjustment {
    BruteForceAdjustment(
      dag: dag, treatment: treatment, outcome: outcome, excluded: excluded, required: required)
  }
}

@Suite("Adjustment sets agree with a brute force over every subset on random DAGs")
struct AdjustmentPropertyTests {
  /// 2,200 seeds by default; `CAUSALMMM_GRAPH_SEEDS=N` runs N (scripts/graph-property-sweep.sh).
  static let seeds: [UInt64] = {
    let requested = ProcessInfo.processInfo.environment["CAUSALMMM_GRAPH_SEEDS"].flatMap { UInt64($0) }
    return Array(1...max(2_200, requested ?? 0))
  }()
  /// Each random query with its brute-force answer, computed once and shared by the tests.
  static let cases: [(seed: UInt64, query: RandomQuery, brute: BruteForceAdjustment)] = seeds.compactMap {
    seed in
    guard let query = RandomQuery(seed: seed) else { return nil }
    return (seed, query, query.bruteForce)
  }

  @Test("enumerated minimal sets equal the brute force's minimal sets exactly, on 2,000+ DAGs")
  func enumerationMatchesBruteForce() throws {
    var checked = 0
    var nonEmptyLists = 0
    for (seed, query, brute) in Self.cases {
      checked += 1
      let sets = try query.problem.minimalAdjustmentSets()
      let expected = brute.minimalSets
      #expect(sets.count == Set(sets).count, "duplicate output, seed \(seed)")
      #expect(Set(sets) == expected, "seed \(seed): got \(sets), expected \(expected)")
      if !expected.isEmpty { nonEmptyLists += 1 }
    }
    #expect(checked >= 2_000)
    #expect(nonEmptyLists > 1_000)
  }

  @Test("one minimal set, minimum set, canonical set and O-set are valid exactly when a set exists")
  func constructionsAreValid() throws {
    for (seed, query, brute) in Self.cases {
      let problem = try query.problem
      let exists = !brute.minimalSets.isEmpty
      #expect(problem.isIdentifiableByAdjustment == exists, "seed \(seed)")
      let one = problem.minimalAdjustmentSet()
      #expect((one != nil) == exists, "seed \(seed)")
      if let one { #expect(brute.minimalSets.contains(one), "seed \(seed): \(one) not minimal") }
      let minimum = problem.minimumAdjustmentSet()
      #expect((minimum != nil) == exists, "seed \(seed)")
      if let minimum {
        #expect(brute.isValid(minimum, dag: query.dag), "seed \(seed)")
        #expect(minimum.count == brute.minimalSets.map(\.count).min(), "seed \(seed)")
      }
      if let canonical = problem.canonicalAdjustmentSet() {
        #expect(brute.isValid(canonical, dag: query.dag) && exists, "seed \(seed)")
      } else {
        #expect(!exists, "seed \(seed)")
      }
      if let optimal = problem.optimalAdjustmentSet() {
        #expect(brute.isValid(optimal, dag: query.dag), "seed \(seed): O-set \(optimal) invalid")
      }
      // With nothing latent, excluded or required, one treatment and outcomes that descend from
      // it, the O-set exists whenever any adjustment set does (Henckel, Perkovic & Maathuis 2022).
      let fullyObserved = !query.dag.nodes.contains(where: \.isLatent)
      let outcomesDescend = query.outcome.allSatisfy {
        query.dag.descendants(of: query.treatment).contains($0)
      }
      if fullyObserved && outcomesDescend && query.excluded.isEmpty && query.required.isEmpty
        && query.treatment.count == 1 && exists
      {
        #expect(problem.optimalAdjustmentSet() != nil, "seed \(seed): no O-set although a set exists")
      }
    }
  }

  @Test("check() agrees with the definition on validity and minimality of random subsets")
  func checkMatchesDefinition() throws {
    for (seed, query, brute) in Self.cases.prefix(1_000) where query.required.isEmpty {
      var generator = SeededGenerator(seed: seed &* 7919)
      let candidates = (0..<query.dag.nodeCount).filter {
        !query.treatment.contains($0) && !query.outcome.contains($0)
      }
      let z = candidates.filter { _ in Bool.random(using: &generator) }
      let verdict = try query.problem.check(z)
      let valid = brute.isValid(z, dag: query.dag) && !z.contains { query.excluded.contains($0) }
      #expect(verdict.isValid == valid, "seed \(seed): \(z)")
      if valid {
        let anyValidProperSubset = brute.minimalSets.contains { minimal in
          minimal.count < z.count && minimal.allSatisfy { z.contains($0) }
        }
        #expect(verdict.isMinimal == !anyValidProperSubset, "seed \(seed): \(z)")
        if let subset = verdict.minimalSubset { #expect(brute.minimalSets.contains(subset), "seed \(seed)") }
      }
    }
  }

  @Test("d-separation and the reported open path agree with listing every path")
  func dSeparationMatchesPathListing() throws {
    for seed in Self.seeds.prefix(1_500) {
      var generator = SeededGenerator(seed: seed ^ 0xD5EB)
      let count = Int.random(in: 3...10, using: &generator)
      let dag = randomDAG(
        count: count, density: Double.random(in: 0.15...0.5, using: &generator), latentRate: 0,
        using: &generator)
      let nodes = Array(0..<count).shuffled(using: &generator)
      let x = [nodes[0]]
      let y = [nodes[1]]
      let z = nodes.dropFirst(2).filter { _ in Int.random(in: 0..<3, using: &generator) == 0 }
      let reference = BruteForce(dag)
      let expected = reference.isDSeparated(x, y, given: bitmask(z))
      #expect(dag.isDSeparated(x, y, given: z) == expected, "seed \(seed)")
      if let path = dag.openPath(from: x, to: y, given: z) {
        // The path must be simple, follow edges, and be open by the definition.
        #expect(Set(path).count == path.count, "seed \(seed): \(path) not simple")
        #expect(path.first == x[0] && path.last == y[0])
        let matching = reference.paths(from: x, to: y).first { $0.nodes == path }
        #expect(matching.map { reference.isOpen($0, given: bitmask(z)) } == true, "seed \(seed): \(path)")
      }
    }
  }
}
