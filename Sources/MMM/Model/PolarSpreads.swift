import RealModule

/// The two spreads of each rotated pair (`ParameterLayout.Source.rotated`: a saturation's lam and beta
/// pooled over geos) sampled in polar coordinates: ρ = log r and ψ = logit(2φ / π), where τ_first = r cos φ
/// and τ_second = r sin φ, in place of the model's log τ_first and log τ_second.
///
/// The data inform a geo's product, whose spread is r = √(τ_first² + τ_second²); how r splits between the
/// two (the angle φ) they hardly inform. In the model's log-spreads the posterior then lies along the curve
/// log(e^(2a) + e^(2b)) = const, an L that runs to −∞ in each spread: each spread has a sharp upper edge
/// (log r) and a long lower tail, and a trajectory must turn the corner to cross from one arm to the other.
/// On the 60-geo panel r's draws had a lag-1 autocorrelation of 0.11-0.40 while the angle spread over
/// (0.03, 1.53) of (0, π/2) and the spreads themselves mixed at 0.24-0.69. In (ρ, ψ) the ridge is straight;
/// with equal half-normal priors on the two spreads, ψ's prior is the standard logistic and independent of r.
///
/// A sampler point x holds ρ in the first spread's coordinate and ψ in the second's; the model's coordinates
/// are u = (A − shift) / scale with A = ρ + log cos φ, B = ρ + log sin φ. The density on x is the model's
/// at u times |∂u/∂x| = φ′ / (sin φ cos φ scale_first scale_second), φ′ = dφ/dψ = (π/2) σ(ψ) σ(−ψ).
struct PolarSpreads: Sendable {
  struct Pair: Sendable, Hashable {
    /// The first spread's coordinate (ρ on the sampler's side).
    let first: Int
    /// The second spread's coordinate (ψ on the sampler's side).
    let second: Int
  }

  let pairs: [Pair]

  /// No pairs: the model's log-spreads.
  static let none = PolarSpreads(pairs: [])

  private init(pairs: [Pair]) { self.pairs = pairs }

  var isEmpty: Bool { pairs.isEmpty }

  /// Every rotated pair of the layout, once.
  init(_ layout: ParameterLayout) {
    var seen = Set<Pair>()
    var pairs: [Pair] = []
    for source in layout.sources {
      guard case .rotated(_, let spread, let partner, _, _, let sign) = source, sign < 0 else { continue }
      let pair = Pair(first: spread, second: partner)
      if seen.insert(pair).inserted { pairs.append(pair) }
    }
    self.pairs = pairs
  }

  /// The angle's pieces at ψ: sin φ and cos φ (each as the sine of its own angle, φ = (π/2) σ(ψ) and
  /// π/2 − φ = (π/2) σ(−ψ), so neither cancels near a corner), log φ′, and σ(−ψ) − σ(ψ) = d log φ′/dψ.
  @inline(__always)
  private static func angle(_ psi: Double) -> (sin: Double, cos: Double, logSlope: Double, dLogSlope: Double)
  {
    let up = 1 / (1 + Double.exp(-psi))
    let down = 1 / (1 + Double.exp(psi))
    let halfPi = Double.pi / 2
    // log σ(ψ) + log σ(−ψ) = −|ψ| − 2 log(1 + e^(−|ψ|)).
    let logSlope = Double.log(halfPi) - abs(psi) - 2 * Double.log(onePlus: Double.exp(-abs(psi)))
    return (Double.sin(halfPi * up), Double.sin(halfPi * down), logSlope, down - up)
  }

  /// Writes the model's spread coordinates for sampler point `x` into `u` (whose other coordinates the
  /// caller has copied) and returns the log-Jacobian log |∂u/∂x|.
  func modelPoint(
    _ x: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>, layout: ParameterLayout
  ) -> Double {
    var logJacobian = 0.0
    for pair in pairs {
      let rho = x[pair.first]
      let (sine, cosine, logSlope, _) = Self.angle(x[pair.second])
      let a = layout.coordinates[pair.first]
      let b = layout.coordinates[pair.second]
      u[pair.first] = (rho + Double.log(cosine) - a.shift) / a.scale
      u[pair.second] = (rho + Double.log(sine) - b.shift) / b.scale
      logJacobian +=
        logSlope - Double.log(sine) - Double.log(cosine) - Double.log(a.scale) - Double.log(b.scale)
    }
    return logJacobian
  }

  /// The sampler's coordinates of a point `u` of the model's (the inverse of `modelPoint`), in place.
  func samplerPoint(_ u: inout [Double], layout: ParameterLayout) {
    for pair in pairs {
      let a = u.withUnsafeBufferPointer { layout.z($0, pair.first) }
      let b = u.withUnsafeBufferPointer { layout.z($0, pair.second) }
      let top = max(a, b)
      let ea = Double.exp(a - top)
      let eb = Double.exp(b - top)
      u[pair.first] = top + 0.5 * Double.log(ea * ea + eb * eb)
      // φ = atan2(τ_second, τ_first), π/2 − φ = atan2(τ_first, τ_second).
      u[pair.second] = Double.log(Double.atan2(y: eb, x: ea)) - Double.log(Double.atan2(y: ea, x: eb))
    }
  }

  /// Turns the gradient at the model's point into the gradient at the sampler's point `x` (in place), the
  /// log-Jacobian's included: with g_A, g_B the derivatives in log τ_first and log τ_second,
  /// ∂/∂ρ = g_A + g_B and ∂/∂ψ = φ′ (cot φ g_B − tan φ g_A) + σ(−ψ) − σ(ψ) + φ′ (tan φ − cot φ).
  func pullBack(
    _ x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>, layout: ParameterLayout
  ) {
    for pair in pairs {
      let (sine, cosine, logSlope, dLogSlope) = Self.angle(x[pair.second])
      let slope = Double.exp(logSlope)
      let gA = gradient[pair.first] / layout.coordinates[pair.first].scale
      let gB = gradient[pair.second] / layout.coordinates[pair.second].scale
      let tangent = sine / cosine
      let cotangent = cosine / sine
      gradient[pair.first] = gA + gB
      gradient[pair.second] =
        slope * (cotangent * gB - tangent * gA) + dLogSlope + slope * (tangent - cotangent)
    }
  }
}
