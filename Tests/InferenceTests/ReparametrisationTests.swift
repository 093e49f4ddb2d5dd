import Testing

@testable import Inference

/// Independent normals sampled in coordinates y = x / a, a = 1 until warm-up reparametrises: then a is
/// each coordinate's sample sd over the window, and the positions are handed over as x / a. Reports x.
struct RescalingDensity: LogDensity {
  let target: IndependentNormalDensity
  var scales: [Double]
  let counter: CopyCounter

  var dimension: Int { target.dimension }
  var parameterNames: [String] { target.parameterNames }

  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    let x = reportedPosition(Array(position))
    let (value, dx) = target.valueAndGradient(x)
    for i in 0..<dimension { gradient[i] = dx[i] * scales[i] }
    return value
  }

  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    for (i, x) in reportedPosition(Array(position)).enumerated() { values[i] = x }
  }

  func reparametrised(from positions: [[Double]]) -> (density: RescalingDensity, positions: [[Double]])? {
    counter.increment()
    let xs = positions.map(reportedPosition)
    let n = Double(xs.count)
    let sds = (0..<dimension).map { i -> Double in
      let mean = xs.reduce(0) { $0 + $1[i] } / n
      return (xs.reduce(0) { $0 + ($1[i] - mean) * ($1[i] - mean) } / (n - 1)).squareRoot()
    }
    let changed = RescalingDensity(target: target, scales: sds, counter: counter)
    return (changed, xs.map { x in x.indices.map { x[$0] / sds[$0] } })
  }

  func reportedPosition(_ position: [Double]) -> [Double] {
    position.indices.map { position[$0] * scales[$0] }
  }

  /// Until warm-up has chosen the scales.
  var reparametrisesInWarmup: Bool { scales.allSatisfy { $0 == 1 } }
}

@Suite("Warm-up reparametrisation: a density may change coordinates once per chain")
struct ReparametrisationTests {
  static let target = IndependentNormalDensity(means: [1, -2, 30], scales: [1, 0.01, 50])

  static func configuration(tune: Int, chains: Int = 2, subset: [Int]? = nil) -> SamplerConfiguration {
    var configuration = SamplerConfiguration()
    (configuration.chains, configuration.tune, configuration.draws, configuration.seed) = (
      chains, tune, 1000, 9
    )
    configuration.chainIndices = subset
    configuration.maxThreads = 1
    return configuration
  }

  @Test("the reparametrisation comes at the last but one metric update: iteration 450 of 1000")
  func schedule() {
    #expect(AdaptationWindows(warmup: 1000).reparametrisationUpdate == 4)
    #expect(AdaptationWindows(warmup: 150).reparametrisationUpdate == 0)
    #expect(AdaptationWindows(warmup: 10).reparametrisationUpdate == 0)
  }

  @Test("once per chain; the chains report the target's coordinates and sample it")
  func reportsTheTarget() throws {
    let counter = CopyCounter()
    let density = RescalingDensity(target: Self.target, scales: [1, 1, 1], counter: counter)
    let posterior = try sampleNUTS(density, configuration: Self.configuration(tune: 1000))
    #expect(counter.count == 2)
    // Reported unconstrained draws are x (the target's coordinates), equal to the reported values.
    for chain in posterior.chains {
      #expect(chain.unconstrained == chain.values)
      // The metric was re-estimated in the rescaled coordinates, where every variance is near 1.
      for variance in chain.inverseMetric {
        #expect(variance > 0.5 && variance < 2, "\(chain.inverseMetric)")
      }
    }
    for (summary, (mean, scale)) in zip(posterior.summary(), zip(Self.target.means, Self.target.scales)) {
      #expect(abs(summary.mean - mean) < 4 * summary.mcseMean, "\(summary.name): \(summary.mean)")
      #expect(abs(summary.sd / scale - 1) < 0.1, "\(summary.name): sd \(summary.sd)")
    }
  }

  @Test("too short a warm-up keeps the coordinates")
  func shortWarmupKeeps() throws {
    let counter = CopyCounter()
    let density = RescalingDensity(target: Self.target, scales: [1, 1, 1], counter: counter)
    _ = try sampleNUTS(density, configuration: Self.configuration(tune: 150))
    #expect(counter.count == 0)
  }

  @Test("a chain run alone reparametrises as it does among others: the same draws")
  func chainAloneIsTheSameChain() throws {
    let density = RescalingDensity(target: Self.target, scales: [1, 1, 1], counter: CopyCounter())
    let full = try sampleNUTS(density, configuration: Self.configuration(tune: 400, chains: 3))
    let alone = try sampleNUTS(density, configuration: Self.configuration(tune: 400, chains: 3, subset: [1]))
    #expect(alone.chains[0].unconstrained == full.chains[1].unconstrained)
    #expect(alone.chains[0].stats == full.chains[1].stats)
    #expect(alone.chains[0].inverseMetric == full.chains[1].inverseMetric)
  }

  @Test(
    "before the change of coordinates warm-up trajectories stop at warmupMaxTreeDepth; after it, and in every kept draw, at maxTreeDepth"
  )
  func warmupDepthCap() throws {
    func run(_ cap: Int) throws -> Chain {
      var configuration = Self.configuration(tune: 1000, chains: 1)
      configuration.warmupMaxTreeDepth = cap
      let density = RescalingDensity(target: Self.target, scales: [1, 1, 1], counter: CopyCounter())
      return try sampleNUTS(density, configuration: configuration).chains[0]
    }
    // Scales 0.01 and 50 under a unit metric: the unadapted trajectories need far more than one step.
    let capped = try run(1)
    let free = try run(10)
    #expect(capped.warmupLeapfrogSteps < free.warmupLeapfrogSteps)
    #expect(capped.stats.contains { $0.treeDepth > 1 }, "kept draws use the full depth")
  }

  @Test("a dense metric ignores warmupMaxTreeDepth: the same draws")
  func noCapWithDenseMetric() throws {
    func run(_ cap: Int) throws -> Chain {
      var configuration = Self.configuration(tune: 400, chains: 1)
      configuration.metric = .dense
      configuration.warmupMaxTreeDepth = cap
      let density = RescalingDensity(target: Self.target, scales: [1, 1, 1], counter: CopyCounter())
      return try sampleNUTS(density, configuration: configuration).chains[0]
    }
    let capped = try run(1)
    let free = try run(10)
    let sameDraws = capped.unconstrained == free.unconstrained
    #expect(sameDraws)
    #expect(capped.warmupLeapfrogSteps == free.warmupLeapfrogSteps)
  }

  @Test("a density that keeps its coordinates ignores warmupMaxTreeDepth: the same draws")
  func noCapWithoutReparametrisation() throws {
    var capped = Self.configuration(tune: 400, chains: 1)
    capped.warmupMaxTreeDepth = 1
    let a = try sampleNUTS(Self.target, configuration: capped)
    let b = try sampleNUTS(Self.target, configuration: Self.configuration(tune: 400, chains: 1))
    #expect(a.chains[0].unconstrained == b.chains[0].unconstrained)
    #expect(a.chains[0].warmupLeapfrogSteps == b.chains[0].warmupLeapfrogSteps)
  }
}
