import CausalValidation
import Foundation
import MMM

// The fit report's unobserved-confounder section: `causal-mmm sensitivity` for every fit in the
// report, every control as a benchmark (ChannelSensitivity on the fit's OLS linearisation).

extension FitReport {
  /// The sensitivity blocks, or nil when no fit of the report can be reloaded (e.g. a directory
  /// without its unconstrained draws).
  static func sensitivityBlocks(_ fits: [LabelledFit]) -> [ReportBlock]? {
    var blocks: [ReportBlock] = [
      .paragraph(
        "Cinelli and Hazlett's (2020) omitted-variable-bias analysis on each fit's linearisation: the outcome "
          + "regressed by OLS on every channel's fitted adstock-and-saturation series (posterior-mean parameters) and "
          + "the other terms. RV is the share of the residual variance of both the channel and the outcome an "
          + "unobserved confounder would need to explain to remove the effect; RV (5%) to make it insignificant "
          + "(OLS interval). The last column bounds a confounder as strong as each control.")
    ]
    var analysed = false
    for labelled in fits {
      guard let fitted = try? FitArchive.load(from: URL(fileURLWithPath: labelled.fit.path)) else { continue }
      let controls = fitted.model.configuration.controlColumns
      guard let report = try? ChannelSensitivity.analyse(fit: fitted, benchmarks: controls) else { continue }
      analysed = true
      let rows: [[TableCell]] = report.channels.map { entry in
        let s = entry.sensitivity
        let bounds = s.bounds.filter { $0.multiplier == 1 }.map {
          "\($0.covariate): " + String(format: "%.2f", $0.adjustedEstimate / s.estimate)
            + " [\(String(format: "%.2f", $0.adjustedLower / s.estimate)), \(String(format: "%.2f", $0.adjustedUpper / s.estimate))]"
        }
        return [
          .text(entry.channel), .number(s.tStatistic, decimals: 2), .number(s.partialR2, decimals: 3),
          .number(s.robustnessValue, decimals: 3), .number(s.robustnessValueAlpha, decimals: 3),
          .text(bounds.isEmpty ? "-" : bounds.joined(separator: "; ")),
        ]
      }
      blocks.append(
        .table(
          Table(
            columns: [
              "channel", "t", "partial R2", "RV", "RV (5%)", "1x control: adjusted / OLS estimate [95% CI]",
            ],
            rows: rows, caption: fits.count > 1 ? labelled.label : "")))
      blocks.append(.list(report.channels.map(\.verdict)))
    }
    return analysed ? blocks : nil
  }
}
