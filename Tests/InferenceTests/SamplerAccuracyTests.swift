import RealModule
import Testing

@testable import Inference

@Suite("NUTS recovers known posteriors within 4 MCSE")
struct SamplerAccuracyTests {
  static func configuration(tune: Int, draws: Int, seed: UInt64, metric: MetricKind = .diagonal)
    -> SamplerConfiguration
  {
    var configuration = SamplerConfiguration()
    configuration.tune = tune
    configuration.draws = draws
    configuration.seed = seed
    configuration.metric = metric
    return configuration
  }

  @Test("100-dimensional standard normal: every mean 0 and variance 1")
  func hundredDimensionalNormal() throws {
    let posterior = try sampleNUTS(
      IndependentNormalDensity(dimension: 100),
      configuration: Self.configuration(tune: 300, draws: 300, seed: 11))
    #expect(posterior.divergences == 0)
    for column in 0..<100 {
      expectMoments(posterior.draws(column: column), mean: 0, variance: 1, label: "x[\(column + 1)]")
    }
  }

  @Test(
    "Correlated normal (rho 0.99) with diagonal and dense metrics", arguments: [MetricKind.diagonal, .dense])
  func correlatedNormal(metric: MetricKind) throws {
    let posterior = try sampleNUTS(
      MultivariateNormalDensity.correlatedPair(rho: 0.99),
      configuration: Self.configuration(tune: 500, draws: 500, seed: 12, metric: metric))
    #expect(posterior.divergences == 0)
    for column in 0..<2 {
      expectMoments(
        posterior.draws(column: column), mean: 0, variance: 1, label: "x[\(column + 1)] \(metric)")
    }
    // The product x₁x₂ has mean ρ (a check of the correlation, not just the marginals).
    let products = posterior.chains.map { $0.values.map { $0[0] * $0[1] } }
    let meanProduct = products.flatMap { $0 }.reduce(0, +) / Double(products.count * products[0].count)
    #expect(abs(meanProduct - 0.99) < 4 * Diagnostics.mcseMean(products))
    if metric == .dense {
      // A dense metric adapted to Σ makes the target nearly isotropic: short trajectories.
      let meanDepth = Double(posterior.chains.flatMap(\.stats).map(\.treeDepth).reduce(0, +)) / 2000
      #expect(meanDepth < 3)
    }
  }

  // Posterior moments of μ, τ and θ₁ by quadrature over (μ, log τ), with θ marginalised:
  // y_j | μ, τ ~ N(μ, σ_j² + τ²) and θ_j | μ, τ, y ~ N((y_j/σ_j² + μ/τ²)/(1/σ_j² + 1/τ²), 1/(1/σ_j² + 1/τ²)).
  static func eightSchoolsByQuadrature() -> (
    mu: (Double, Double), tau: (Double, Double), theta1: (Double, Double)
  ) {
    let y = EightSchoolsNonCentredDensity.effects
    let sigma = EightSchoolsNonCentredDensity.standardErrors
    var weightSum = 0.0
    var moments = [Double](repeating: 0, count: 6)
    let muGrid = stride(from: -30.0, through: 45.0, by: 0.125)
    let logTauGrid = stride(from: -12.0, through: 7.0, by: 0.025)
    for logTau in logTauGrid {
      let tau = Double.exp(logTau)
      let tau2 = tau * tau
      let logPriorTau = -Double.log(1 + tau2 / 25) + logTau
      for mu in muGrid {
        var logWeight = -0.5 * mu * mu / 25 + logPriorTau
        for j in 0..<8 {
          let variance = sigma[j] * sigma[j] + tau2
          logWeight -= 0.5 * Double.log(variance) + 0.5 * (y[j] - mu) * (y[j] - mu) / variance
        }
        let weight = Double.exp(logWeight + 40)
        let precision = 1 / (sigma[0] * sigma[0]) + 1 / tau2
        let conditionalMean = (y[0] / (sigma[0] * sigma[0]) + mu / tau2) / precision
        weightSum += weight
        moments[0] += weight * mu
        moments[1] += weight * mu * mu
        moments[2] += weight * tau
        moments[3] += weight * tau2
        moments[4] += weight * conditionalMean
        moments[5] += weight * (1 / precision + conditionalMean * conditionalMean)
      }
    }
    let m = moments.map { $0 / weightSum }
    return ((m[0], m[1] - m[0] * m[0]), (m[2], m[3] - m[2] * m[2]), (m[4], m[5] - m[4] * m[4]))
  }

  @Test("Eight schools (non-centred): mu, tau and theta_1 match quadrature")
  func eightSchools() throws {
    var configuration = Self.configuration(tune: 500, draws: 1000, seed: 13)
    configuration.targetAccept = 0.9
    let posterior = try sampleNUTS(EightSchoolsNonCentredDensity(), configuration: configuration)
    let reference = Self.eightSchoolsByQuadrature()
    #expect(posterior.divergences <= 8)
    expectMoments(posterior.draws(named: "mu")!, mean: reference.mu.0, variance: reference.mu.1, label: "mu")
    expectMoments(
      posterior.draws(named: "tau")!, mean: reference.tau.0, variance: reference.tau.1, label: "tau")
    expectMoments(
      posterior.draws(named: "theta[school_1]")!, mean: reference.theta1.0, variance: reference.theta1.1,
      label: "theta[school_1]")
    for row in posterior.summary() { #expect(row.rHat < 1.02, "\(row.name) R-hat \(row.rHat)") }
  }

  @Test("Neal's funnel (non-centred): v ~ N(0, 9) and z ~ N(0, 1)")
  func nealsFunnel() throws {
    let posterior = try sampleNUTS(
      NealsFunnelNonCentredDensity(width: 9),
      configuration: Self.configuration(tune: 300, draws: 500, seed: 14))
    #expect(posterior.divergences == 0)
    expectMoments(posterior.draws(named: "v")!, mean: 0, variance: 9, label: "v")
    for i in 1...9 {
      expectMoments(posterior.draws(named: "z[\(i)]")!, mean: 0, variance: 1, label: "z[\(i)]")
    }
    // x_i = exp(v/2) z_i has median 0: about half the draws are negative.
    let x1 = posterior.draws(named: "x[1]")!.flatMap { $0 }
    let negativeShare = Double(x1.filter { $0 < 0 }.count) / Double(x1.count)
    #expect(abs(negativeShare - 0.5) < 0.06)
  }

  @Test("Adapted step size yields mean acceptance near the 0.8 target")
  func acceptanceNearTarget() throws {
    let posterior = try sampleNUTS(
      IndependentNormalDensity(means: [0, 0, 0, 0], scales: [1, 10, 0.1, 3]),
      configuration: Self.configuration(tune: 500, draws: 500, seed: 15))
    let accept = posterior.chains.flatMap(\.stats).map(\.acceptStat)
    let meanAccept = accept.reduce(0, +) / Double(accept.count)
    #expect(meanAccept > 0.7 && meanAccept < 0.95)
    // The diagonal metric learns the variances 1, 100, 0.01, 9 (within 30%).
    for chain in posterior.chains {
      for (estimate, truth) in zip(chain.inverseMetric, [1.0, 100, 0.01, 9]) {
        #expect(abs(estimate / truth - 1) < 0.3, "inverse metric \(estimate) vs \(truth)")
      }
    }
  }
}
