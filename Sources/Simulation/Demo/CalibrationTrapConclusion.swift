import Foundation

extension CalibrationTrapDemo.Result {
  /// The model called `name`, if it was fitted.
  public func model(_ name: String) -> CalibrationTrapDemo.ModelResult? { models.first { $0.name == name } }

  /// The conclusion, sentence by sentence, generated from the measured numbers.
  public func conclusion() -> [String] {
    func number(_ value: Double) -> String { String(format: "%.0f", value) }
    func perDay(_ value: Double) -> String { String(format: "%.2f", value) }
    func percent(_ value: Double) -> String { String(format: "%+.0f%%", 100 * value) }
    func interval(_ e: CalibrationTrapDemo.Estimate) -> String {
      "\(number(e.mean)) [\(number(e.hdiLower)), \(number(e.hdiUpper))]"
    }
    var lines: [String] = []
    let truthA = truth(of: "go_dark_x2")
    if let split = truth.mediation["go_dark_x2"] {
      lines.append(
        "Truth: switching impressions_x2 off on days 880-979 changes the target by \(number(truthA)); "
          + "\(String(format: "%.0f%%", 100 * split.indirectShare)) of it flows through "
          + "\(split.mediators.joined(separator: " and ")).")
    }
    if let naive = model("naive"), let a = naive.estimates["go_dark_x2"] {
      lines.append(
        "The naive model (all four channels) estimates \(interval(a)): its 94% HDI "
          + (a.covers ? "covers" : "misses") + " the truth (error \(percent(a.relativeError)))"
          + (a.covers ? "." : "; controlling for the mediators leaves only the direct effect."))
    }
    if let calibrated = model("naive + calibration"), let a = calibrated.estimates["go_dark_x2"] {
      var sentence =
        "With the go-dark lift test, naive + calibration estimates \(interval(a)) and "
        + (a.covers ? "covers" : "still misses") + " the truth (error \(percent(a.relativeError)))"
      if let steady = calibrated.steadyStateChecks.first {
        sentence +=
          "; PyMC-Marketing's steady-state check " + (steady.passes ? "passes" : "fails")
          + " (model \(perDay(steady.model))/day vs measured \(perDay(steady.measured)) ± \(perDay(steady.sigma)), "
          + "z = \(String(format: "%.1f", steady.zScore)))"
      }
      lines.append(sentence + ".")
      if let window = calibrated.windowChecks.first {
        lines.append(
          "Re-running the experiment window with the model's own do(), the window-aware check "
            + (window.passes ? "does not flag it" : "flags it")
            + " (model \(perDay(window.model))/day vs measured \(perDay(window.measured)), z = \(String(format: "%.1f", window.zScore)))."
        )
      }
    }
    for name in ["causal", "causal + calibration"] {
      if let model = model(name), let a = model.estimates["go_dark_x2"] {
        lines.append(
          "The \(name) model (\((model.channels + model.controls).joined(separator: " + "))) estimates \(interval(a)) and "
            + (a.covers ? "covers" : "misses")
            + " the truth (error \(percent(a.relativeError)), HDI width \(number(a.width))).")
      }
    }
    let truthB = truth(of: "plus_50_x2")
    if let one = model("causal + calibration")?.estimates["plus_50_x2"],
      let two = model("causal + two tests")?.estimates["plus_50_x2"]
    {
      let improved = abs(two.error) < abs(one.error)
      lines.append(
        "For the untested +50% on impressions_x2 (truth \(number(truthB))): one test gives \(interval(one)) "
          + "(error \(percent(one.relativeError))), two tests at different spend levels give \(interval(two)) "
          + "(error \(percent(two.relativeError))): the second test "
          + (improved ? "improves" : "does not improve")
          + " the estimate.")
    }
    let truthC = truth(of: "go_dark_x3")
    if let c = model("naive")?.estimates["go_dark_x3"] {
      lines.append(
        "For impressions_x3 (truth \(number(truthC))), whose effect the naive specification does identify, "
          + "the naive model estimates \(interval(c)) and " + (c.covers ? "covers" : "misses") + " it.")
    }
    if let structural = model("structural") {
      let covered = CalibrationTrapDemo.estimandKeys.compactMap { key in
        structural.estimates[key].map { (key, $0) }
      }
      if let a = structural.estimates["go_dark_x2"] {
        lines.append(
          "The structural model (an equation for each of impressions_x3, impressions_x4 and the target, compiled "
            + "from the DAG, no lift test) estimates \(interval(a)) and " + (a.covers ? "covers" : "misses")
            + " the truth (error \(percent(a.relativeError))); its HDIs cover "
            + "\(covered.filter { $0.1.covers }.count) of its \(covered.count) estimands ("
            + covered.map { "\($0.0) " + ($0.1.covers ? "yes" : "no") }.joined(separator: ", ") + ").")
      }
    }
    return lines
  }
}
