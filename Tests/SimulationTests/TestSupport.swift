import CausalGraph
@testable import Simulation

/// A small SCM: x (exogenous normal) -> m -> y and x -> y, all linear, with noise on m and y.
func linearMediationModel(seed: UInt64 = 7, a: Double = 0.5, b: Double = 2, c: Double = 3) throws -> StructuralCausalModel {
  let dag = try CausalDAG(
    nodes: ["x", "m", "y", "w"].map { CausalDAG.Node(name: $0) },
    edges: [(from: "x", to: "m"), (from: "x", to: "y"), (from: "m", to: "y"), (from: "w", to: "x")])
  return try StructuralCausalModel(
    dag: dag,
    equations: [
      "w": StructuralEquation([.exogenous(.normal(mean: 1, sd: 1), smoothingWindow: 1, normalizeToMax: false)]),
      "x": StructuralEquation([.linear(parent: "w", coefficient: 1), .constant(5)], noise: .normal(mean: 0, sd: 1)),
      "m": StructuralEquation([.linear(parent: "x", coefficient: a)], noise: .normal(mean: 0, sd: 0.5)),
      "y": StructuralEquation(
        [.linear(parent: "x", coefficient: b), .linear(parent: "m", coefficient: c)], noise: .normal(mean: 0, sd: 2)),
    ],
    seed: seed, calendar: PeriodCalendar(start: "2024-01-01"))
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

func variance(_ values: [Double]) -> Double {
  let m = mean(values)
  return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
}
