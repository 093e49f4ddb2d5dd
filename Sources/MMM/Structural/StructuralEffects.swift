import CausalMMMCore
import Foundation
import Inference

/// An intervention's effect on the outcome through the structural model, per draw (original units,
/// summed over every date from the intervention's first day to the end of the data, so carry-over
/// within the data counts).
public struct StructuralEffect: Sendable {
  /// The intervened node.
  public let channel: String
  /// `go_dark` or `plus_50` (or a caller's label).
  public let intervention: String
  /// Total effect per draw: every modelled node downstream responds.
  public let total: [Double]
  /// Direct effect per draw: the mediators held at their observed values.
  public let direct: [Double]
  /// Indirect effect per draw: total − direct.
  public let indirect: [Double]
  /// Per mediator downstream of the channel: total − (total with that mediator held at its observed
  /// values), per draw: the part of the effect that flows through it.
  public let throughMediator: [(mediator: String, draws: [Double])]
  /// Σ (counterfactual − observed) of the channel over the window.
  public let channelChange: Double
  /// Per draw: total / channelChange (the outcome per unit of the channel, 0 when it did not change).
  public var roas: [Double] { total.map { channelChange != 0 ? $0 / channelChange : .nan } }
}

extension StructuralFit {
  /// The outcome's change per date (original units) when `doValues` replace the named nodes' observed
  /// series, for one draw's constrained values: every modelled node is recomputed in topological
  /// order from its (possibly changed) parents and keeps its observed residual (additive-noise
  /// counterfactual), so `node_cf = node_obs + scale · (μ(parents_cf) − μ(parents_obs))`; nodes in
  /// `hold` keep their observed values. A counterfactual equal to the observed inputs changes nothing.
  public func outcomeChange(values v: [Double], doValues: [String: [Double]], hold: Set<String> = [])
    -> [Double]
  {
    outcomeChange(values: v, doValues: doValues, hold: hold, observedMeans: observedMeans(values: v))
  }

  /// Every equation's mean at the observed inputs, for one draw (scaled units, equation order).
  func observedMeans(values v: [Double]) -> [[Double]] {
    model.equations.map { model.mean($0, values: v, inputs: $0.inputs) }
  }

  func outcomeChange(
    values v: [Double], doValues: [String: [Double]], hold: Set<String>, observedMeans: [[Double]]
  ) -> [Double] {
    let m = model
    var changed: [String: [Double]] = doValues
    for (e, equation) in m.equations.enumerated() {
      if doValues[equation.node] != nil || hold.contains(equation.node) { continue }
      let parents = m.termParents(equation)
      guard parents.contains(where: { changed[$0] != nil }) else { continue }
      let counterfactualInputs = parents.enumerated().map { k, parent in
        changed[parent].map { m.termInput(equation, term: k, series: $0) } ?? equation.inputs[k]
      }
      let observedMean = observedMeans[e]
      let counterfactualMean = m.mean(equation, values: v, inputs: counterfactualInputs)
      let observed = m.columns[equation.node, default: []]
      changed[equation.node] = observed.indices.map {
        observed[$0] + equation.scale * (counterfactualMean[$0] - observedMean[$0])
      }
    }
    let outcome = m.specification.outcome
    let observed = m.columns[outcome, default: []]
    guard let counterfactual = changed[outcome] else { return [Double](repeating: 0, count: observed.count) }
    return observed.indices.map { counterfactual[$0] - observed[$0] }
  }

  /// Per draw, the outcome change summed over the dates from `from` on.
  public func totalChange(doValues: [String: [Double]], hold: Set<String> = [], from: Int = 0) -> [Double] {
    totalChanges(doValues: doValues, holds: [hold], from: from).map { $0[0] }
  }

  /// Per draw, one summed outcome change per entry of `holds` (the observed means computed once a draw).
  func totalChanges(doValues: [String: [Double]], holds: [Set<String>], from: Int) -> [[Double]] {
    constrainedDraws.map { v in
      let means = observedMeans(values: v)
      return holds.map { hold in
        outcomeChange(values: v, doValues: doValues, hold: hold, observedMeans: means)[from...].reduce(0, +)
      }
    }
  }

  /// The modelled mediators downstream of `channel` (descendants of it in the equations), in order.
  public func mediators(of channel: String) -> [String] {
    var reached: Set<String> = [channel]
    var out: [String] = []
    for equation in model.equations where !equation.isOutcome {
      if model.termParents(equation).contains(where: reached.contains) {
        reached.insert(equation.node)
        out.append(equation.node)
      }
    }
    return out
  }

  /// The total, direct and indirect effects of multiplying `channel` by `factor` on the dates of
  /// `window` (indices into the training dates), with the part through each mediator.
  public func effect(channel: String, factor: Double, window: Range<Int>, label: String) throws
    -> StructuralEffect
  {
    guard let observed = model.columns[channel] else {
      throw LocatedError("'\(channel)' is not an input of the structural model")
    }
    var counterfactual = observed
    for t in window { counterfactual[t] *= factor }
    let doValues = [channel: counterfactual]
    let mediators = mediators(of: channel)
    let holds: [Set<String>] = [[], Set(mediators)] + mediators.map { [$0] }
    let perDraw = totalChanges(doValues: doValues, holds: holds, from: window.lowerBound)
    let total = perDraw.map { $0[0] }
    let direct = perDraw.map { $0[1] }
    let through = mediators.enumerated().map { k, mediator in
      (mediator, perDraw.map { $0[0] - $0[2 + k] })
    }
    return StructuralEffect(
      channel: channel, intervention: label, total: total, direct: direct,
      indirect: zip(total, direct).map { $0 - $1 }, throughMediator: through,
      channelChange: window.reduce(0) { $0 + counterfactual[$1] - observed[$1] })
  }

  /// Go-dark and +50% effects for every channel over `window` (default: every training date).
  public func channelEffects(window: ClosedRange<CalendarDate>? = nil) throws -> [StructuralEffect] {
    let dates = model.dates
    let indices = dates.indices.filter { window?.contains(dates[$0]) ?? true }
    guard let first = indices.first, let last = indices.last else {
      throw LocatedError(
        "the window \(window.map { "\($0.lowerBound):\($0.upperBound)" } ?? "") holds no training date")
    }
    var effects: [StructuralEffect] = []
    for channel in model.specification.channels {
      effects.append(try effect(channel: channel, factor: 0, window: first..<(last + 1), label: "go_dark"))
      effects.append(try effect(channel: channel, factor: 1.5, window: first..<(last + 1), label: "plus_50"))
    }
    return effects
  }
}

/// The `effects` report as JSON and text.
public enum StructuralEffectsReport {
  static func summary(_ draws: [Double]) -> JSONValue {
    let s = DrawSummary(draws.filter { $0.isFinite })
    return .object([
      ("mean", .number(s.mean)), ("hdi_3%", .number(s.hdiLower)), ("hdi_97%", .number(s.hdiUpper)),
    ])
  }

  /// One object per intervention: channel, intervention, total/direct/indirect/roas summaries and
  /// the share of the total through each mediator.
  public static func json(_ effects: [StructuralEffect], window: (CalendarDate, CalendarDate)) -> JSONValue {
    .object([
      (
        "window", .object([("start", .string(window.0.description)), ("end", .string(window.1.description))])
      ),
      (
        "effects",
        .array(
          effects.map { e in
            let totalMean = e.total.reduce(0, +) / Double(max(e.total.count, 1))
            return .object([
              ("channel", .string(e.channel)), ("intervention", .string(e.intervention)),
              ("channel_change", .number(e.channelChange)), ("total", summary(e.total)),
              ("direct", summary(e.direct)), ("indirect", summary(e.indirect)), ("roas", summary(e.roas)),
              (
                "through_mediators",
                .array(
                  e.throughMediator.map { m in
                    let mean = m.draws.reduce(0, +) / Double(max(m.draws.count, 1))
                    return .object([
                      ("mediator", .string(m.mediator)), ("effect", summary(m.draws)),
                      ("share", .number(totalMean != 0 ? mean / totalMean : .nan)),
                    ])
                  })
              ),
            ])
          })
      ),
    ])
  }

  /// A plain-text table.
  public static func text(_ effects: [StructuralEffect], window: (CalendarDate, CalendarDate)) -> String {
    func f(_ v: Double) -> String { v.isFinite ? formatDecimal((v * 100).rounded() / 100) : "n/a" }
    func cell(_ draws: [Double]) -> String {
      let s = DrawSummary(draws.filter { $0.isFinite })
      return "\(f(s.mean)) [\(f(s.hdiLower)), \(f(s.hdiUpper))]"
    }
    var lines = [
      "Effects on the outcome of interventions on \(window.0) to \(window.1) (summed from the window's start to "
        + "the end of the data; mean [94% HDI]):"
    ]
    for e in effects {
      lines.append("\(e.channel) \(e.intervention) (channel change \(f(e.channelChange))):")
      lines.append("  total     \(cell(e.total))")
      lines.append("  direct    \(cell(e.direct))")
      lines.append("  indirect  \(cell(e.indirect))")
      lines.append("  ROAS      \(cell(e.roas)) per unit of \(e.channel)")
      let totalMean = e.total.reduce(0, +) / Double(max(e.total.count, 1))
      for m in e.throughMediator {
        let mean = m.draws.reduce(0, +) / Double(max(m.draws.count, 1))
        let share = totalMean != 0 ? String(format: "%.0f%%", 100 * mean / totalMean) : "n/a"
        lines.append("  through \(m.mediator): \(cell(m.draws)), \(share) of the total")
      }
    }
    return lines.joined(separator: "\n")
  }
}

extension StructuralEffectsReport {
  /// `causal-mmm effects`: loads the fit, parses the window, computes every channel's effects, renders.
  ///
  /// - Throws: `LocatedError` for a missing or non-structural fit, a bad window or format.
  public static func run(fitDirectory: String, window: String?, format: String) throws -> String {
    guard format == "text" || format == "json" else {
      throw LocatedError("unknown format '\(format)' (expected text or json)")
    }
    let url = URL(fileURLWithPath: fitDirectory)
    guard StructuralFitArchive.isStructural(url) else {
      throw LocatedError(
        file: fitDirectory,
        "not a structural fit: `effects` needs a fit of a configuration with structure: dag")
    }
    let fit = try StructuralFitArchive.load(from: url)
    var range: ClosedRange<CalendarDate>? = nil
    if let window {
      let parts = window.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 2, let start = CalendarDate(parsing: parts[0]),
        let end = CalendarDate(parsing: parts[1]),
        start <= end
      else {
        throw LocatedError("--window '\(window)': expected START:END with dates YYYY-MM-DD, START <= END")
      }
      range = start...end
    }
    let effects = try fit.channelEffects(window: range)
    let dates = fit.model.dates.filter { range?.contains($0) ?? true }
    guard let first = dates.first, let last = dates.last else {
      throw LocatedError(column: "--window", "no date of the fit lies in the window")
    }
    let bounds = (first, last)
    return format == "json" ? json(effects, window: bounds).rendered() : text(effects, window: bounds)
  }
}
