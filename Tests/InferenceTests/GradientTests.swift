import CausalMMMCore
import Testing

@testable import Inference

@Suite("Hand-derived gradients agree with finite differences")
struct GradientTests {
  static func check<D: LogDensity>(_ density: D, seed: UInt64) {
    var generator = Xoshiro256StarStar(seed: seed)
    for _ in 0..<3 {
      let point = (0..<density.dimension).map { _ in 2 * generator.nextNormal() }
      let analytic = density.valueAndGradient(point).gradient
      let numeric = finiteDifferenceGradient(density, at: point)
      for i in 0..<point.count {
        #expect(abs(analytic[i] - numeric[i]) <= 1e-5 * max(1, abs(numeric[i])), "coordinate \(i)")
      }
    }
  }

  @Test func independentNormalGradient() {
    Self.check(IndependentNormalDensity(means: [1, -2, 0.5], scales: [0.3, 2, 1]), seed: 1)
  }

  @Test func correlatedNormalGradient() {
    Self.check(
      MultivariateNormalDensity(mean: [1, 0, -1], covariance: [2, 0.5, 0.1, 0.5, 1, 0.3, 0.1, 0.3, 0.5]),
      seed: 2)
  }

  @Test func eightSchoolsGradient() { Self.check(EightSchoolsNonCentredDensity(), seed: 3) }

  @Test func funnelGradient() { Self.check(NealsFunnelNonCentredDensity(width: 9), seed: 4) }

  @Test func rosenbrockGradient() { Self.check(RosenbrockDensity(), seed: 5) }

  @Test("Multivariate normal log density equals the closed-form quadratic form")
  func multivariateNormalValue() {
    // Σ = [[1, ρ], [ρ, 1]] ⇒ Σ⁻¹ = [[1, -ρ], [-ρ, 1]] / (1 - ρ²).
    let rho = 0.99
    let density = MultivariateNormalDensity.correlatedPair(rho: rho)
    let (x, y) = (0.3, -0.7)
    let expected = -0.5 * (x * x - 2 * rho * x * y + y * y) / (1 - rho * rho)
    #expect(abs(density.valueAndGradient([x, y]).value - expected) < 1e-9)
  }
}
