import CausalMMMCore
import Foundation

extension Posterior {
  /// The JSON summary of the `causal-mmm fit` contract:
  /// `{"parameters": {name: {"mean", "sd", "hdi_3%", "hdi_97%", "mcse_mean", "r_hat", "ess_bulk",
  /// "ess_tail"}}, "sampler": {"chains", "tune", "draws", "divergences", "seconds", ...}}`,
  /// parameters in model order, non-finite numbers as `null`.
  ///
  /// - Parameters:
  ///   - hdiProbability: HDI mass; the keys are named like ArviZ's (`hdi_3%` for 0.94).
  ///   - rows: `summary(hdiProbability: hdiProbability)` when the caller already holds it.
  public func summaryJSON(hdiProbability: Double = 0.94, rows: [ParameterSummary]? = nil) -> String {
    let tail = (1 - hdiProbability) / 2 * 100
    let lowerKey = "hdi_\(Self.percentLabel(tail))%"
    let upperKey = "hdi_\(Self.percentLabel(100 - tail))%"
    var parts: [String] = []
    for row in rows ?? summary(hdiProbability: hdiProbability) {
      let fields = [
        ("mean", row.mean), ("sd", row.sd), (lowerKey, row.hdiLower), (upperKey, row.hdiUpper),
        ("mcse_mean", row.mcseMean), ("r_hat", row.rHat), ("ess_bulk", row.essBulk),
        ("ess_tail", row.essTail),
      ].map { "\(Self.quoted($0.0)): \(Self.number($0.1))" }
      parts.append("    \(Self.quoted(row.name)): {" + fields.joined(separator: ", ") + "}")
    }
    let sampler = [
      "\"chains\": \(chains.count)", "\"tune\": \(configuration.tune)",
      "\"draws\": \(configuration.draws)",
      "\"divergences\": \(divergences)", "\"seconds\": \(Self.number(seconds))",
      "\"tree_depth_saturations\": \(treeDepthSaturations)",
      "\"max_tree_depth\": \(configuration.maxTreeDepth)",
      "\"target_accept\": \(Self.number(configuration.targetAccept))", "\"seed\": \(configuration.seed)",
      "\"metric\": \(Self.quoted(configuration.metric.rawValue))",
      "\"e_bfmi\": [" + eBFMI.map(Self.number).joined(separator: ", ") + "]",
      "\"warmup_leapfrog_steps\": \(chains.reduce(0) { $0 + $1.warmupLeapfrogSteps })",
      "\"step_sizes\": [" + chains.map { Self.number($0.stepSize) }.joined(separator: ", ") + "]",
    ]
    return "{\n  \"parameters\": {\n" + parts.joined(separator: ",\n") + "\n  },\n  \"sampler\": {"
      + sampler.joined(separator: ", ") + "}\n}\n"
  }

  static func percentLabel(_ value: Double) -> String {
    let rounded = (value * 1e6).rounded() / 1e6
    return rounded == rounded.rounded() ? String(Int(rounded)) : "\(rounded)"
  }

  static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

  static func quoted(_ string: String) -> String { JSONValue.quote(string) }

}
