import CausalGraph

/// One simulated unit of a scenario: a geo (or the whole market) with its own structural model.
public struct ScenarioUnit: Sendable {
  /// The unit's label in the unit column (`geo_00`), or `nil` for a single national unit.
  public let label: String?
  /// The unit's structural causal model.
  public let model: StructuralCausalModel

  /// Creates a unit.
  public init(label: String?, model: StructuralCausalModel) {
    self.label = label
    self.model = model
  }
}

/// A causal quantity the scenario's truth reports: the summed effect on the outcome of a set of
/// interventions over a window of periods, in every unit the interventions are applied to.
public struct Estimand: Sendable {
  /// A short key (`go_dark_x2`).
  public let key: String
  /// What it measures, in words.
  public let description: String
  /// The interventions (applied in each unit listed in `units`, or all units when `nil`).
  public let interventions: [Intervention]
  /// The periods over which the outcome difference is summed.
  public let window: Range<Int>
  /// The units intervened on (`nil`: all).
  public let units: [String]?

  /// Creates an estimand.
  public init(
    key: String, description: String, interventions: [Intervention], window: Range<Int>,
    units: [String]? = nil
  ) {
    self.key = key
    self.description = description
    self.interventions = interventions
    self.window = window
    self.units = units
  }
}

/// A ready-made simulation: a DAG with structural equations per unit, the channels and outcome
/// a model should use, and the estimands whose true values the scenario reports.
public struct Scenario: Sendable {
  /// The scenario's name (`calibration-trap`).
  public let name: String
  /// What it reproduces, with the source seed.
  public let summary: String
  /// The units (one per geo; one unlabelled unit for national data).
  public let units: [ScenarioUnit]
  /// The name of the column holding the unit label (`geo`), when units are labelled.
  public let unitColumn: String?
  /// The number of periods.
  public let days: Int
  /// The outcome node.
  public let outcome: String
  /// The media channels (nodes a lift test may intervene on).
  public let channels: [String]
  /// The estimands reported in the truth.
  public let estimands: [Estimand]

  /// The scenario's causal graph (shared by all units).
  public var dag: CausalDAG { units[0].model.dag }

  /// Creates a scenario.
  public init(
    name: String, summary: String, units: [ScenarioUnit], unitColumn: String?, days: Int, outcome: String,
    channels: [String], estimands: [Estimand]
  ) {
    self.name = name
    self.summary = summary
    self.units = units
    self.unitColumn = unitColumn
    self.days = days
    self.outcome = outcome
    self.channels = channels
    self.estimands = estimands
  }

  /// The names of the library's scenarios.
  public static let names = ["calibration-trap", "unobserved-confounder", "geo-lift"]

  /// The library scenario called `name`, seeded with `seed`.
  /// - Throws: ``SimulationError`` for an unknown name.
  public static func named(_ name: String, seed: UInt64) throws(SimulationError) -> Scenario {
    switch name {
    case "calibration-trap": return try calibrationTrap(seed: seed)
    case "unobserved-confounder": return try unobservedConfounder(seed: seed)
    case "geo-lift": return try geoLift(seed: seed)
    default: throw SimulationError(.unknownScenario(name, known: names))
    }
  }

  /// The observational world of every unit.
  public func simulate() throws(SimulationError) -> [SimulatedWorld] {
    var worlds: [SimulatedWorld] = []
    for unit in units { worlds.append(try unit.model.simulate(days: days)) }
    return worlds
  }

  /// The observational table: one row per unit and period, observed nodes only (latent ones too when
  /// `includingLatent`).
  public func observedTable(includingLatent: Bool = false) throws(SimulationError) -> SimulatedTable {
    try SimulatedTable(scenario: self, worlds: simulate(), includingLatent: includingLatent)
  }

  /// The true value of an estimand: the summed outcome difference over its window and units,
  /// under common random numbers.
  public func trueEffect(of estimand: Estimand) throws(SimulationError) -> EffectTruth {
    let intervened = try unitIndices(estimand.units)
    var perPeriod = [Double](repeating: 0, count: estimand.window.count)
    for index in intervened {
      let model = units[index].model
      let observed = try model.simulate(days: days)
      let counterfactual = try model.simulate(days: days, do: estimand.interventions)
      let difference = observed.difference(to: counterfactual, of: outcome)
      for (offset, t) in estimand.window.enumerated() { perPeriod[offset] += difference[t] }
    }
    return EffectTruth(estimand: estimand, perPeriod: perPeriod)
  }

  /// The indices of the units labelled `labels` (all when `nil`).
  func unitIndices(_ labels: [String]?) throws(SimulationError) -> [Int] {
    guard let labels else { return Array(units.indices) }
    let known = units.compactMap(\.label)
    var result: [Int] = []
    for label in labels {
      guard let index = units.firstIndex(where: { $0.label == label }) else {
        throw SimulationError(.unknownGeo(label, known: known))
      }
      result.append(index)
    }
    return result
  }
}

/// The true value of an ``Estimand``.
public struct EffectTruth: Sendable {
  /// The estimand.
  public let estimand: Estimand
  /// The outcome difference per period of the window, summed over the intervened units.
  public let perPeriod: [Double]
  /// The total over the window.
  public var total: Double { perPeriod.reduce(0, +) }
}
