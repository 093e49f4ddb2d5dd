/// A chain whose log density stays below every other chain's: it explores a different, less
/// probable mode (or is stuck), which R-hat reports only as disagreement.
public struct SeparatedChain: Sendable, Equatable {
  /// The chain's position among the posterior's chains (0-based).
  public let chain: Int
  /// Mean `lp__` of its kept draws.
  public let meanLogDensity: Double
  /// Mean `lp__` of the other chains' kept draws, pooled.
  public let othersMeanLogDensity: Double
}

extension Diagnostics {
  /// The chains whose log density lies wholly below the others': a chain is separated when the
  /// 90th percentile of its kept `lp__` is below the 10th percentile of the other chains' pooled
  /// `lp__`. Chains mixing over one posterior share their `lp__` distribution, so this does not
  /// fire on them; it needs at least two chains of at least 10 draws.
  public static func separatedChains(_ posterior: Posterior) -> [SeparatedChain] {
    let logDensities = posterior.chains.map { $0.stats.map(\.lp) }
    guard logDensities.count >= 2, logDensities.allSatisfy({ $0.count >= 10 }) else { return [] }
    var separated: [SeparatedChain] = []
    for (k, own) in logDensities.enumerated() {
      let others = logDensities.enumerated().filter { $0.offset != k }.flatMap(\.element)
      let ownHigh = quantile(own.sorted(), 0.9)
      let othersLow = quantile(others.sorted(), 0.1)
      if ownHigh < othersLow {
        separated.append(
          SeparatedChain(
            chain: k, meanLogDensity: own.reduce(0, +) / Double(own.count),
            othersMeanLogDensity: others.reduce(0, +) / Double(others.count)))
      }
    }
    return separated
  }
}
