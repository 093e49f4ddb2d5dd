import CausalMMMCore

extension ScenarioTruth {
  /// The truth as JSON (`causal-mmm simulate --truth`): every estimand with its window, total,
  /// per-period value and, where it has one, the mediation split.
  public func json(scenario: Scenario) -> JSONValue {
    let truth = self
    return .object([
      ("scenario", .string(truth.scenario)),
      ("seed", .integer(Int(truth.seed))),
      ("periods", .integer(scenario.days)),
      ("outcome", .string(scenario.outcome)),
      ("channels", .strings(scenario.channels)),
      (
        "estimands",
        .array(
          truth.effects.map { effect in
            var members: [(String, JSONValue)] = [
              ("key", .string(effect.estimand.key)),
              ("description", .string(effect.estimand.description)),
              (
                "window",
                .array([
                  .integer(effect.estimand.window.lowerBound),
                  .integer(effect.estimand.window.upperBound - 1),
                ])
              ),
              ("total", .number(effect.total)),
              ("per_period", .number(effect.total / Double(effect.perPeriod.count))),
            ]
            if let units = effect.estimand.units { members.append(("geos", .strings(units))) }
            if let split = truth.mediation[effect.estimand.key] {
              members.append(
                (
                  "mediation",
                  .object([
                    ("mediators", .strings(split.mediators)), ("direct", .number(split.direct)),
                    ("indirect", .number(split.indirect)), ("indirect_share", .number(split.indirectShare)),
                  ])
                ))
            }
            return .object(members)
          })
      ),
    ])
  }
}
