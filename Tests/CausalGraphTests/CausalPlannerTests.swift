import Testing

@testable import CausalGraph

/// Seed 001's DAG (`dags/calibration_trap.dot`), built in memory.
func calibrationTrapDAG() throws -> CausalDAG {
  let names = [
    "impressions_x2", "target", "spend_x1", "impressions_x1", "spend_x2", "spend_x3", "impressions_x3",
    "spend_x4", "impressions_x4", "events", "trend", "price",
  ]
  return try CausalDAG(
    nodes: names.map { CausalDAG.Node(name: $0) },
    edges: [
      ("spend_x1", "impressions_x1"), ("spend_x2", "impressions_x2"), ("spend_x3", "impressions_x3"),
      ("spend_x4", "impressions_x4"), ("impressions_x1", "impressions_x3"),
      ("impressions_x2", "impressions_x3"), ("impressions_x2", "impressions_x4"),
      ("events", "impressions_x2"), ("events", "impressions_x3"), ("events", "target"), ("trend", "target"),
      ("price", "target"), ("impressions_x2", "target"), ("impressions_x3", "target"),
      ("impressions_x4", "target"),
    ])
}

enum Scenario {
  static func calibrationTrapDAG() throws -> CausalDAG { try CausalGraphTests.calibrationTrapDAG() }
  /// Seed 002's DAG: z (latent) confounds x1 and y.
  static func unobservedConfounderDAG() throws -> CausalDAG {
    try CausalDAG(
      nodes: [
        .init(name: "z", isLatent: true), .init(name: "x1"), .init(name: "y"), .init(name: "x2"),
        .init(name: "seasonality"), .init(name: "trend"),
      ],
      edges: [("z", "x1"), ("z", "y"), ("x1", "y"), ("x2", "y"), ("seasonality", "y"), ("trend", "y")])
  }
}

@Suite("causal planner")
struct CausalPlannerTests {
  let channels = ["impressions_x1", "impressions_x2", "impressions_x3", "impressions_x4"]

  func naivePlan() throws -> CausalPlan {
    try CausalPlanner.plan(
      dag: Scenario.calibrationTrapDAG(), outcome: "target", channels: channels,
      controls: ["events", "trend"])
  }

  @Test(
    "calibration trap: impressions_x2's recommended adjustment set is {events}; trend and price are precision controls"
  )
  func impressionsX2() throws {
    let plan = try naivePlan().channels[1]
    #expect(plan.channel == "impressions_x2")
    #expect(plan.minimalAdjustmentSets == [["events"]])
    #expect(plan.adjustmentSet == ["events"])
    #expect(plan.controls == ["events", "price", "trend"])
    #expect(plan.rationale == "the smallest valid set; add {price, trend} for precision")
    #expect(plan.mediators == ["impressions_x3", "impressions_x4"])
  }

  @Test(
    "the naive joint model flags impressions_x3 and impressions_x4 as mediators of impressions_x2 (direct effect only)"
  )
  func naiveSpecificationFlagsMediators() throws {
    let verdict = try naivePlan().verdicts[1]
    #expect(!verdict.isValid)
    #expect(verdict.mediatorsAdjusted == ["impressions_x3", "impressions_x4"])
    #expect(
      verdict.reasons.first
        == "impressions_x3 and impressions_x4 are mediators of impressions_x2: this model estimates only its direct effect"
    )
  }

  @Test("impressions_x3 gets the valid set {events, impressions_x2}, and the naive model is valid for it")
  func impressionsX3() throws {
    let plan = try naivePlan()
    #expect(plan.channels[2].adjustmentSet == ["events", "impressions_x2"])
    #expect(plan.verdicts[2].isValid)
    // Removing impressions_x2 from the covariates reopens impressions_x3 <- impressions_x2 -> target.
    let alone = try CausalPlanner.plan(
      dag: Scenario.calibrationTrapDAG(), outcome: "target", channels: ["impressions_x3"],
      controls: ["events"])
    #expect(!alone.verdicts[0].isValid)
    #expect(alone.verdicts[0].reasons.contains { $0.contains("stays open") && $0.contains("impressions_x2") })
  }

  @Test("the causal specification x2 + events + trend is valid for impressions_x2")
  func causalSpecificationValid() throws {
    let plan = try CausalPlanner.plan(
      dag: Scenario.calibrationTrapDAG(), outcome: "target", channels: ["impressions_x2"],
      controls: ["events", "trend"])
    #expect(plan.verdicts[0].isValid)
    #expect(plan.verdicts[0].reasons[0].contains("{events}"))
  }

  @Test(
    "impressions_x1 has no direct edge: a model with its mediator impressions_x3 says the direct effect is zero"
  )
  func impressionsX1() throws {
    let plan = try naivePlan()
    #expect(plan.channels[0].adjustmentSet == [])
    #expect(plan.verdicts[0].reasons.first?.hasSuffix("which the graph says is zero") == true)
  }

  @Test("with the confounder z latent, x1 is not identifiable by adjustment; x2 is, with the empty set")
  func unobservedConfounder() throws {
    let dag = try Scenario.unobservedConfounderDAG()
    let plan = try CausalPlanner.plan(dag: dag, outcome: "y", channels: ["x1", "x2"])
    #expect(!plan.channels[0].identifiable)
    #expect(plan.channels[0].adjustmentSet == nil)
    #expect(plan.channels[1].minimalAdjustmentSets == [[]])
    #expect(!plan.verdicts[0].isValid)
  }

  @Test("an unknown channel is refused with its name")
  func unknownChannel() throws {
    #expect(throws: CausalGraphError.unknownNode("nope")) {
      try CausalPlanner.plan(dag: Scenario.calibrationTrapDAG(), outcome: "target", channels: ["nope"])
    }
  }
}
