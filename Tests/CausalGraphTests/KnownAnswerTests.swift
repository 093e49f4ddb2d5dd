import Testing

@testable import CausalGraph

/// Sets of names for a query, as the CLI prints them.
private func minimalSets(_ dag: CausalDAG, _ x: String, _ y: String, latent: [String] = []) throws
  -> [[String]]
{
  let problem = try AdjustmentProblem(dag: dag, treatment: [x], outcome: [y])
  return dag.sortedNameSets(problem.minimalAdjustmentSets())
}

private func names(_ nodes: [Int]?, _ dag: CausalDAG) -> [String]? { nodes.map { dag.sortedNames(of: $0) } }

@Suite("Known answers on textbook graphs and the calibration-trap DAG")
struct KnownAnswerTests {
  @Test("confounder triangle: the confounder is the only minimal and the optimal set")
  func confounderTriangle() throws {
    let graph = try dag("c->x", "c->y", "x->y")
    #expect(try minimalSets(graph, "x", "y") == [["c"]])
    let problem = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"])
    #expect(names(problem.optimalAdjustmentSet(), graph) == ["c"])
    #expect(names(problem.roles().confounders, graph) == ["c"])
    #expect(!problem.check([]).isValid)
    #expect(problem.satisfiesBackdoorCriterion(try graph.indices(of: ["c"])))
  }

  @Test("M-bias: the empty set suffices and conditioning on the collider opens a path")
  func mBias() throws {
    let graph = try dag("a->x", "a->m", "b->m", "b->y", "x->y")
    #expect(try minimalSets(graph, "x", "y") == [[]])
    let problem = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"])
    let verdict = problem.check(try graph.indices(of: ["m"]))
    #expect(!verdict.isValid)
    #expect(
      verdict.problems.contains { problem in
        if case .openNonCausalPath(let path) = problem {
          return graph.describe(path: path) == "x <- a -> m <- b -> y"
        }
        return false
      })
    #expect(problem.check(try graph.indices(of: ["m", "a"])).isValid)
    #expect(names(problem.roles().colliders, graph) == ["m"])
  }

  @Test("butterfly: the bow-tie node must be adjusted together with one of its parents")
  func butterfly() throws {
    let graph = try dag("a->x", "a->m", "b->m", "b->y", "m->x", "m->y", "x->y")
    #expect(try minimalSets(graph, "x", "y") == [["a", "m"], ["b", "m"]])
    let problem = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"])
    #expect(names(problem.optimalAdjustmentSet(), graph) == ["b", "m"])
    #expect(problem.minimumAdjustmentSet()?.count == 2)
  }

  @Test("mediator chain: nothing to adjust, and adjusting for the mediator is explained as such")
  func mediatorChain() throws {
    let graph = try dag("x->m", "m->y", "m->d")
    #expect(try minimalSets(graph, "x", "y") == [[]])
    let problem = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"])
    let verdict = problem.check(try graph.indices(of: ["m", "d"]))
    #expect(verdict.problems.count == 2)
    #expect(verdict.explanations(in: graph)[0].contains("x -> m -> y"))
    #expect(verdict.explanations(in: graph)[1].contains("m -> d"))
    let roles = problem.roles()
    #expect(names(roles.mediators, graph) == ["m"])
    #expect(names(roles.descendantsOfTreatment, graph) == ["d"])
  }

  @Test("front door with a latent confounder: not identifiable by adjustment, front door holds")
  func frontDoor() throws {
    let graph = try dag("u->x", "u->y", "x->m", "m->y", latent: ["u"])
    let problem = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"])
    #expect(problem.minimalAdjustmentSets().isEmpty)
    #expect(!problem.isIdentifiableByAdjustment)
    #expect(problem.optimalAdjustmentSet() == nil)
    #expect(names(problem.frontDoorSet(), graph) == ["m"])
    #expect(names(problem.roles().latentConfounders, graph) == ["u"])
    // A direct edge x -> y bypasses the mediator: no front-door set.
    let bypass = try dag("u->x", "u->y", "x->m", "m->y", "x->y", latent: ["u"])
    #expect(try AdjustmentProblem(dag: bypass, treatment: ["x"], outcome: ["y"]).frontDoorSet() == nil)
  }

  static func calibrationTrap() throws -> CausalDAG {
    var edges: [String] = (1...4).map { "spend_x\($0)->impressions_x\($0)" }
    edges += [
      "impressions_x1->impressions_x3", "impressions_x2->impressions_x3", "impressions_x2->impressions_x4",
      "events->impressions_x2", "events->impressions_x3", "events->target", "trend->target", "price->target",
      "impressions_x2->target", "impressions_x3->target", "impressions_x4->target",
    ]
    var pairs: [(from: String, to: String)] = []
    var names: [String] = []
    for edge in edges {
      let parts = edge.split(separator: "->").map(String.init)
      for part in parts where !names.contains(part) { names.append(part) }
      pairs.append((parts[0], parts[1]))
    }
    return try CausalDAG(nodes: names.map { CausalDAG.Node(name: $0) }, edges: pairs)
  }

  @Test(
    "calibration trap (seed 001): {events} is the only minimal set; {events, spend_x1} is valid, not minimal")
  func calibrationTrapSets() throws {
    let graph = try Self.calibrationTrap()
    #expect(try minimalSets(graph, "impressions_x2", "target") == [["events"]])
    let problem = try AdjustmentProblem(dag: graph, treatment: ["impressions_x2"], outcome: ["target"])
    let seedSet = problem.check(try graph.indices(of: ["events", "spend_x1"]))
    #expect(seedSet.isValid && !seedSet.isMinimal)
    #expect(names(seedSet.unnecessary, graph) == ["spend_x1"])
    // O = Pa({impressions_x3, impressions_x4, target}) minus Forb = {x2, x3, x4, target}.
    #expect(
      names(problem.optimalAdjustmentSet(), graph)
        == ["events", "impressions_x1", "price", "spend_x3", "spend_x4", "trend"])
    let roles = problem.roles()
    #expect(names(roles.confounders, graph) == ["events"])
    #expect(names(roles.mediators, graph) == ["impressions_x3", "impressions_x4"])
    #expect(names(roles.precision, graph) == ["price", "trend"])
    #expect(roles.instruments.map { graph.name(of: $0.instrument) } == ["spend_x2"])
    #expect(roles.instruments.first?.conditioningSet == [])
  }

  @Test("query validation: unknown node, treatment equal to outcome, latent treatment")
  func validation() throws {
    let graph = try dag("u->x", "x->y", latent: ["u"])
    #expect(throws: CausalGraphError.unknownNode("z")) {
      try AdjustmentProblem(dag: graph, treatment: ["z"], outcome: ["y"])
    }
    #expect(throws: CausalGraphError.treatmentIsOutcome("x")) {
      try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["x"])
    }
    #expect(throws: CausalGraphError.latentNode("u", role: "treatment")) {
      try AdjustmentProblem(dag: graph, treatment: ["u"], outcome: ["y"])
    }
  }

  @Test("forbid and require restrict the sets; max limits the count")
  func restrictions() throws {
    let graph = try dag("a->x", "a->c", "c->y", "x->y", "b->c")
    // minimal sets without restrictions: {a}, {c}
    #expect(try minimalSets(graph, "x", "y") == [["a"], ["c"]])
    let noC = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"], excluding: ["c"])
    #expect(graph.sortedNameSets(noC.minimalAdjustmentSets()) == [["a"]])
    let withB = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"], requiring: ["b"])
    #expect(graph.sortedNameSets(withB.minimalAdjustmentSets()) == [["a", "b"], ["b", "c"]])
    let all = try AdjustmentProblem(dag: graph, treatment: ["x"], outcome: ["y"])
    #expect(all.minimalAdjustmentSets(limit: 1).count == 1)
  }
}
