import CausalGraph
import CausalMMMCore
import Foundation
import GraphvizIO
import Inference
import MMM

extension FitReport {
  /// The section of a structural fit (`structure: dag`): the compiled equations drawn as a graph and
  /// every channel's go-dark and +50% effects over the training dates (total, direct, through each
  /// mediator, ROAS), as `causal-mmm effects` computes them. Nil when no fit is structural.
  static func structuralBlocks(_ fits: [LabelledFit]) -> [ReportBlock]? {
    let structural = fits.filter { StructuralFitArchive.isStructural(URL(fileURLWithPath: $0.fit.path)) }
    guard !structural.isEmpty else { return nil }
    var blocks: [ReportBlock] = []
    for labelled in structural {
      if structural.count > 1 || fits.count > 1 { blocks.append(.heading(labelled.label)) }
      do {
        let fit = try StructuralFitArchive.load(from: URL(fileURLWithPath: labelled.fit.path))
        blocks += try structuralBlocks(fit)
      } catch {
        blocks.append(.paragraph("The structural effects could not be computed: \(error)"))
      }
    }
    return blocks
  }

  static func structuralBlocks(_ fit: StructuralFit) throws -> [ReportBlock] {
    let specification = fit.model.specification
    var blocks: [ReportBlock] = []
    // The compiled model as a graph: one node per equation and parent, an edge per term.
    let names = Array(Set(specification.equations.flatMap { [$0.node] + $0.terms.map(\.parent) })).sorted()
    let edges = specification.equations.flatMap { equation in
      equation.terms.map { (from: $0.parent, to: equation.node) }
    }
    let mediators = Set(specification.mediators)
    let equationsText = specification.equations.map { equation in
      let terms = equation.terms.map { term -> String in
        switch term.kind {
        case .linear: return "γ·\(term.parent)"
        case .media(let adstock, let saturation):
          return "\(saturation.rawValue)(\(adstock.rawValue)(\(term.parent)))"
        }
      }
      let extras = equation.isOutcome ? ["seasonality", "trend"] : []
      return "\(equation.node) = intercept + " + (terms + extras).joined(separator: " + ") + " + noise"
    }
    if let dag = try? CausalDAG(nodes: names.map { CausalDAG.Node(name: $0) }, edges: edges),
      let drawing = try? ReportBlock.dag(
        dag,
        annotations: DAGAnnotations(
          treatments: Set(specification.channels), outcomes: [specification.outcome], mediators: mediators),
        caption: "The structural model compiled from the DAG: an equation per mediator and for the outcome.")
    {
      blocks.append(drawing)
    }
    blocks.append(.list(equationsText))
    let effects = try fit.channelEffects()
    func summary(_ draws: [Double]) -> DrawSummary { DrawSummary(draws.filter(\.isFinite)) }
    func cell(_ draws: [Double]) -> TableCell {
      let s = summary(draws)
      return .text("\(formatted(s.mean)) [\(formatted(s.hdiLower)), \(formatted(s.hdiUpper))]")
    }
    let rows: [[TableCell]] = effects.map { effect in
      let totalMean = summary(effect.total).mean
      let shares = effect.throughMediator.map { mediator -> String in
        let share = totalMean != 0 ? 100 * summary(mediator.draws).mean / totalMean : .nan
        return share.isFinite ? "\(mediator.mediator) \(Int(share.rounded()))%" : mediator.mediator
      }
      return [
        .text(effect.channel), .text(effect.intervention), cell(effect.total), cell(effect.direct),
        cell(effect.indirect), cell(effect.roas),
        .text(shares.isEmpty ? "none" : shares.joined(separator: ", ")),
      ]
    }
    blocks.append(
      .table(
        Table(
          columns: ["channel", "intervention", "total", "direct", "indirect", "ROAS", "via mediators"],
          rows: rows, caption: "Effects on \(specification.outcome) (mean [94% HDI])")))
    blocks.append(
      .paragraph(
        "Each channel is set to zero (go_dark) or raised by half (plus_50) on every training date; the change in "
          + "\(specification.outcome) is summed to the end of the data. Direct holds the mediators at their observed "
          + "values; indirect is the rest, split by mediator in the last column; ROAS is the total per unit of "
          + "channel change."))
    let goDark = effects.filter { $0.intervention == "go_dark" }
    func series(_ name: String, _ pick: (StructuralEffect) -> [Double], color: String) -> BarSeries {
      let s = goDark.map { summary(pick($0)) }
      return BarSeries(
        name: name, values: s.map(\.mean), lower: s.map(\.hdiLower), upper: s.map(\.hdiUpper), color: color)
    }
    blocks.append(
      .chart(
        BarChart(
          title: "Going dark: total, direct and indirect effect per channel",
          xLabel: "change in \(specification.outcome) (summed)", categories: goDark.map(\.channel),
          series: [
            series("total", \.total, color: "#1f77b4"), series("direct", \.direct, color: "#ff7f0e"),
            series("indirect (through mediators)", \.indirect, color: "#2ca02c"),
          ], showsValues: false),
        caption:
          "Posterior mean and 94% HDI of each channel's go-dark effect; a channel whose effect runs through "
          + "mediators has an indirect part that a per-channel regression on the mediators would miss."))
    return blocks
  }

  private static func formatted(_ value: Double) -> String {
    guard value.isFinite else { return "n/a" }
    let magnitude = abs(value)
    return formatDecimal(magnitude >= 100 ? value.rounded() : (value * 100).rounded() / 100)
  }
}
