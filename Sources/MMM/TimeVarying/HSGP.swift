import RealModule

// A Hilbert-space Gaussian process (Solin & Särkkä 2020; Riutort-Mayol et al. 2023), as PyMC's
// `pm.gp.HSGP` builds it and PyMC-Marketing's `time_varying_intercept` uses it (non-centred, first
// basis function kept): on [-L, L], φ_j(x) = √(1/L) sin(π j (x + L) / (2L)), √λ_j = π j / (2L),
// j = 1..m; β_j = √S(√λ_j) z_j with z_j ~ N(0, 1); f(x) = Σ_j φ_j(x) β_j.

/// The covariance functions PyMC-Marketing's `HSGPKwargs.cov_func` accepts.
public enum HSGPCovariance: String, SpecificationName {
  case expquad
  case matern52
  case matern32
  public static let what = "covariance function"

  /// log √S(ω) for unit amplitude (η = 1) and d(log √S)/d(log ℓ), with PyMC's 1-D spectral densities:
  /// ExpQuad S = √(2π) ℓ exp(−ℓ²ω²/2); Matern52 S = (16/3) 5^(5/2) ℓ (5 + ℓ²ω²)^(−3);
  /// Matern32 S = 4 · 3^(3/2) ℓ (3 + ℓ²ω²)^(−2).
  @inlinable
  public func logSqrtSpectralDensity(omega: Double, lengthscale ell: Double) -> (
    value: Double, dLogLengthscale: Double
  ) {
    let q = ell * ell * omega * omega
    let logEll = Double.log(ell)
    switch self {
    case .expquad:
      return (0.5 * (0.5 * Double.log(2 * Double.pi) + logEll - 0.5 * q), 0.5 - 0.5 * q)
    case .matern52:
      let constant = Double.log(16.0 / 3.0) + 2.5 * Double.log(5.0)
      return (0.5 * (constant + logEll - 3 * Double.log(5 + q)), 0.5 - 3 * q / (5 + q))
    case .matern32:
      let constant = Double.log(4.0) + 1.5 * Double.log(3.0)
      return (0.5 * (constant + logEll - 2 * Double.log(3 + q)), 0.5 - 2 * q / (3 + q))
    }
  }

  /// √(S(ω) / ℓ) for unit amplitude at every frequency into `values`, and d(log √S)/d(log ℓ) into
  /// `slopes` when given, without logarithms or powers (the log density's hot path): ExpQuad
  /// (2π)^¼ e^(−ℓ²ω²/4), Matern52 √(16/3 · 5^(5/2)) (5 + ℓ²ω²)^(−3/2), Matern32 √(4 · 3^(3/2)) / (3 + ℓ²ω²);
  /// multiply by √ℓ (once per lengthscale) for √S. The covariance is chosen once, so each loop is plain
  /// arithmetic the compiler vectorises.
  @inlinable
  public func scaledRootSpectralDensities(
    frequencies: UnsafeBufferPointer<Double>, lengthscale ell: Double,
    values: UnsafeMutableBufferPointer<Double>,
    slopes: UnsafeMutableBufferPointer<Double>?
  ) {
    let ell2 = ell * ell
    let n = frequencies.count
    switch self {
    case .expquad:
      for j in 0..<n {
        let q = ell2 * frequencies[j] * frequencies[j]
        values[j] = 1.583_233_487_086_159_5 * Double.exp(-0.25 * q)
        slopes?[j] = 0.5 - 0.5 * q
      }
    case .matern52:
      for j in 0..<n {
        let a = 5 + ell2 * frequencies[j] * frequencies[j]
        values[j] = 17.266_800_427_409_01 / (a * a.squareRoot())
      }
      if let slopes {
        for j in 0..<n {
          let q = ell2 * frequencies[j] * frequencies[j]
          slopes[j] = 0.5 - 3 * q / (5 + q)
        }
      }
    case .matern32:
      for j in 0..<n { values[j] = 4.559_014_113_909_555 / (3 + ell2 * frequencies[j] * frequencies[j]) }
      if let slopes {
        for j in 0..<n {
          let q = ell2 * frequencies[j] * frequencies[j]
          slopes[j] = 0.5 - 2 * q / (3 + q)
        }
      }
    }
  }

  /// The spectral density S(ω) with amplitude η (η² times the unit density).
  public func spectralDensity(omega: Double, lengthscale: Double, eta: Double) -> Double {
    eta * eta * Double.exp(2 * logSqrtSpectralDensity(omega: omega, lengthscale: lengthscale).value)
  }
}

/// An HSGP over fixed points: the basis matrix (points × m, row-major) and the frequencies √λ_j.
public struct HSGPTerm: Sendable {
  /// Number of basis functions.
  public let m: Int
  /// Half-width of the domain [-L, L] (in units of the centred points).
  public let L: Double
  public let covariance: HSGPCovariance
  /// Number of points.
  public let pointCount: Int
  /// φ_j(x_t) at row t, column j − 1.
  public let basis: [Double]
  /// √λ_j = π j / (2L), j = 1..m.
  public let frequencies: [Double]

  /// φ_j(x) = √(1/L) sin(π j (x + L) / (2L)).
  public static func basisFunction(_ j: Int, at x: Double, L: Double) -> Double {
    (1 / L).squareRoot() * Double.sin(Double.pi * Double(j) * (x + L) / (2 * L))
  }

  /// - Parameters:
  ///   - points: the centred inputs (PyMC-Marketing: time index − time_index_mid); each within [-L, L].
  public init(points: [Double], m: Int, L: Double, covariance: HSGPCovariance) {
    self.m = m
    self.L = L
    self.covariance = covariance
    self.pointCount = points.count
    var basis = [Double](repeating: 0, count: points.count * m)
    for (t, x) in points.enumerated() {
      for j in 1...max(m, 1) where m > 0 { basis[t * m + j - 1] = Self.basisFunction(j, at: x, L: L) }
    }
    self.basis = basis
    self.frequencies = (0..<m).map { Double.pi * Double($0 + 1) / (2 * L) }
  }

  /// The points PyMC's HSGP evaluates the basis at for `dateCount` periods: PyMC-Marketing passes the time
  /// index 0..T−1 minus `_time_index_mid` (T // 2) and `HSGP.prior_linearized` centres again on the
  /// midpoint of the range, so x_t = t − (T − 1)/2 whatever the first shift.
  public static func centredTimeIndex(dateCount: Int) -> [Double] {
    let mid = Double(dateCount - 1) / 2
    return (0..<dateCount).map { Double($0) - mid }
  }

  /// PyMC-Marketing's default L (`create_time_varying_gp_multiplier`): time_index_mid + 365.25 / resolution,
  /// the resolution being the days between the first two dates.
  public static func defaultL(dateCount: Int, resolutionDays: Double) -> Double {
    Double(dateCount / 2) + 365.25 / resolutionDays
  }

  /// β_j = η √S(√λ_j; ℓ) z_j into `beta`; `dLogEll[j]` = ∂β_j/∂(log ℓ).
  @inlinable
  public func coefficients(
    eta: Double, lengthscale: Double, z: UnsafeBufferPointer<Double>,
    beta: UnsafeMutableBufferPointer<Double>,
    dLogEll: UnsafeMutableBufferPointer<Double>
  ) {
    for j in 0..<m {
      let (logSqrtS, slope) = covariance.logSqrtSpectralDensity(
        omega: frequencies[j], lengthscale: lengthscale)
      let b = eta * Double.exp(logSqrtS) * z[j]
      beta[j] = b
      dLogEll[j] = b * slope
    }
  }

  /// f = Φ β into `f` (pointCount values).
  @inlinable
  public func values(beta: UnsafeBufferPointer<Double>, into f: UnsafeMutableBufferPointer<Double>) {
    basis.withUnsafeBufferPointer { phi in
      for t in 0..<pointCount {
        var acc = 0.0
        let row = t * m
        for j in 0..<m { acc += phi[row + j] * beta[j] }
        f[t] = acc
      }
    }
  }

  /// Adds Φᵀ g to `out` (m values): the gradient in β of Σ_t g_t f_t.
  @inlinable
  public func addTransposed(_ g: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
    basis.withUnsafeBufferPointer { phi in
      for t in 0..<pointCount {
        let gt = g[t]
        let row = t * m
        for j in 0..<m { out[j] += phi[row + j] * gt }
      }
    }
  }

  /// The chain rule from ∂/∂β to (η, ℓ, z) in natural units: ∂/∂z_j = g_j β_j / z_j (= g_j η √S_j),
  /// ∂/∂η = Σ g_j β_j / η, ∂/∂ℓ = Σ g_j ∂β_j/∂log ℓ / ℓ. Adds ∂/∂z into `dz`.
  @inlinable
  public func pullBack(
    betaGradient g: UnsafeBufferPointer<Double>, eta: Double, lengthscale: Double,
    beta: UnsafeBufferPointer<Double>, dLogEll: UnsafeBufferPointer<Double>,
    dz: UnsafeMutableBufferPointer<Double>
  ) -> (dEta: Double, dLengthscale: Double) {
    var dLogEta = 0.0
    var dLogEllTotal = 0.0
    for j in 0..<m {
      let (logSqrtS, _) = covariance.logSqrtSpectralDensity(omega: frequencies[j], lengthscale: lengthscale)
      dz[j] += g[j] * eta * Double.exp(logSqrtS)
      dLogEta += g[j] * beta[j]
      dLogEllTotal += g[j] * dLogEll[j]
    }
    return (dLogEta / eta, dLogEllTotal / lengthscale)
  }

  /// f(x_t) for given hyperparameters and standard-normal weights (allocating; for reports and tests).
  public func curve(eta: Double, lengthscale: Double, z: [Double]) -> [Double] {
    var beta = [Double](repeating: 0, count: m)
    var slope = [Double](repeating: 0, count: m)
    var f = [Double](repeating: 0, count: pointCount)
    z.withUnsafeBufferPointer { zp in
      beta.withUnsafeMutableBufferPointer { b in
        slope.withUnsafeMutableBufferPointer { s in
          coefficients(eta: eta, lengthscale: lengthscale, z: zp, beta: b, dLogEll: s)
        }
      }
    }
    beta.withUnsafeBufferPointer { b in f.withUnsafeMutableBufferPointer { values(beta: b, into: $0) } }
    return f
  }
}
