import CausalGraph
import Testing
@testable import Simulation

@Suite("do-interventions with common random numbers")
struct InterventionTests {
  @Test("simulating twice with one seed gives identical worlds; another seed differs")
  func reproducible() throws {
    let model = try linearMediationModel()
    let first = try model.simulate(days: 50)
    let second = try model.simulate(days: 50)
    #expect(first.values == second.values)
    let other = try model.reseeded(8).simulate(days: 50)
    #expect(other.series("y")! != first.series("y")!)
  }

  @Test("do(x := 0) leaves the non-descendant w bit-identical and changes x, m, y only in the window")
  func nonDescendantsUnchanged() throws {
    let model = try linearMediationModel()
    let observed = try model.simulate(days: 60)
    let world = try model.simulate(days: 60, do: [Intervention(node: "x", assignment: .constant(0), periods: 10..<20)])
    #expect(world.series("w")! == observed.series("w")!)
    for name in ["x", "m", "y"] {
      let difference = observed.difference(to: world, of: name)
      #expect(difference[0..<10].allSatisfy { $0 == 0 })
      #expect(difference[20..<60].allSatisfy { $0 == 0 })
      #expect(difference[10..<20].allSatisfy { $0 != 0 })
    }
  }

  @Test("the calibration trap's do(impressions_x2 := 0) leaves every non-descendant of impressions_x2 unchanged")
  func calibrationTrapNonDescendants() throws {
    let scenario = try Scenario.calibrationTrap(seed: 3)
    let model = scenario.units[0].model
    let observed = try model.simulate(days: scenario.days)
    let world = try model.simulate(
      days: scenario.days, do: [Intervention(node: "impressions_x2", assignment: .constant(0), periods: 880..<980)])
    let descendants: Set<String> = ["impressions_x2", "impressions_x3", "impressions_x4", "target"]
    for node in scenario.dag.nodes where !descendants.contains(node.name) {
      #expect(world.series(node.name)! == observed.series(node.name)!, "\(node.name) changed")
    }
    for name in descendants {
      #expect(world.series(name)! != observed.series(name)!, "\(name) did not change")
    }
  }

  @Test("in a linear SCM the effect of do(x := 0) on y is exactly -(b + a c) x_t under common random numbers")
  func exactLinearEffect() throws {
    let (a, b, c) = (0.5, 2.0, 3.0)
    let model = try linearMediationModel(a: a, b: b, c: c)
    let observed = try model.simulate(days: 40)
    let world = try model.simulate(days: 40, do: [Intervention(node: "x", assignment: .constant(0))])
    let x = observed.series("x")!
    let effect = observed.difference(to: world, of: "y")
    for t in 0..<40 {
      #expect(abs(effect[t] - (-(b + a * c) * x[t])) < 1e-9)
    }
  }

  @Test("holding the mediator at its observed values leaves the direct effect -b x_t; indirect share is a c / (b + a c)")
  func mediationSplit() throws {
    let (a, b, c) = (0.5, 2.0, 3.0)
    let dag = try linearMediationModel().dag
    let scenario = Scenario(
      name: "linear", summary: "", units: [ScenarioUnit(label: nil, model: try linearMediationModel(a: a, b: b, c: c))],
      unitColumn: nil, days: 30, outcome: "y", channels: ["x"],
      estimands: [
        Estimand(key: "dark", description: "", interventions: [Intervention(node: "x", assignment: .constant(0))], window: 0..<30)
      ])
    #expect(scenario.mediators(of: "x") == ["m"])
    #expect(dag.nodeCount == 4)
    let truth = try scenario.truth(seed: 7)
    let split = try #require(truth.mediation["dark"])
    #expect(abs(split.indirectShare - a * c / (b + a * c)) < 1e-12)
  }

  @Test("scale(1) and a series equal to the observed values reproduce the observational world exactly")
  func identityInterventions() throws {
    let model = try linearMediationModel()
    let observed = try model.simulate(days: 25)
    let scaled = try model.simulate(days: 25, do: [Intervention(node: "m", assignment: .scale(1))])
    let replayed = try model.simulate(
      days: 25, do: [Intervention(node: "x", assignment: .series(Array(observed.series("x")![5..<15])), periods: 5..<15)])
    #expect(scaled.values == observed.values)
    #expect(replayed.values == observed.values)
  }

  @Test("scale(f) on x multiplies x by f and, x being linear upstream of y, the y effect by (f - 1)")
  func scaleIntervention() throws {
    let (a, b, c) = (0.5, 2.0, 3.0)
    let model = try linearMediationModel(a: a, b: b, c: c)
    let observed = try model.simulate(days: 20)
    let world = try model.simulate(days: 20, do: [Intervention(node: "x", assignment: .scale(1.5), periods: 0..<20)])
    let x = observed.series("x")!
    let effect = observed.difference(to: world, of: "y")
    for t in 0..<20 {
      #expect(abs(world.series("x")![t] - 1.5 * x[t]) < 1e-12)
      #expect(abs(effect[t] - 0.5 * (b + a * c) * x[t]) < 1e-9)
    }
  }

  @Test("a go-dark window's effect carries over after the window through geometric adstock, as a brute-force convolution says")
  func adstockCarryOver() throws {
    let alpha = 0.6
    let dag = try CausalDAG(nodes: [.init(name: "x"), .init(name: "y")], edges: [(from: "x", to: "y")])
    let model = try StructuralCausalModel(
      dag: dag,
      equations: [
        "x": StructuralEquation([.exogenous(.uniform(lower: 1, upper: 2), smoothingWindow: 1, normalizeToMax: false)]),
        "y": StructuralEquation(
          [.media(parent: "x", adstock: .geometric(alpha: alpha, lMax: 5, normalize: false), saturation: .none)],
          noise: .normal(mean: 0, sd: 1)),
      ],
      seed: 11, calendar: PeriodCalendar(start: "2024-01-01"))
    let observed = try model.simulate(days: 30)
    let world = try model.simulate(days: 30, do: [Intervention(node: "x", assignment: .constant(0), periods: 10..<12)])
    let x = observed.series("x")!
    let effect = observed.difference(to: world, of: "y")
    for t in 0..<30 {
      var expected = 0.0
      for l in 0..<5 where (10..<12).contains(t - l) { expected -= pow(alpha, Double(l)) * x[t - l] }
      #expect(abs(effect[t] - expected) < 1e-9, "t = \(t)")
    }
  }

  @Test("an intervention outside the simulated periods, on an unknown node, or with a short series is refused")
  func invalidInterventions() throws {
    let model = try linearMediationModel()
    #expect(throws: SimulationError.self) {
      try model.simulate(days: 10, do: [Intervention(node: "x", assignment: .constant(0), periods: 5..<11)])
    }
    #expect(throws: SimulationError.self) {
      try model.simulate(days: 10, do: [Intervention(node: "nope", assignment: .constant(0))])
    }
    do {
      _ = try model.simulate(days: 10, do: [Intervention(node: "x", assignment: .series([1, 2]), periods: 0..<3)])
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains("has 2 values, the intervention window has 3 periods"))
    }
  }
}

import Foundation
