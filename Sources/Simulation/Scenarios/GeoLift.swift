import CausalGraph

// Seed 000 (geo-level lift tests): 8 geos x 104 weeks from 2022-01-03; a shared budget plan
// (Uniform(0.2, 1) normalised to max 1) drives both channels, so they correlate at ~0.99:
//   channel_1 = clip(geo_scale * plan + N(0, 0.02), 0.1, 1),
//   channel_2 = clip(0.95 * geo_scale * plan + N(0, 0.02), 0.1, 1), geo_scale = 0.7 + 0.3 g / 7;
//   y = 0.3 + 0.05 g + sum_c beta_c * logistic(adstock(channel_c); lam_c) + N(0, 0.15)
// with geometric adstock (alpha 0.5, l_max 8, normalised), lam = [8, 6], beta = [0.6, 0.5].

extension Scenario {
  /// Seed 000's geo lift setting: 8 geos x 104 weeks, two channels correlated ~0.99.
  public static func geoLift(seed: UInt64, days: Int = 104, geoCount: Int = 8) throws(SimulationError) -> Scenario {
    let dag = try makeDAG(
      nodes: ["channel_1", "y", "budget_plan", "channel_2", "geo"],
      edges: [
        ("budget_plan", "channel_1"), ("budget_plan", "channel_2"), ("geo", "y"), ("geo", "channel_1"),
        ("geo", "channel_2"), ("channel_1", "y"), ("channel_2", "y"),
      ],
      roles: ["channel_1": .treatment, "y": .outcome])
    let adstock = Adstock.geometric(alpha: 0.5, lMax: 8, normalize: true)
    var units: [ScenarioUnit] = []
    for g in 0..<geoCount {
      let geoScale = 0.7 + 0.3 * Double(g) / Double(max(geoCount - 1, 1))
      let equations: [String: StructuralEquation] = [
        "geo": StructuralEquation([.constant(Double(g))]),
        "budget_plan": StructuralEquation(
          [.exogenous(.uniform(lower: 0.2, upper: 1.0), smoothingWindow: 1, normalizeToMax: true)]),
        // geo_scale, a function of the geo, enters as the coefficient on the plan.
        "channel_1": StructuralEquation(
          [.linear(parent: "budget_plan", coefficient: geoScale)],
          noise: .normal(mean: 0, sd: 0.02), lowerBound: 0.1, upperBound: 1.0),
        "channel_2": StructuralEquation(
          [.linear(parent: "budget_plan", coefficient: 0.95 * geoScale)],
          noise: .normal(mean: 0, sd: 0.02), lowerBound: 0.1, upperBound: 1.0),
        "y": StructuralEquation(
          [
            .constant(0.3), .linear(parent: "geo", coefficient: 0.05),
            .media(parent: "channel_1", adstock: adstock, saturation: .logistic(lam: 8, beta: 0.6)),
            .media(parent: "channel_2", adstock: adstock, saturation: .logistic(lam: 6, beta: 0.5)),
          ],
          noise: .normal(mean: 0, sd: 0.15)),
      ]
      let label = "geo_" + (g < 10 ? "0" : "") + String(g)
      let model = try StructuralCausalModel(
        dag: dag, equations: equations, seed: seed &+ UInt64(g) &* 0x9E37_79B9,
        calendar: PeriodCalendar(start: "2022-01-03", periodDays: 7))
      units.append(ScenarioUnit(label: label, model: model))
    }
    let treated = units.prefix(geoCount / 2).compactMap(\.label)
    let window = max(0, days - 12)..<days
    return Scenario(
      name: "geo-lift",
      summary: "Seed 000 (geo lift tests): \(geoCount) geos x \(days) weeks, two channels correlated ~0.99.",
      units: units, unitColumn: "geo", days: days, outcome: "y", channels: ["channel_1", "channel_2"],
      estimands: [
        Estimand(
          key: "scale_up_channel_1",
          description: "do(channel_1 := 1.2 channel_1) in the last 12 weeks in \(treated.joined(separator: ", ")): summed effect on y",
          interventions: [Intervention(node: "channel_1", assignment: .scale(1.2), periods: window)],
          window: window, units: treated),
        Estimand(
          key: "go_dark_channel_2", description: "do(channel_2 := 0) in every week and geo: summed effect on y",
          interventions: [Intervention(node: "channel_2", assignment: .constant(0))], window: 0..<days),
      ])
  }
}
