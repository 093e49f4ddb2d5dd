import CausalMMMCore
import RealModule
import Testing

@testable import Inference

/// A density with the metric blocks a test names, otherwise the wrapped density.
struct BlockedDensity<Base: LogDensity>: LogDensity {
  let base: Base
  let metricBlocks: [[Int]]
  var dimension: Int { base.dimension }
  var parameterNames: [String] { base.parameterNames }
  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    base.logDensity(at: position, gradient: gradient)
  }
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    base.constrain(position, into: values)
  }
}

/// A standard normal in `dimension` coordinates.
struct WideNormalDensity: LogDensity {
  let dimension: Int
  var parameterNames: [String] { (0..<dimension).map { "x\($0)" } }
  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    var total = 0.0
    for i in 0..<dimension {
      total -= 0.5 * position[i] * position[i]
      gradient[i] = -position[i]
    }
    return total
  }
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<dimension { values[i] = position[i] }
  }
}

@Suite("Block-diagonal metric")
struct MetricTests {
  @Test("a dense metric too large for memory is refused, with the figures, before anything is allocated")
  func denseMetricMemory() throws {
    let gigabyte: UInt64 = 1_000_000_000
    // 10,000 coordinates: 8 x 10^8 bytes per matrix, 5 per running chain (2) and one kept per chain (4).
    #expect(throws: InferenceError.self) {
      try checkMetricMemory(
        dimension: 10_000, kind: .dense, blocks: [], runningChains: 2, chains: 4, available: 8 * gigabyte)
    }
    do {
      try checkMetricMemory(
        dimension: 10_000, kind: .dense, blocks: [], runningChains: 2, chains: 4, available: 8 * gigabyte)
    } catch {
      #expect(
        "\(error)".contains("metric dense over 10000 coordinates needs about 11.2 GB")
          && "\(error)".contains("this machine has 8.0 GB"), "\(error)")
    }
    // The same model with a block metric (a 40-coordinate population block) or a diagonal one fits.
    try checkMetricMemory(
      dimension: 10_000, kind: .blockDiagonal, blocks: [Array(0..<40)], runningChains: 2, chains: 4,
      available: 8 * gigabyte)
    try checkMetricMemory(
      dimension: 10_000, kind: .diagonal, blocks: [], runningChains: 2, chains: 4, available: 8 * gigabyte)
    // 14 GB fits where 11.2 GB is within 80% of it.
    try checkMetricMemory(
      dimension: 10_000, kind: .dense, blocks: [], runningChains: 2, chains: 4, available: 14 * gigabyte)
    // sampleNUTS refuses before any chain allocates its matrices (60,000 coordinates: about 400 GB).
    var configuration = SamplerConfiguration()
    configuration.metric = .dense
    #expect(throws: InferenceError.self) {
      _ = try sampleNUTS(WideNormalDensity(dimension: 60_000), configuration: configuration)
    }
  }

  // Two pairs with correlation 0.99 and -0.95, and a fifth independent coordinate of scale 3.
  static let covariance: [Double] = [
    1, 0.99, 0, 0, 0,
    0.99, 1, 0, 0, 0,
    0, 0, 4, -0.95 * 2 * 0.5, 0,
    0, 0, -0.95 * 2 * 0.5, 0.25, 0,
    0, 0, 0, 0, 9,
  ]

  @Test("Velocity is M⁻¹p and momenta have covariance M, block by block")
  func velocityAndMomentumMatchTheMatrix() {
    // M⁻¹: blocks {0, 3} and {1, 2, 4}, coordinate 5 diagonal (6 coordinates, blocks not contiguous).
    let metric = EuclideanMetric(dimension: 6, kind: .blockDiagonal, blocks: [[3, 0], [1, 4, 2]])
    let first: [Double] = [2, 0.6, 0.6, 0.5]  // rows of coordinates (0, 3)
    let second: [Double] = [1, 0.2, 0.1, 0.2, 2, 0.3, 0.1, 0.3, 0.5]  // coordinates (1, 2, 4)
    var estimate = [Double](repeating: 0, count: 6 + 4 + 9)
    estimate[5] = 1.7
    for i in 0..<4 { estimate[6 + i] = first[i] }
    for i in 0..<9 { estimate[10 + i] = second[i] }
    #expect(estimate.withUnsafeBufferPointer { metric.setInverse($0.baseAddress!) })
    // The full 6×6 M⁻¹ written out by hand.
    var full = [Double](repeating: 0, count: 36)
    for (r, a) in [0, 3].enumerated() {
      for (c, b) in [0, 3].enumerated() { full[a * 6 + b] = first[r * 2 + c] }
    }
    for (r, a) in [1, 2, 4].enumerated() {
      for (c, b) in [1, 2, 4].enumerated() { full[a * 6 + b] = second[r * 3 + c] }
    }
    full[5 * 6 + 5] = 1.7
    let p: [Double] = [0.3, -1.2, 0.7, 2.0, -0.4, 1.1]
    var velocity = [Double](repeating: 0, count: 6)
    p.withUnsafeBufferPointer { pp in
      velocity.withUnsafeMutableBufferPointer { metric.velocity(pp.baseAddress!, into: $0.baseAddress!) }
    }
    for i in 0..<6 {
      let expected = (0..<6).map { full[i * 6 + $0] * p[$0] }.reduce(0, +)
      #expect(abs(velocity[i] - expected) < 1e-14)
    }
    #expect(metric.inverseDiagonal == [2, 1, 2, 0.5, 0.5, 1.7])
    // Cov(p) = M: check M⁻¹ Cov(p) ≈ I from 200,000 draws.
    var generator = Xoshiro256StarStar.stream(seed: 5, index: 0)
    var momentum = [Double](repeating: 0, count: 6)
    var second2 = [Double](repeating: 0, count: 36)
    let n = 200_000
    for _ in 0..<n {
      momentum.withUnsafeMutableBufferPointer {
        metric.sampleMomentum(into: $0.baseAddress!, using: &generator)
      }
      for i in 0..<6 { for j in 0..<6 { second2[i * 6 + j] += momentum[i] * momentum[j] / Double(n) } }
    }
    for i in 0..<6 {
      for j in 0..<6 {
        let product = (0..<6).map { full[i * 6 + $0] * second2[$0 * 6 + j] }.reduce(0, +)
        #expect(abs(product - (i == j ? 1 : 0)) < 0.02, "(M⁻¹ Cov p)[\(i),\(j)] = \(product)")
      }
    }
  }

  @Test("The block estimate is Stan's regularised covariance with off-diagonals shrunk by n/(n+k)")
  func blockEstimateIsTheShrunkCovariance() {
    let estimator = MetricEstimator(dimension: 3, kind: .blockDiagonal, blocks: [[0, 2]])
    let draws: [[Double]] = [[1, 10, 2], [2, 20, 5], [4, 40, 7], [7, 70, 6], [3, 30, 1]]
    for draw in draws { draw.withUnsafeBufferPointer { estimator.add($0.baseAddress!) } }
    let estimate = estimator.regularisedEstimate()
    func covariance(_ a: Int, _ b: Int) -> Double {
      let ma = draws.map { $0[a] }.reduce(0, +) / 5
      let mb = draws.map { $0[b] }.reduce(0, +) / 5
      return draws.map { ($0[a] - ma) * ($0[b] - mb) }.reduce(0, +) / 4
    }
    let (shrink, ridge, offDiagonal) = (5.0 / 10, 1e-3 * 5 / 10, 5.0 / 7)
    #expect(abs(estimate[1] - (shrink * covariance(1, 1) + ridge)) < 1e-12)
    #expect(abs(estimate[3] - (shrink * covariance(0, 0) + ridge)) < 1e-12)
    #expect(abs(estimate[4] - shrink * covariance(0, 2) * offDiagonal) < 1e-12)
    #expect(abs(estimate[5] - shrink * covariance(2, 0) * offDiagonal) < 1e-12)
    #expect(abs(estimate[6] - (shrink * covariance(2, 2) + ridge)) < 1e-12)
  }

  @Test("A block metric without blocks draws exactly what the diagonal metric draws")
  func noBlocksIsTheDiagonalMetric() throws {
    let density = MultivariateNormalDensity(mean: [0, 0, 0, 0, 0], covariance: Self.covariance)
    let diagonal = try sampleNUTS(
      density, configuration: SamplerAccuracyTests.configuration(tune: 150, draws: 50, seed: 3))
    let block = try sampleNUTS(
      BlockedDensity(base: density, metricBlocks: []),
      configuration: SamplerAccuracyTests.configuration(tune: 150, draws: 50, seed: 3, metric: .blockDiagonal)
    )
    for (a, b) in zip(diagonal.chains, block.chains) {
      #expect(a.values == b.values)
      #expect(a.inverseMetric == b.inverseMetric)
    }
  }

  @Test("Blocks over the correlated pairs recover the moments with short trajectories")
  func correlatedBlocksAreRecovered() throws {
    let density = BlockedDensity(
      base: MultivariateNormalDensity(mean: [1, -1, 0, 2, 0], covariance: Self.covariance),
      metricBlocks: [[0, 1], [2, 3]])
    let posterior = try sampleNUTS(
      density,
      configuration: SamplerAccuracyTests.configuration(
        tune: 500, draws: 500, seed: 21, metric: .blockDiagonal))
    #expect(posterior.divergences == 0)
    for (i, mean) in [1.0, -1, 0, 2, 0].enumerated() {
      expectMoments(
        posterior.draws(column: i), mean: mean, variance: Self.covariance[i * 5 + i], label: "x[\(i)]")
    }
    let products = posterior.chains.map { $0.values.map { ($0[0] - 1) * ($0[1] + 1) } }
    let meanProduct = products.flatMap { $0 }.reduce(0, +) / Double(products.count * products[0].count)
    #expect(abs(meanProduct - 0.99) < 4 * Diagnostics.mcseMean(products))
    // Diagonal adaptation alone cannot undo a 0.99 correlation; the blocks make the target nearly isotropic.
    let depths = posterior.chains.flatMap(\.stats).map(\.treeDepth)
    let meanDepth = Double(depths.reduce(0, +)) / Double(depths.count)
    #expect(meanDepth < 3)
    let diagonal = try sampleNUTS(
      density, configuration: SamplerAccuracyTests.configuration(tune: 500, draws: 500, seed: 21))
    let diagonalDepths = diagonal.chains.flatMap(\.stats).map(\.treeDepth)
    #expect(Double(diagonalDepths.reduce(0, +)) / Double(diagonalDepths.count) > meanDepth + 1)
  }
}
