import Inference

extension FittedMMM {
  /// Largest acceptable split R-hat (Vehtari et al. 2021).
  public static let maximumRHat = 1.01
  /// Largest acceptable share of divergent transitions among the kept draws.
  public static let maximumDivergentShare = 0.01

  /// Why the fit's numbers should not be trusted as they stand, one sentence each; empty when none.
  ///
  /// Checks: split R-hat above `maximumRHat`, a chain whose log density stays below the others'
  /// (`Diagnostics.separatedChains`), divergences above `maximumDivergentShare` of the kept
  /// draws, summaries that are not finite, and channels without spend (their ROAS is undefined and
  /// their curve is the prior's). Lift tests are checked by ``calibrationChecks(liftTests:data:)``.
  public func warnings() -> [String] {
    guard let posterior else { return ["no posterior: the model was not sampled"] }
    var warnings: [String] = []
    let rows = parameterSummary
    let worst = rows.filter { $0.rHat.isFinite }.max { $0.rHat < $1.rHat }
    if let worst, worst.rHat > Self.maximumRHat {
      let count = rows.filter { $0.rHat > Self.maximumRHat }.count
      warnings.append(
        "r_hat up to \(rounded(worst.rHat, 3)) (\(worst.name)) exceeds \(Self.maximumRHat) for \(count) "
          + "parameter(s): the chains disagree; sample longer (more tune/draws) before using these numbers")
    }
    for separated in Diagnostics.separatedChains(posterior) {
      let chain = posterior.chainIndices[separated.chain] + 1
      warnings.append(
        "chain \(chain)'s log density stays below the other chains' (mean lp__ "
          + "\(rounded(separated.meanLogDensity, 1)) against \(rounded(separated.othersMeanLogDensity, 1))): it "
          + "explores another, less probable mode; start the chains at the mode (sampler initialization: map) "
          + "or look at that chain's draws before using these numbers")
    }
    let kept = posterior.chains.reduce(0) { $0 + $1.values.count }
    if kept > 0, Double(posterior.divergences) > Self.maximumDivergentShare * Double(kept) {
      let share = 100 * Double(posterior.divergences) / Double(kept)
      warnings.append(
        "\(posterior.divergences) divergent transitions (\(rounded(share, 1))% of \(kept) draws) exceed 1%: "
          + "the posterior is biased where it curves sharply; raise target_accept or tighten priors")
    }
    let nonFinite = rows.filter {
      !($0.mean.isFinite && $0.sd.isFinite && $0.hdiLower.isFinite && $0.hdiUpper.isFinite)
    }
    if !nonFinite.isEmpty {
      warnings.append(
        "non-finite summaries for \(nonFinite.map(\.name).joined(separator: ", ")): the sampler left the "
          + "region where the model is defined")
    }
    for (channel, spend) in zip(model.channelNames, channelSpends()) where spend == 0 {
      warnings.append(
        "channel '\(channel)' has no spend in the data: its ROAS is undefined (null) and its response "
          + "curve comes from the prior alone")
    }
    return warnings
  }

  private func rounded(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let magnitude = Swift.abs(value)
    if magnitude != 0 && (magnitude < 1 / scale || magnitude >= 1e6) { return "\(value)" }
    return "\((value * scale).rounded() / scale)"
  }
}
