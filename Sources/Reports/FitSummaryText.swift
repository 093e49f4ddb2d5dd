import Foundation
import Inference
import MMM

/// The plain-text tables `causal-mmm fit` prints: the parameter summary and the calibration checks.
public enum FitSummaryText {
  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  /// One row per parameter: mean, sd, 94% HDI, R-hat, bulk ESS.
  public static func parameters(_ posterior: Posterior) -> String {
    parameters(posterior.summary(hdiProbability: 0.94))
  }

  /// One row per summarised parameter (`Posterior.summary`): mean, sd, 94% HDI, R-hat, bulk ESS.
  public static func parameters(_ rows: [ParameterSummary]) -> String {
    var lines = [pad("parameter", 40) + "       mean         sd     hdi_3%    hdi_97%   r_hat ess_bulk"]
    for row in rows {
      lines.append(
        pad(row.name, 40)
          + String(
            format: " %10.4f %10.4f %10.4f %10.4f %7.3f %8.0f", row.mean, row.sd, row.hdiLower, row.hdiUpper,
            row.rHat, row.essBulk))
    }
    return lines.joined(separator: "\n")
  }

  /// The lift-test checks, per period: measured, then the steady-state and the window-aware
  /// readings with their z and verdict (|z| > 2 flags the model).
  public static func calibration(_ checks: [LiftTestCalibration]) -> String {
    var lines = [
      "Calibration checks (per period; |z| > 2 flags the model):",
      "  " + pad("test", 48) + "   measured |     steady      z      |     window      z",
    ]
    for check in checks {
      let steady = check.steadyState
      var line =
        "  " + pad(steady.test, 48)
        + String(
          format: " %10.4g | %10.4g %6.1f %-5@", steady.measured, steady.model, steady.zScore, steady.verdict)
      if let window = check.window {
        line += String(format: " | %10.4g %6.1f %@", window.model, window.zScore, window.verdict)
      } else {
        line += " |  (no dates: steady state only)"
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}
