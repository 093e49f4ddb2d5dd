import CausalGraph

// Seed 002 (after Zhang et al. 2024): weekly data, 131 rows; a latent demand z drives both x1's
// spend and sales y; x2 is unconfounded; yearly seasonality and a non-linear trend act on y:
//   y = amplitude * (trend + seasonality + z + x1_effect + x2_effect + epsilon)
// The seed does not print its coefficients; the values below reproduce its structure (z raises
// both x1 and y, so a model without z overstates x1's ROAS) at the seed's scale (amplitude 100).

extension Scenario {
  /// Seed 002's unobserved confounder: 131 weekly rows, latent z -> x1 and z -> y.
  public static func unobservedConfounder(seed: UInt64, days: Int = 131) throws(SimulationError) -> Scenario {
    let dag = try makeDAG(
      nodes: ["z", "x1", "y", "x2", "seasonality", "trend"],
      edges: [("z", "x1"), ("z", "y"), ("x1", "y"), ("x2", "y"), ("seasonality", "y"), ("trend", "y")],
      roles: ["x1": .treatment, "y": .outcome], latent: ["z"])
    let amplitude = 100.0
    let adstock = Adstock.geometric(alpha: 0.5, lMax: 4, normalize: true)
    let equations: [String: StructuralEquation] = [
      "z": StructuralEquation([.exogenous(.normal(mean: 0, sd: 0.6), smoothingWindow: 6, normalizeToMax: false)]),
      "x1": StructuralEquation(
        [.exogenous(.uniform(lower: 0.2, upper: 1.0), smoothingWindow: 1, normalizeToMax: false),
         .linear(parent: "z", coefficient: 1.0)],
        noise: .normal(mean: 0, sd: 0.05), lowerBound: 0),
      "x2": StructuralEquation(
        [.exogenous(.uniform(lower: 0.0, upper: 1.0), smoothingWindow: 1, normalizeToMax: false)],
        lowerBound: 0),
      "seasonality": StructuralEquation(
        [.fourier(periodDays: 365.25, sinCoefficients: [0.5], cosCoefficients: [0.5])]),
      "trend": StructuralEquation([.trend(scale: 1, offset: 1, span: 1, exponent: 0.5)]),
      "y": StructuralEquation(
        [
          .linear(parent: "trend", coefficient: amplitude),
          .linear(parent: "seasonality", coefficient: amplitude * 0.2),
          .linear(parent: "z", coefficient: amplitude * 0.4),
          .media(parent: "x1", adstock: adstock, saturation: .logistic(lam: 3, beta: amplitude * 0.8)),
          .media(parent: "x2", adstock: adstock, saturation: .logistic(lam: 2, beta: amplitude * 1.0)),
        ],
        noise: .normal(mean: 0, sd: amplitude * 0.08)),
    ]
    let model = try StructuralCausalModel(
      dag: dag, equations: equations, seed: seed, calendar: PeriodCalendar(start: "2022-01-03", periodDays: 7))
    let all = 0..<days
    return Scenario(
      name: "unobserved-confounder",
      summary: "Seed 002 (unobserved confounders and lift tests): 131 weeks, latent demand z drives x1 and y.",
      units: [ScenarioUnit(label: nil, model: model)], unitColumn: nil, days: days, outcome: "y",
      channels: ["x1", "x2"],
      estimands: [
        Estimand(
          key: "go_dark_x1", description: "do(x1 := 0) in every week: summed effect on y",
          interventions: [Intervention(node: "x1", assignment: .constant(0))], window: all),
        Estimand(
          key: "go_dark_x2", description: "do(x2 := 0) in every week: summed effect on y",
          interventions: [Intervention(node: "x2", assignment: .constant(0))], window: all),
      ])
  }
}
