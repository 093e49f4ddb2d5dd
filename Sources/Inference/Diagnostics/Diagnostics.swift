import RealModule

/// Convergence diagnostics as ArviZ computes them (Vehtari, Gelman, Simpson, Carpenter &
/// Bürkner 2021): rank-normalised split R-hat, bulk and tail effective sample size, Monte
/// Carlo standard error of the mean, E-BFMI and highest-density intervals.
///
/// Every function takes draws as `chains[chain][draw]`; all chains must have the same length.
public enum Diagnostics {
  /// Rank-normalised split R-hat: the larger of the R-hat of the rank-normalised split chains
  /// and of their folded (absolute deviation from the median) counterpart. NaN for fewer than 4 draws.
  public static func splitRHat(_ chains: [[Double]]) -> Double {
    guard isValid(chains) else { return .nan }
    let split = splitChains(chains)
    let bulk = classicRHat(rankNormalised(split))
    let median = quantile(split.flatMap { $0 }.sorted(), 0.5)
    let folded = split.map { $0.map { abs($0 - median) } }
    let tail = classicRHat(rankNormalised(folded))
    return max(bulk, tail)
  }

  /// Bulk effective sample size: ESS of the rank-normalised split chains.
  public static func essBulk(_ chains: [[Double]]) -> Double {
    guard isValid(chains) else { return .nan }
    return effectiveSampleSize(rankNormalised(splitChains(chains)))
  }

  /// Tail effective sample size: the smaller ESS of the indicators x ≤ q05 and x ≤ q95.
  public static func essTail(_ chains: [[Double]]) -> Double {
    guard isValid(chains) else { return .nan }
    let sorted = chains.flatMap { $0 }.sorted()
    var result = Double.infinity
    for probability in [0.05, 0.95] {
      let cut = quantile(sorted, probability)
      let indicators = chains.map { $0.map { $0 <= cut ? 1.0 : 0.0 } }
      result = min(result, effectiveSampleSize(splitChains(indicators)))
    }
    return result
  }

  /// ESS of the mean: ESS of the split chains without rank normalisation.
  public static func essMean(_ chains: [[Double]]) -> Double {
    guard isValid(chains) else { return .nan }
    return effectiveSampleSize(splitChains(chains))
  }

  /// Monte Carlo standard error of the mean: sd / sqrt(ESS of the mean).
  public static func mcseMean(_ chains: [[Double]]) -> Double {
    guard isValid(chains) else { return .nan }
    let all = chains.flatMap { $0 }
    return standardDeviation(all) / essMean(chains).squareRoot()
  }

  /// Estimated Bayesian fraction of missing information of one chain's energies:
  /// mean squared successive difference over the sample variance (denominator n - 1), as ArviZ.
  public static func eBFMI(energy: [Double]) -> Double {
    guard energy.count >= 2 else { return .nan }
    var squaredSteps = 0.0
    for i in 1..<energy.count { squaredSteps += (energy[i] - energy[i - 1]) * (energy[i] - energy[i - 1]) }
    let mean = energy.reduce(0, +) / Double(energy.count)
    let variance = energy.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(energy.count - 1)
    return (squaredSteps / Double(energy.count - 1)) / variance
  }

  /// One `az.summary` row for the draws of one value.
  public static func summarise(name: String, chains: [[Double]], hdiProbability: Double = 0.94)
    -> ParameterSummary
  {
    let all = chains.flatMap { $0 }
    let interval = hdi(all, probability: hdiProbability)
    return ParameterSummary(
      name: name, mean: all.isEmpty ? .nan : all.reduce(0, +) / Double(all.count), sd: standardDeviation(all),
      hdiLower: interval.lower, hdiUpper: interval.upper, mcseMean: mcseMean(chains),
      essBulk: essBulk(chains), essTail: essTail(chains), rHat: splitRHat(chains))
  }

  // MARK: - Building blocks (internal, tested through the public functions)

  static func isValid(_ chains: [[Double]]) -> Bool {
    guard let first = chains.first, first.count >= 4 else { return false }
    return chains.allSatisfy { $0.count == first.count && $0.allSatisfy { !$0.isNaN } }
  }

  // Each chain cut into its first and last halves (the middle draw dropped when odd).
  static func splitChains(_ chains: [[Double]]) -> [[Double]] {
    let half = chains[0].count / 2
    return chains.map { Array($0.prefix(half)) } + chains.map { Array($0.suffix(half)) }
  }

  // z = Φ⁻¹((r - 3/8) / (S + 1/4)) with r the average rank over all draws of all chains.
  static func rankNormalised(_ chains: [[Double]]) -> [[Double]] {
    let all = chains.flatMap { $0 }
    let count = all.count
    let order = all.indices.sorted { all[$0] < all[$1] }
    var ranks = [Double](repeating: 0, count: count)
    var start = 0
    while start < count {
      var end = start
      while end + 1 < count && all[order[end + 1]] == all[order[start]] { end += 1 }
      let average = Double(start + end) / 2 + 1
      for k in start...end { ranks[order[k]] = average }
      start = end + 1
    }
    let scores = ranks.map { standardNormalQuantile(($0 - 0.375) / (Double(count) + 0.25)) }
    let length = chains[0].count
    return chains.indices.map { Array(scores[($0 * length)..<(($0 + 1) * length)]) }
  }

  // Gelman–Rubin R-hat of equal-length chains.
  static func classicRHat(_ chains: [[Double]]) -> Double {
    let n = Double(chains[0].count)
    let means = chains.map { $0.reduce(0, +) / n }
    let withinVariances = chains.indices.map { sampleVariance(chains[$0], mean: means[$0]) }
    let between = n * sampleVariance(means, mean: means.reduce(0, +) / Double(means.count))
    let within = withinVariances.reduce(0, +) / Double(withinVariances.count)
    return ((between / within + n - 1) / n).squareRoot()
  }

  // ESS with Geyer's initial positive and initial monotone sequences; autocovariances are
  // computed lag by lag (biased, denominator n) only as far as the sequence needs them.
  static func effectiveSampleSize(_ chains: [[Double]]) -> Double {
    let chainCount = chains.count
    let n = chains[0].count
    let nDouble = Double(n)
    let means = chains.map { $0.reduce(0, +) / nDouble }
    let centred = chains.indices.map { c in chains[c].map { $0 - means[c] } }
    func meanAutocovariance(_ lag: Int) -> Double {
      var total = 0.0
      for chain in centred {
        var sum = 0.0
        chain.withUnsafeBufferPointer { x in
          for i in 0..<(n - lag) { sum += x[i] * x[i + lag] }
        }
        total += sum / nDouble
      }
      return total / Double(chainCount)
    }
    let meanVariance = meanAutocovariance(0) * nDouble / (nDouble - 1)
    var variancePlus = meanVariance * (nDouble - 1) / nDouble
    if chainCount > 1 { variancePlus += sampleVariance(means, mean: means.reduce(0, +) / Double(chainCount)) }

    var rho = [Double](repeating: 0, count: n)
    var rhoEven = 1.0
    rho[0] = rhoEven
    var rhoOdd = 1 - (meanVariance - meanAutocovariance(1)) / variancePlus
    rho[1] = rhoOdd
    var t = 1
    while t < n - 3 && rhoEven + rhoOdd > 0 {
      rhoEven = 1 - (meanVariance - meanAutocovariance(t + 1)) / variancePlus
      rhoOdd = 1 - (meanVariance - meanAutocovariance(t + 2)) / variancePlus
      if rhoEven + rhoOdd >= 0 {
        rho[t + 1] = rhoEven
        rho[t + 2] = rhoOdd
      }
      t += 2
    }
    let maxT = t - 2
    if rhoEven > 0 { rho[maxT + 1] = rhoEven }
    t = 1
    while t <= maxT - 2 {
      if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t] {
        rho[t + 1] = (rho[t - 1] + rho[t]) / 2
        rho[t + 2] = rho[t + 1]
      }
      t += 2
    }
    let total = Double(chainCount * n)
    var tau = -1 + 2 * rho[0..<(maxT + 1)].reduce(0, +)  // empty when maxT = -1 (ArviZ)
    if maxT + 1 < n { tau += rho[maxT + 1] }
    tau = max(tau, 1 / Double.log10(total))
    if rho.contains(where: \.isNaN) { return .nan }
    return total / tau
  }

  static func sampleVariance(_ values: [Double], mean: Double) -> Double {
    values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
  }

  static func standardDeviation(_ values: [Double]) -> Double {
    guard values.count >= 2 else { return .nan }
    let mean = values.reduce(0, +) / Double(values.count)
    return sampleVariance(values, mean: mean).squareRoot()
  }

  // Linear-interpolation quantile of sorted values (NumPy's default method).
  static func quantile(_ sorted: [Double], _ probability: Double) -> Double {
    let position = Double(sorted.count - 1) * probability
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
  }

  /// Φ⁻¹(p), the standard normal quantile: Acklam's rational approximation refined by one
  /// Halley step on erfc, accurate to about 1e-15 relative.
  public static func standardNormalQuantile(_ p: Double) -> Double {
    guard p > 0 else { return p == 0 ? -.infinity : .nan }
    guard p < 1 else { return p == 1 ? .infinity : .nan }
    let a = [
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
      -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    let b = [
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
      -1.328068155288572e+01,
    ]
    let c = [
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
      4.374664141464968e+00, 2.938163982698783e+00,
    ]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
      let q = (-2 * Double.log(p)).squareRoot()
      x =
        (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
      let q = p - 0.5
      let r = q * q
      x =
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * Double.log(1 - p)).squareRoot()
      x =
        -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    // Halley refinement: e = Φ(x) - p with Φ(x) = erfc(-x/√2)/2.
    let e = 0.5 * Double.erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * Double.exp(x * x / 2)
    x = x - u / (1 + x * u / 2)
    return x
  }
}
