import CausalMMMCore
import Dispatch
import Foundation
import RealModule

/// Draws from `density` with the No-U-Turn sampler, Stan-style: multinomial NUTS with the
/// generalized no-U-turn criterion, dual-averaging step size, and windowed adaptation of a
/// diagonal, dense or block-diagonal metric during `tune` warm-up iterations.
///
/// Chains run in parallel on up to `configuration.maxThreads` threads. Chain k draws from
/// stream k of `configuration.seed` (`Xoshiro256StarStar.stream`), so the draws are
/// bit-identical for a given seed whatever the number of cores or the scheduling.
///
/// - Parameters:
///   - density: the target, on the unconstrained scale.
///   - configuration: chains, iterations, adaptation and output settings.
/// - Returns: the kept draws of every chain with their statistics and timing.
/// - Throws: an error describing an invalid configuration, or a chain that found no finite
///   starting point after `configuration.initialisationAttempts` tries.
public func sampleNUTS<D: LogDensity>(_ density: D, configuration: SamplerConfiguration) throws -> Posterior {
  try validate(configuration, dimension: density.dimension)
  let start = DispatchTime.now().uptimeNanoseconds
  // The chains to run: all of them, or the subset `chainIndices` names (same streams, same starts).
  let indices = configuration.chainIndices ?? Array(0..<configuration.chains)
  let chainCount = indices.count
  let threads = max(
    1, min(chainCount, configuration.maxThreads ?? ProcessInfo.processInfo.activeProcessorCount))
  let progress = ProgressDisplay(
    chains: chainCount, iterations: configuration.tune + configuration.draws,
    enabled: configuration.showProgress)
  // The cores the chains' gradients may split over: a chain left running alone takes the idle ones.
  let share = CoreShare(cores: configuration.maxThreads ?? ProcessInfo.processInfo.activeProcessorCount)
  let sharing = density.sharingCores(share)
  try checkMetricMemory(
    dimension: density.dimension, kind: configuration.metric, blocks: density.metricBlocks,
    runningChains: threads, chains: chainCount, available: ProcessInfo.processInfo.physicalMemory)
  // Worker w runs chains w, w + threads, ...
  let results = parallelMap(chainCount, threads: threads) { slot -> Result<Chain, any Error> in
    share.chainStarted()
    defer { share.chainFinished() }
    return Result {
      try runChain(
        sharing, configuration: configuration, chainIndex: indices[slot], progressSlot: slot,
        progress: progress)
    }
  }
  progress.finish()
  var chains: [Chain] = []
  for result in results { chains.append(try result.get()) }
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  return Posterior(
    parameterNames: density.parameterNames, chains: chains, configuration: configuration, seconds: seconds,
    chainIndices: indices)
}

private func validate(_ configuration: SamplerConfiguration, dimension: Int) throws {
  guard dimension > 0 else { throw InferenceError.emptyModel }
  guard configuration.chains >= 1 else {
    throw InferenceError.invalidConfiguration("chains must be at least 1")
  }
  guard configuration.draws >= 1 else {
    throw InferenceError.invalidConfiguration("draws must be at least 1")
  }
  guard configuration.tune >= 0 else {
    throw InferenceError.invalidConfiguration("tune must not be negative")
  }
  guard configuration.targetAccept > 0, configuration.targetAccept < 1 else {
    throw InferenceError.invalidConfiguration(
      "targetAccept must lie in (0, 1), got \(configuration.targetAccept)")
  }
  guard configuration.maxTreeDepth >= 1 else {
    throw InferenceError.invalidConfiguration("maxTreeDepth must be at least 1")
  }
  guard configuration.warmupMaxTreeDepth >= 1 else {
    throw InferenceError.invalidConfiguration("warmupMaxTreeDepth must be at least 1")
  }
  guard configuration.initialisationAttempts >= 1 else {
    throw InferenceError.invalidConfiguration("initialisationAttempts must be at least 1")
  }
  if let indices = configuration.chainIndices {
    guard !indices.isEmpty else {
      throw InferenceError.invalidConfiguration("chainIndices must not be empty")
    }
    for index in indices where index < 0 || index >= configuration.chains {
      throw InferenceError.invalidConfiguration(
        "chain index \(index) is outside 0..<\(configuration.chains) (chains)")
    }
    guard Set(indices).count == indices.count else {
      throw InferenceError.invalidConfiguration("chainIndices repeats a chain")
    }
  }
  if let threads = configuration.maxThreads, threads < 1 {
    throw InferenceError.invalidConfiguration("maxThreads must be at least 1")
  }
  if let initial = configuration.initialPosition {
    guard initial.count == dimension else {
      throw InferenceError.dimensionMismatch(expected: dimension, actual: initial.count)
    }
    guard initial.allSatisfy(\.isFinite) else {
      throw InferenceError.invalidConfiguration("initialPosition contains a non-finite coordinate")
    }
  }
}

/// Refuses a metric whose dense matrices would not fit in memory, before anything is allocated: each running
/// chain holds five matrices the size of its dense blocks (the inverse, its Cholesky factor and the
/// factorisation's work; the estimator's second moments and estimate), and every chain keeps a copy of the
/// adapted inverse. Under `metric: dense` that is 40 d² bytes per running chain, 4 GB at d = 10,000, where a
/// block metric needs only its population block.
func checkMetricMemory(
  dimension: Int, kind: MetricKind, blocks: [[Int]], runningChains: Int, chains: Int, available: UInt64
) throws {
  let entries = MetricBlocks(dimension: dimension, kind: kind, densityBlocks: blocks).matrixStarts.last ?? 0
  let bytes = 8 * Double(entries) * Double(5 * runningChains + chains)
  guard bytes > 0.8 * Double(available) else { return }
  func gigabytes(_ x: Double) -> String { String(format: "%.1f GB", x / 1e9) }
  throw InferenceError.invalidConfiguration(
    "metric \(kind.rawValue) over \(dimension) coordinates needs about \(gigabytes(bytes)) for its matrices "
      + "(\(runningChains) chains at once, \(chains) in all) and this machine has \(gigabytes(Double(available))); "
      + "use metric: block or diagonal, or fewer chains at once (--threads)")
}

// Finds a starting point with finite log density and gradient: uniform(-2, 2) per coordinate,
// or the given point jittered by uniform(-j, j), j = `initialJitter` (falling back to the point itself).
func initialPoint<D: LogDensity>(
  _ density: D, configuration: SamplerConfiguration, generator: inout Xoshiro256StarStar
) throws -> [Double] {
  let n = density.dimension
  var candidate = [Double](repeating: 0, count: n)
  var gradient = [Double](repeating: 0, count: n)
  func acceptable() -> Bool {
    let value = candidate.withUnsafeBufferPointer { point in
      gradient.withUnsafeMutableBufferPointer { density.logDensity(at: point, gradient: $0) }
    }
    return value.isFinite && gradient.allSatisfy(\.isFinite)
  }
  let attempts = configuration.initialisationAttempts
  for _ in 0..<attempts {
    if let given = configuration.initialPosition {
      for i in 0..<n {
        candidate[i] = given[i] + 2 * configuration.initialJitter * (generator.nextUniform() - 0.5)
      }
    } else {
      for i in 0..<n { candidate[i] = 4 * generator.nextUniform() - 2 }
    }
    if acceptable() { return candidate }
  }
  if let given = configuration.initialPosition {
    candidate = given
    if acceptable() { return candidate }
  }
  throw InferenceError.initialisationFailed(attempts: attempts)
}

// Runs warm-up and sampling for one chain, entirely on its own random stream (stream `chainIndex`
// of the seed); `progressSlot` is its line in the progress display.
func runChain<D: LogDensity>(
  _ sharedDensity: D, configuration: SamplerConfiguration, chainIndex: Int, progressSlot: Int? = nil,
  progress: ProgressDisplay
) throws -> Chain {
  var density = sharedDensity.independentCopy()
  var generator = Xoshiro256StarStar.stream(seed: configuration.seed, index: chainIndex)
  let start = try initialPoint(density, configuration: configuration, generator: &generator)
  let n = density.dimension
  let metric = EuclideanMetric(dimension: n, kind: configuration.metric, blocks: density.metricBlocks)
  let sampler = NoUTurnSampler(
    density: density, metric: metric, generator: generator, maximumTreeDepth: configuration.maxTreeDepth)
  _ = start.withUnsafeBufferPointer { sampler.setPosition($0) }
  sampler.stepSize = 1
  sampler.initialiseStepSize()

  var stepSizeAdaptation = DualAveragingStepSize(targetAcceptance: configuration.targetAccept)
  stepSizeAdaptation.restart(stepSize: sampler.stepSize)
  var windows = AdaptationWindows(warmup: configuration.tune)
  let estimator = MetricEstimator(dimension: n, kind: configuration.metric, blocks: density.metricBlocks)
  // The density may change coordinates once, from the draws of the window that closes the
  // `reparametrisationUpdate`-th metric update, leaving two or more windows to adapt the metric in them.
  let reparametrisationUpdate = windows.reparametrisationUpdate
  var updates = 0
  // Until then, trajectories stop at `warmupMaxTreeDepth` (the draws before the change only estimate it),
  // except under a dense metric (`SamplerConfiguration.warmupMaxTreeDepth`).
  if density.reparametrisesInWarmup && reparametrisationUpdate > 0 && configuration.metric != .dense {
    sampler.maximumTreeDepth = min(configuration.warmupMaxTreeDepth, configuration.maxTreeDepth)
  }
  var windowPositions: [[Double]] = []

  let parameterCount = density.parameterNames.count
  var unconstrained: [[Double]] = []
  var values: [[Double]] = []
  var stats: [TransitionStats] = []
  unconstrained.reserveCapacity(configuration.draws)
  values.reserveCapacity(configuration.draws)
  stats.reserveCapacity(configuration.draws)

  let total = configuration.tune + configuration.draws
  let reportEvery = max(1, total / 100)
  var divergences = 0
  var warmupLeapfrogSteps = 0
  for iteration in 0..<total {
    let transition = sampler.transition()
    if transition.divergent { divergences += 1 }
    if iteration < configuration.tune {
      warmupLeapfrogSteps += transition.leapfrogSteps
      sampler.stepSize = stepSizeAdaptation.learn(acceptStat: transition.acceptStat)
      let step = windows.advance()
      if step.collect {
        estimator.add(sampler.current.position)
        if updates + 1 == reparametrisationUpdate {
          windowPositions.append(Array(UnsafeBufferPointer(start: sampler.current.position, count: n)))
        }
      }
      if step.update {
        updates += 1
        if updates == reparametrisationUpdate { sampler.maximumTreeDepth = configuration.maxTreeDepth }
        if updates == reparametrisationUpdate,
          let (changed, mapped) = density.reparametrised(from: windowPositions),
          let last = mapped.last
        {
          density = changed
          sampler.density = changed
          estimator.restart()
          for position in mapped where position.count == n {
            position.withUnsafeBufferPointer { if let base = $0.baseAddress { estimator.add(base) } }
          }
          _ = last.withUnsafeBufferPointer { sampler.setPosition($0) }
        }
        windowPositions = []
        metric.setInverse(estimator.regularisedEstimate())
        estimator.restart()
        sampler.initialiseStepSize()
        stepSizeAdaptation.restart(stepSize: sampler.stepSize)
      }
      if iteration == configuration.tune - 1 {
        sampler.stepSize = stepSizeAdaptation.finalStepSize
      }
    } else {
      let position = Array(UnsafeBufferPointer(start: sampler.current.position, count: n))
      var constrained = [Double](repeating: 0, count: parameterCount)
      position.withUnsafeBufferPointer { point in
        constrained.withUnsafeMutableBufferPointer { density.constrain(point, into: $0) }
      }
      unconstrained.append(density.reportedPosition(position))
      values.append(constrained)
      var reported = transition
      reported.lp = density.reportedLogDensity(position, value: transition.lp)
      stats.append(reported)
    }
    if (iteration + 1) % reportEvery == 0 || iteration + 1 == total {
      progress.update(
        chain: progressSlot ?? chainIndex, iteration: iteration + 1, divergences: divergences,
        stepSize: sampler.stepSize)
    }
  }
  return Chain(
    values: values, unconstrained: unconstrained, stats: stats, stepSize: sampler.stepSize,
    inverseMetric: metric.reportedInverse,
    warmupLeapfrogSteps: warmupLeapfrogSteps)
}
