import CausalMMMCore
import Foundation
import MMM

extension FitReport {
  /// The "Response curves" section: per fit that can be reloaded (config.json, data.csv and
  /// draws_unconstrained.csv present), each channel's incremental outcome when its training spend is
  /// scaled by 0..2, with the 94% HDI band, the current spend marked, and the marginal ROAS at the
  /// current spend. Empty when no fit can be reloaded.
  static func responseCurveBlocks(_ fits: [LabelledFit]) -> [ReportBlock] {
    var blocks: [ReportBlock] = []
    let multipliers = (0...20).map { Double($0) / 10 }
    for labelled in fits {
      guard let fit = try? FitArchive.load(from: URL(fileURLWithPath: labelled.fit.path)),
        let curves = try? fit.responseCurves(multipliers: multipliers)
      else { continue }
      if fits.count > 1 { blocks.append(.heading(labelled.label)) }
      blocks.append(
        .chart(
          DecisionReports.curvesChart(curves),
          caption:
            "Incremental outcome over the training period when each channel's spend is scaled by 0 to 2 "
            + "(posterior mean, 94% HDI); the line marks the current spend."))
      let rows: [[TableCell]] = curves.curves.map { curve in
        let now = curve.points[10]
        return [
          .text(curve.channel), .number(curve.currentSpend, decimals: 2),
          .number(now.incremental.mean, decimals: 3),
          .number(now.marginalROAS.mean, decimals: 4), .number(now.marginalROAS.hdiLower, decimals: 4),
          .number(now.marginalROAS.hdiUpper, decimals: 4),
        ]
      }
      blocks.append(
        .table(
          Table(
            columns: ["channel", "spend", "incremental", "marginal ROAS", "hdi 3%", "hdi 97%"], rows: rows,
            caption: "Marginal ROAS at the current spend: the return of the next unit of spend.")))
    }
    return blocks
  }
}
