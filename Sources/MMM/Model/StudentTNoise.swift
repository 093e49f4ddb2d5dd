import RealModule

/// Student-t observation noise with fixed degrees of freedom ν and scale σ (PyMC's `StudentT`
/// likelihood): one residual's log density and its derivatives in the mean and in σ. Shared by the MMM's
/// likelihood and the structural model's equations.
struct StudentTNoise {
  let nu: Double
  let sigma: Double
  /// log Γ((ν + 1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ.
  let constant: Double

  init(nu: Double, sigma: Double) {
    self.nu = nu
    self.sigma = sigma
    constant =
      Double.logGamma((nu + 1) / 2) - Double.logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi)
      - Double.log(sigma)
  }

  /// For residual r = y − μ: log p(y | μ, σ), ∂/∂μ = (ν + 1) r / (ν σ² + r²) and
  /// ∂/∂σ = −1/σ + (ν + 1) r² / (σ (ν σ² + r²)).
  @inline(__always)
  func term(_ r: Double) -> (logDensity: Double, dMean: Double, dSigma: Double) {
    let q = nu * sigma * sigma + r * r
    return (
      constant - (nu + 1) / 2 * Double.log(onePlus: r * r / (nu * sigma * sigma)), (nu + 1) * r / q,
      -1 / sigma + (nu + 1) * r * r / (sigma * q)
    )
  }
}
