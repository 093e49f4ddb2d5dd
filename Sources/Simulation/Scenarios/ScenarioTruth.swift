import CausalGraph

/// An effect split into the part that flows through mediators and the rest.
public struct MediationTruth: Sendable {
  /// The mediators held at their observational values for the direct effect.
  public let mediators: [String]
  /// The total effect over the window.
  public let total: Double
  /// The effect with the mediators held at their observational values (the controlled direct effect).
  public let direct: Double
  /// `total - direct`.
  public var indirect: Double { total - direct }
  /// `indirect / total` (0 when the total is 0).
  public var indirectShare: Double { total == 0 ? 0 : indirect / total }
}

/// The true values of a scenario's estimands for one seed.
public struct ScenarioTruth: Sendable {
  /// The scenario's name.
  public let scenario: String
  /// The seed.
  public let seed: UInt64
  /// The true value of each estimand, in the scenario's order.
  public let effects: [EffectTruth]
  /// For each estimand that intervenes on a single node with mediators towards the outcome,
  /// its split into direct and indirect parts (keyed by estimand key).
  public let mediation: [String: MediationTruth]
}

extension Scenario {
  /// The nodes on directed paths from `node` to the outcome, excluding both ends, in graph order.
  public func mediators(of node: String) -> [String] {
    guard let source = dag.index(of: node), let target = dag.index(of: outcome) else { return [] }
    func reach(_ start: Int, _ next: [[Int]]) -> Set<Int> {
      var seen: Set<Int> = []
      var stack = [start]
      while let v = stack.popLast() {
        for w in next[v] where seen.insert(w).inserted { stack.append(w) }
      }
      return seen
    }
    let between = reach(source, dag.children).intersection(reach(target, dag.parents))
    return dag.nodes.indices.filter { between.contains($0) }.map { dag.name(of: $0) }
  }

  /// The direct effect of an estimand: its interventions plus `do(m := m observed)` for every
  /// mediator, over all periods, summed over the window and intervened units.
  public func directEffect(of estimand: Estimand, holding mediators: [String]) throws(SimulationError) -> Double {
    var total = 0.0
    for index in try unitIndices(estimand.units) {
      let model = units[index].model
      let observed = try model.simulate(days: days)
      let held = mediators.map { Intervention(node: $0, assignment: .series(observed.series($0)!)) }
      let world = try model.simulate(days: days, do: estimand.interventions + held)
      let difference = observed.difference(to: world, of: outcome)
      for t in estimand.window { total += difference[t] }
    }
    return total
  }

  /// The true values of all estimands, with the direct/indirect split where mediators exist.
  public func truth(seed: UInt64) throws(SimulationError) -> ScenarioTruth {
    var effects: [EffectTruth] = []
    var mediation: [String: MediationTruth] = [:]
    for estimand in estimands {
      let effect = try trueEffect(of: estimand)
      effects.append(effect)
      let nodes = Set(estimand.interventions.map(\.node))
      if nodes.count == 1, let node = nodes.first {
        let between = mediators(of: node)
        if !between.isEmpty {
          let direct = try directEffect(of: estimand, holding: between)
          mediation[estimand.key] = MediationTruth(mediators: between, total: effect.total, direct: direct)
        }
      }
    }
    return ScenarioTruth(scenario: name, seed: seed, effects: effects, mediation: mediation)
  }
}
