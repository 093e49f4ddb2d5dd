import CausalGraph

// Seed 001's data-generating process, in the data's units (the post multiplies the target and
// the impressions by 150 before modelling; here every coefficient is already scaled, so the
// simulated columns are the modelled ones):
//   spend_xk      ~ 14-day moving average of Gamma(mu, sigma) draws (edges set to the mean)
//   impressions_xk = 150 * Beta_t * spend_xk  (+ spill-overs: x3 <- 0.12 x2 + 0.005 x1, x4 <- 0.01 x2;
//                    + events on x2 and x3), Beta_t drawn each day (spiky, U-shaped)
//   target        = sum_{k=2,3,4} MM_k(geometric adstock(impressions_xk; alpha 0.2, l_max 24))
//                   + events + price response + trend + Normal(0, 0.75)
// with the post's Michaelis-Menten parameters (alpha, lam) = (0.2, 0.5), (0.7, 0.7), (0.1, 0.2) times 150.
// The events node is the events' contribution to the target (Christmas 0.094 and 9 July 0.018, times
// 150); the post's unweighted event signal on x2 (0.015) and x3 (0.001) is expressed per unit of it
// at the Christmas peak (0.015 / 0.094 and 0.001 / 0.094).

extension Scenario {
  /// Seed 001's calibration trap: 1,050 daily rows; impressions_x3 and impressions_x4 mediate part
  /// of impressions_x2's effect; events confound impressions_x2 and the target.
  public static func calibrationTrap(seed: UInt64, days: Int = 1050) throws(SimulationError) -> Scenario {
    let dag = try calibrationTrapDAG()
    let scale = 150.0
    let adstock = Adstock.geometric(alpha: 0.2, lMax: 24, normalize: false)
    let spend = { (mean: Double, sd: Double) in
      StructuralEquation([.exogenous(.gamma(mean: mean, sd: sd), smoothingWindow: 14, normalizeToMax: false)])
    }
    let equations: [String: StructuralEquation] = [
      "spend_x1": spend(0.8, 0.3),
      "spend_x2": spend(0.6, 0.4),
      "spend_x3": spend(0.2, 0.2),
      "spend_x4": spend(0.1, 0.03),
      "events": StructuralEquation([
        .events([
          EventBump(monthDay: "12-24", sdDays: 25, coefficient: 0.094 * scale),
          EventBump(monthDay: "07-09", sdDays: 15, coefficient: 0.018 * scale),
        ])
      ]),
      "trend": StructuralEquation([.trend(scale: scale, offset: 0.1, span: 0.5, exponent: 0.25)]),
      "price": StructuralEquation([
        .exogenous(.gamma(mean: 0.05, sd: 0.02), smoothingWindow: 14, normalizeToMax: false)
      ]),
      "impressions_x1": StructuralEquation([
        .randomCoefficient(parent: "spend_x1", coefficient: .beta(alpha: 0.05, beta: 0.1), scale: scale)
      ]),
      "impressions_x2": StructuralEquation([
        .randomCoefficient(parent: "spend_x2", coefficient: .beta(alpha: 0.015, beta: 0.05), scale: scale),
        .linear(parent: "events", coefficient: 0.015 / 0.094),
      ]),
      "impressions_x3": StructuralEquation([
        .randomCoefficient(parent: "spend_x3", coefficient: .beta(alpha: 0.1, beta: 0.1), scale: scale),
        .linear(parent: "events", coefficient: 0.001 / 0.094),
        .linear(parent: "impressions_x2", coefficient: 0.12),
        .linear(parent: "impressions_x1", coefficient: 0.005),
      ]),
      "impressions_x4": StructuralEquation([
        .randomCoefficient(parent: "spend_x4", coefficient: .beta(alpha: 0.125, beta: 0.05), scale: scale),
        .linear(parent: "impressions_x2", coefficient: 0.01),
      ]),
      "target": StructuralEquation(
        [
          .media(
            parent: "impressions_x2", adstock: adstock,
            saturation: .michaelisMenten(alpha: 0.2 * scale, lam: 0.5 * scale)),
          .media(
            parent: "impressions_x3", adstock: adstock,
            saturation: .michaelisMenten(alpha: 0.7 * scale, lam: 0.7 * scale)),
          .media(
            parent: "impressions_x4", adstock: adstock,
            saturation: .michaelisMenten(alpha: 0.1 * scale, lam: 0.2 * scale)),
          .linear(parent: "events", coefficient: 1),
          .priceResponse(parent: "price", alpha: 0.08 * scale, lam: 0.03),
          .linear(parent: "trend", coefficient: 1),
        ],
        noise: .normal(mean: 0, sd: 0.005 * scale)),
    ]
    let model = try StructuralCausalModel(
      dag: dag, equations: equations, seed: seed, calendar: PeriodCalendar(start: "2020-01-01"))
    let window = calibrationTrapTestWindow
    return Scenario(
      name: "calibration-trap",
      summary: "Seed 001 (the calibration trap): 1,050 days, impressions_x2 acts on the target directly "
        + "and through impressions_x3 and impressions_x4; events confound impressions_x2.",
      units: [ScenarioUnit(label: nil, model: model)], unitColumn: nil, days: days, outcome: "target",
      channels: ["impressions_x1", "impressions_x2", "impressions_x3", "impressions_x4"],
      estimands: [
        Estimand(
          key: "go_dark_x2",
          description:
            "do(impressions_x2 := 0) on days \(window.lowerBound)-\(window.upperBound - 1): summed effect on target",
          interventions: [Intervention(node: "impressions_x2", assignment: .constant(0), periods: window)],
          window: window),
        Estimand(
          key: "plus_50_x2",
          description:
            "do(impressions_x2 := 1.5 impressions_x2) on days \(window.lowerBound)-\(window.upperBound - 1): summed effect on target",
          interventions: [Intervention(node: "impressions_x2", assignment: .scale(1.5), periods: window)],
          window: window),
        Estimand(
          key: "go_dark_x3",
          description:
            "do(impressions_x3 := 0) on days \(window.lowerBound)-\(window.upperBound - 1): summed effect on target",
          interventions: [Intervention(node: "impressions_x3", assignment: .constant(0), periods: window)],
          window: window),
      ])
  }

  /// The calibration trap's experiment window: days 880-979 (the post's).
  public static let calibrationTrapTestWindow = 880..<980

  /// The graph of `dags/calibration_trap.dot`.
  public static func calibrationTrapDAG() throws(SimulationError) -> CausalDAG {
    var dag = try makeDAG(
      nodes: [
        "impressions_x2", "target", "spend_x1", "impressions_x1", "spend_x2", "spend_x3", "impressions_x3",
        "spend_x4", "impressions_x4", "events", "trend", "price",
      ],
      edges: [
        ("spend_x1", "impressions_x1"), ("spend_x2", "impressions_x2"), ("spend_x3", "impressions_x3"),
        ("spend_x4", "impressions_x4"), ("impressions_x1", "impressions_x3"),
        ("impressions_x2", "impressions_x3"), ("impressions_x2", "impressions_x4"),
        ("events", "impressions_x2"), ("events", "impressions_x3"), ("events", "target"), ("trend", "target"),
        ("price", "target"), ("impressions_x2", "target"), ("impressions_x3", "target"),
        ("impressions_x4", "target"),
      ],
      roles: ["impressions_x2": .treatment, "target": .outcome])
    // As dags/calibration_trap.dot: impressions spill over linearly (read by the structural model).
    for (from, to) in [
      ("impressions_x1", "impressions_x3"), ("impressions_x2", "impressions_x3"),
      ("impressions_x2", "impressions_x4"),
    ] {
      guard let tail = dag.index(of: from), let head = dag.index(of: to) else { continue }
      dag.edgeAttributes[CausalDAG.Edge(from: tail, to: head)] = ["transform": "linear"]
    }
    return dag
  }

  static func makeDAG(
    nodes: [String], edges: [(String, String)], roles: [String: CausalDAG.DeclaredRole] = [:],
    latent: Set<String> = []
  ) throws(SimulationError) -> CausalDAG {
    do {
      return try CausalDAG(
        nodes: nodes.map { CausalDAG.Node(name: $0, isLatent: latent.contains($0), declaredRole: roles[$0]) },
        edges: edges.map { (from: $0.0, to: $0.1) })
    } catch {
      throw SimulationError(.graph(error))
    }
  }
}
