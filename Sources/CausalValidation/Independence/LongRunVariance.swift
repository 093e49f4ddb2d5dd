import RealModule

// The long-run variance of a mean-zero score series s_t (the spectral density at frequency zero
// times 2π): what a heteroskedasticity-and-autocorrelation-consistent (HAC) standard error needs.
//
// Plain Newey–West with a fixed lag such as floor(4 (T/100)^(2/9)) badly underestimates it for
// persistent series (at ρ = 0.9 in both variables the score's first autocorrelation is about 0.81,
// and the test then rejects a true independence about a third of the time at T = 520). Andrews and
// Monahan (1992): prewhiten with a fitted AR(1), s_t = φ s_{t-1} + e_t, estimate the long-run
// variance of e with the Bartlett kernel and Andrews' (1991) AR(1) plug-in bandwidth
//     S_T = 1.1447 (α(1) T)^{1/3},   α(1) = 4ρ² / ((1 - ρ)² (1 + ρ)²),
// with ρ the first autocorrelation of e, and recolour: Ω_s = Ω_e / (1 - φ)².
// φ is clipped to ±0.97 (Andrews and Monahan's safeguard against recolouring by a near-unit root).
//
// Two small-sample refinements keep the level near nominal for persistent series (see
// scripts/validation/dag_test_calibration.sh): φ is bias-corrected (Kendall 1954: the least-squares
// AR(1) coefficient is biased down by about (1 + 3φ)/T), and the t-statistic is referred to Student's
// t with the degrees of freedom ν of a scaled chi-square matching the estimator's relative variance
// (delta method): var(Ω̂_s)/Ω_s² ≈ 4 var(φ̂)/(1 - φ)² + (4/3) S_T/T, the first term from the recolouring
// factor 1/(1 - φ)² with the heteroskedasticity-robust var(φ̂) = Σ s_{t-1}² e_t² / (Σ s_{t-1}²)² (the
// score is a product of two series, far from Gaussian), the second the Bartlett estimator's own
// variance (Andrews 1991: 2 ∫k² S_T/T); ν = 2 / (relative variance).

// The score of the residual regression is a product s_t = x_t u_t. Fitting its AR(1) coefficient
// directly is noisy and biased far beyond Kendall's correction (a product of Gaussian series has heavy
// tails: at ρ = 0.9 and T = 520 the fitted coefficient averages 0.78 against 0.81, with twice the
// Gaussian spread), so ``prewhitenedProduct(_:_:)`` takes the prewhitening coefficient as the product
// of the two factors' bias-corrected AR(1) coefficients (the score's exact AR(1) coefficient when x
// and u are independent AR(1) series, as under the null), with var(φ̂) by the delta method. Recolouring
// is consistent whatever the φ (e = (1 - φL) s exactly, and the kernel estimator handles what whitening
// leaves), so the choice only changes the finite-sample behaviour: level 0.06 instead of 0.11 at
// ρ = 0.9, T = 104.

/// Long-run variance estimators for the HAC standard errors of the data tests.
public enum LongRunVariance {
  /// The largest |φ| the prewhitening AR(1) may take.
  public static let maximumPrewhiteningCoefficient = 0.97

  /// The Bartlett-kernel long-run variance of `series` (taken as mean zero) with bandwidth `bandwidth`:
  /// γ₀ + 2 Σ_{1 ≤ j < S} (1 - j/S) γ_j, with γ_j = Σ_t s_t s_{t-j} / T.
  public static func bartlett(_ series: [Double], bandwidth: Double) -> Double {
    let count = series.count
    guard count > 0 else { return 0 }
    var total = autocovariance(series, lag: 0)
    var lag = 1
    while Double(lag) < bandwidth && lag < count {
      total += 2 * (1 - Double(lag) / bandwidth) * autocovariance(series, lag: lag)
      lag += 1
    }
    return max(total, 0)
  }

  /// Andrews' (1991) AR(1) plug-in bandwidth for the Bartlett kernel.
  public static func andrewsBandwidth(_ series: [Double]) -> Double {
    let count = series.count
    guard count > 2 else { return 1 }
    let rho = min(max(firstAutoregression(series), -0.97), 0.97)
    let alpha = 4 * rho * rho / ((1 - rho) * (1 - rho) * (1 + rho) * (1 + rho))
    return 1.1447 * Double.pow(alpha * Double(count), 1.0 / 3.0)
  }

  /// The long-run variance of `series` (mean zero) by AR(1) prewhitening (bias-corrected φ), Bartlett
  /// kernel with Andrews' bandwidth on the whitened series, and recolouring (Andrews and Monahan 1992),
  /// with the degrees of freedom ν of its approximate scaled chi-square distribution.
  public static func prewhitened(_ series: [Double]) -> (value: Double, degreesOfFreedom: Double) {
    let count = Double(series.count)
    guard series.count > 3 else { return (autocovariance(series, lag: 0), count) }
    let phi = biasCorrectedAutoregression(series)
    var lagged = 0.0
    var weighted = 0.0
    for t in 1..<series.count {
      let e = series[t] - phi * series[t - 1]
      lagged += series[t - 1] * series[t - 1]
      weighted += series[t - 1] * series[t - 1] * e * e
    }
    return recoloured(series, phi: phi, phiVariance: lagged > 0 ? weighted / (lagged * lagged) : 0)
  }

  /// The long-run variance of the product series x_t y_t (mean zero), prewhitened with φ = φ_x φ_y
  /// (each bias-corrected), with its degrees of freedom.
  public static func prewhitenedProduct(_ x: [Double], _ y: [Double]) -> (
    value: Double, degreesOfFreedom: Double
  ) {
    let series = zip(x, y).map { $0 * $1 }
    let count = Double(series.count)
    guard series.count > 3 else { return (autocovariance(series, lag: 0), count) }
    let phiX = biasCorrectedAutoregression(x)
    let phiY = biasCorrectedAutoregression(y)
    let phi = min(max(phiX * phiY, -maximumPrewhiteningCoefficient), maximumPrewhiteningCoefficient)
    let phiVariance = (phiY * phiY * (1 - phiX * phiX) + phiX * phiX * (1 - phiY * phiY)) / count
    return recoloured(series, phi: phi, phiVariance: phiVariance)
  }

  // Whitens with φ, applies the Bartlett kernel at Andrews' bandwidth, recolours, and converts the
  // estimator's relative variance into degrees of freedom.
  static func recoloured(_ series: [Double], phi: Double, phiVariance: Double) -> (
    value: Double, degreesOfFreedom: Double
  ) {
    let count = Double(series.count)
    let whitened = (1..<series.count).map { series[$0] - phi * series[$0 - 1] }
    let bandwidth = andrewsBandwidth(whitened)
    let omega = bartlett(whitened, bandwidth: bandwidth)
    let relativeVariance = 4 * phiVariance / ((1 - phi) * (1 - phi)) + 4.0 / 3.0 * bandwidth / count
    let degrees = relativeVariance > 0 ? max(1, min(count, 2 / relativeVariance)) : count
    return (omega / ((1 - phi) * (1 - phi)), degrees)
  }

  // The AR(1) coefficient with Kendall's bias correction, clipped to the prewhitening bound.
  static func biasCorrectedAutoregression(_ series: [Double]) -> Double {
    let raw = firstAutoregression(series)
    return min(
      max(raw + (1 + 3 * raw) / Double(series.count), -maximumPrewhiteningCoefficient),
      maximumPrewhiteningCoefficient)
  }

  /// The least-squares AR(1) coefficient without intercept: Σ s_t s_{t-1} / Σ s_{t-1}².
  static func firstAutoregression(_ series: [Double]) -> Double {
    var numerator = 0.0
    var denominator = 0.0
    for t in 1..<series.count {
      numerator += series[t] * series[t - 1]
      denominator += series[t - 1] * series[t - 1]
    }
    return denominator > 0 ? numerator / denominator : 0
  }

  static func autocovariance(_ series: [Double], lag: Int) -> Double {
    var sum = 0.0
    for t in lag..<series.count { sum += series[t] * series[t - lag] }
    return sum / Double(series.count)
  }
}
