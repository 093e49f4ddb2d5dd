import CausalMMMCore
import Foundation
import MMM

// Sensitivity of a fitted MMM's channel effects to an unobserved confounder. The Bayesian model is
// not linear in spend, but given its fitted transforms it is: at the posterior mean of the adstock
// and saturation parameters each channel contributes a fixed series, and the outcome is linear in
// those series, the controls, the Fourier modes, the trend and the intercept (geo intercepts as fixed
// effects). That regression, fitted by OLS, is what Cinelli and Hazlett's analysis applies to
// (``OLSSensitivity``); the robustness values are therefore those of the linearisation, with OLS
// standard errors, not of the posterior.

/// The omitted-variable-bias sensitivity of every channel of a fit.
public struct ChannelSensitivityReport: Sendable, Codable {
  /// One channel's analysis.
  public struct Channel: Sendable, Codable {
    /// The channel.
    public let channel: String
    /// The OLS sensitivity of its fitted-transform coefficient.
    public let sensitivity: OLSSensitivity
    /// A plain-language verdict.
    public let verdict: String
  }

  /// The channels, in the model's order.
  public let channels: [Channel]
  /// The benchmark covariates used.
  public let benchmarks: [String]
  /// The number of rows of the regression.
  public let rows: Int
  /// The regressors besides the channel (names).
  public let otherTerms: [String]
}

/// Cinelli–Hazlett sensitivity on a fit's linearisation.
public enum ChannelSensitivity {
  /// Analyses every channel of `fit`.
  ///
  /// - Parameters:
  ///   - fit: the fitted MMM (e.g. from `FitArchive.load`).
  ///   - benchmarks: controls (or other terms: channels, `fourier_sin_1`, `model_trend`) to bound
  ///     a confounder against, "k times as strong as" for k = 1, 2, 3.
  ///   - alpha: the level of RV_{q,α} and of the adjusted intervals.
  /// - Throws: `LocatedError` for a benchmark that is not a term of the model.
  public static func analyse(fit: FittedMMM, benchmarks: [String], alpha: Double = 0.05) throws
    -> ChannelSensitivityReport
  {
    let linear = fit.linearisation()
    let others = linear.controls + linear.seasonality
    let allNames = linear.channels.map(\.name) + others.map(\.name)
    for name in benchmarks where !allNames.contains(name) {
      throw LocatedError(
        column: "--benchmark",
        "'\(name)' is not a term of the model (terms: \(allNames.joined(separator: ", ")))")
    }
    let groups = linear.geoNames.count > 1 && linear.interceptVariesByGeo ? linear.geoIndices : nil
    var channels: [ChannelSensitivityReport.Channel] = []
    for (c, channel) in linear.channels.enumerated() {
      let covariates =
        linear.channels.indices.filter { $0 != c }.map {
          (name: linear.channels[$0].name, values: linear.channels[$0].values)
        }
        + others.map { (name: $0.name, values: $0.values) }
      guard
        let result = OLSSensitivity.analyse(
          outcome: linear.outcome, treatment: channel.values, covariates: covariates, groups: groups,
          benchmarks: benchmarks.filter { $0 != channel.name }, alpha: alpha)
      else {
        throw LocatedError(
          column: channel.name, "its fitted series is collinear with the other terms: no sensitivity analysis"
        )
      }
      channels.append(
        .init(channel: channel.name, sensitivity: result, verdict: verdict(channel.name, result)))
    }
    return ChannelSensitivityReport(
      channels: channels, benchmarks: benchmarks, rows: linear.outcome.count,
      otherTerms: linear.channels.map(\.name) + others.map(\.name))
  }

  static func verdict(_ channel: String, _ s: OLSSensitivity) -> String {
    let percent = { (value: Double) in String(format: "%.1f%%", value * 100) }
    guard s.robustnessValueAlpha > 0 else {
      return
        "\(channel)'s effect is not distinguishable from zero at \(percent(s.alpha)) even without confounding "
        + "(|t| = \(String(format: "%.2f", abs(s.tStatistic)))): no confounder is needed to explain it away."
    }
    var text =
      "A confounder explaining \(percent(s.robustnessValue)) of the residual variance of both \(channel) and the "
      + "outcome would explain away \(channel)'s whole effect; \(percent(s.robustnessValueAlpha)) would make it "
      + "insignificant at \(percent(s.alpha))."
    var byCovariate: [String: [OLSSensitivity.Bound]] = [:]
    for bound in s.bounds { byCovariate[bound.covariate, default: []].append(bound) }
    for (covariate, bounds) in byCovariate.sorted(by: { $0.key < $1.key }) {
      let overturning = bounds.first {
        $0.adjustedLower <= 0 && $0.adjustedUpper >= 0 || ($0.adjustedEstimate * s.estimate <= 0)
      }
      if let overturning {
        let times =
          overturning.multiplier == 1 ? "as strong as" : "\(Int(overturning.multiplier)) times as strong as"
        text +=
          " A confounder \(times) \(covariate) WOULD overturn it"
          + (overturning.adjustedEstimate * s.estimate <= 0
            ? " (its estimate would reach zero)." : " (its interval would include zero).")
      } else {
        let most = Int(bounds.map(\.multiplier).max() ?? 1)
        text +=
          " Even a confounder \(most == 1 ? "as strong as" : "\(most) times as strong as") \(covariate) would not overturn it."
      }
    }
    return text
  }
}

extension ChannelSensitivityReport {
  /// The report as JSON with sorted snake_case keys.
  public func jsonText() throws -> String {
    try JSONValue.encode(self, snakeCaseKeys: true)
  }

  /// The report as text: one block per channel.
  public func text() -> String {
    var lines = [
      "Omitted-variable-bias sensitivity (Cinelli & Hazlett 2020) on the fit's linearisation:",
      "  OLS of the outcome on each channel's fitted adstock+saturation series (posterior-mean parameters)",
      "  and the other terms (\(otherTerms.count - 1) more + intercept), \(rows) rows. RV at alpha uses the OLS CI.",
    ]
    for entry in channels {
      let s = entry.sensitivity
      lines.append("")
      lines.append(
        "\(entry.channel): t = \(String(format: "%.2f", s.tStatistic)), df = \(s.degreesOfFreedom), partial R2 = "
          + String(format: "%.3f", s.partialR2) + ", RV(q=1) = " + String(format: "%.3f", s.robustnessValue)
          + ", RV(q=1, alpha=\(s.alpha)) = " + String(format: "%.3f", s.robustnessValueAlpha))
      if !s.bounds.isEmpty {
        lines.append(
          "  confounder bound            R2 d~z|x  R2 y~z|d,x  adj. estimate / OLS estimate  adj. 95% CI (relative)"
        )
        for bound in s.bounds {
          let label =
            "\(Int(bound.multiplier))x \(bound.covariate)" + (bound.r2OutcomeConfounder >= 1 ? " *" : "")
          let ratio = { (v: Double) in String(format: "%.3f", v / s.estimate) }
          lines.append(
            "  " + label.padding(toLength: 26, withPad: " ", startingAt: 0)
              + String(format: "%9.4f  %10.4f", bound.r2TreatmentConfounder, bound.r2OutcomeConfounder)
              + "  " + ratio(bound.adjustedEstimate).leftPadded(28)
              + "  [\(ratio(bound.adjustedLower)), \(ratio(bound.adjustedUpper))]")
        }
      }
      if s.bounds.contains(where: { $0.r2OutcomeConfounder >= 1 }) {
        lines.append(
          "  * the implied R2 y~z|d,x exceeds 1 and is capped there (as sensemakr does): no residual variance is left"
        )
      }
      lines.append("  " + entry.verdict)
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
