import RealModule

// Nesterov dual averaging of log(step size) towards a target mean acceptance statistic
// (Hoffman & Gelman 2014, section 3.2; Stan's `stepsize_adaptation`).
struct DualAveragingStepSize {
  var targetAcceptance: Double
  var gamma = 0.05
  var kappa = 0.75
  var t0 = 10.0
  var mu = Double.log(10)
  var counter = 0.0
  var averageError = 0.0
  var averageLogStepSize = 0.0

  init(targetAcceptance: Double) { self.targetAcceptance = targetAcceptance }

  mutating func restart(stepSize: Double) {
    mu = Double.log(10 * stepSize)
    counter = 0
    averageError = 0
    averageLogStepSize = 0
  }

  // Returns the next step size given the latest transition's acceptance statistic.
  mutating func learn(acceptStat: Double) -> Double {
    counter += 1
    let statistic = min(acceptStat, 1)
    let eta = 1 / (counter + t0)
    averageError = (1 - eta) * averageError + eta * (targetAcceptance - statistic)
    let logStepSize = mu - averageError * counter.squareRoot() / gamma
    let weight = Double.pow(counter, -kappa)
    averageLogStepSize = (1 - weight) * averageLogStepSize + weight * logStepSize
    return Double.exp(logStepSize)
  }

  // The step size used after warm-up: exp of the averaged log step size.
  var finalStepSize: Double { Double.exp(averageLogStepSize) }
}

// Stan's windowed adaptation schedule: an initial fast buffer (step size only), a series of
// slow windows doubling in length in which the metric is estimated, and a terminal fast
// buffer. Defaults 75 / 25 / 50; scaled to 15% / 75% / 10% when warm-up is too short.
struct AdaptationWindows {
  let warmup: Int
  private(set) var initialBuffer = 75
  private(set) var terminalBuffer = 50
  private(set) var baseWindow = 25
  private(set) var windowSize = 25
  private(set) var nextWindowEnd = 0
  private(set) var counter = 0
  // Whether the metric is adapted at all (Stan needs at least 20 warm-up iterations).
  let adaptsMetric: Bool

  init(warmup: Int) {
    self.warmup = warmup
    adaptsMetric = warmup >= 20
    if adaptsMetric && initialBuffer + baseWindow + terminalBuffer > warmup {
      initialBuffer = Int(0.15 * Double(warmup))
      terminalBuffer = Int(0.1 * Double(warmup))
      baseWindow = warmup - (initialBuffer + terminalBuffer)
    }
    windowSize = baseWindow
    nextWindowEnd = initialBuffer + windowSize - 1
  }

  // Whether iteration `counter` falls inside a slow (metric-estimating) window.
  var inSlowWindow: Bool {
    adaptsMetric && counter >= initialBuffer && counter < warmup - terminalBuffer && counter != warmup
  }

  var atWindowEnd: Bool {
    adaptsMetric && counter == nextWindowEnd && counter != warmup
  }

  private mutating func computeNextWindow() {
    if nextWindowEnd == warmup - terminalBuffer - 1 { return }
    windowSize *= 2
    nextWindowEnd = counter + windowSize
    if nextWindowEnd != warmup - terminalBuffer - 1 {
      let nextBoundary = nextWindowEnd + 2 * windowSize
      if nextBoundary >= warmup - terminalBuffer {
        nextWindowEnd = warmup - terminalBuffer - 1
      }
    }
  }

  // The metric update after which a density may change coordinates (`LogDensity.reparametrised`): the
  // last but one (iteration 450 of Stan's default 1000, from the 200 draws of the window it closes), so
  // that the last and longest window adapts the metric in the new coordinates; none (0) with fewer
  // than three updates.
  var reparametrisationUpdate: Int {
    var copy = AdaptationWindows(warmup: warmup)
    var count = 0
    for _ in 0..<warmup where copy.advance().update { count += 1 }
    return count >= 3 ? count - 1 : 0
  }

  // Advances one iteration. Returns (collect: add this draw to the estimator,
  // update: the window just closed and the metric should be re-estimated).
  mutating func advance() -> (collect: Bool, update: Bool) {
    let collect = inSlowWindow
    if atWindowEnd {
      computeNextWindow()
      counter += 1
      return (collect, true)
    }
    counter += 1
    return (collect, false)
  }
}

// Welford's running mean and (co)variance of the warm-up draws in one slow window, and
// Stan's regularisation towards 1e-3 · I: Σ̂ = n/(n+5) Σ + 1e-3 · 5/(n+5) · I. The estimate's
// layout is the metric's: the d variances, then each dense block's row-major covariance. In a
// block metric (blocks chosen by the model, often larger than the early windows' draw counts)
// the off-diagonal covariances are also shrunk towards zero by n/(n + k), k the block's size, so
// that a short window gives a well-conditioned, nearly diagonal block and a long one the
// sample covariance.
final class MetricEstimator {
  let dimension: Int
  let kind: MetricKind
  let blocks: MetricBlocks
  private(set) var count = 0
  let mean: UnsafeMutablePointer<Double>
  let delta: UnsafeMutablePointer<Double>
  // The d second moments, then the blocks' k×k second-moment matrices.
  let secondMoment: UnsafeMutablePointer<Double>
  let result: UnsafeMutablePointer<Double>
  private let matrixStarts: [Int]
  private let size: Int

  init(dimension: Int, kind: MetricKind, blocks densityBlocks: [[Int]] = []) {
    self.dimension = dimension
    self.kind = kind
    blocks = MetricBlocks(dimension: dimension, kind: kind, densityBlocks: densityBlocks)
    matrixStarts = blocks.matrixStarts
    size = dimension + (matrixStarts.last ?? 0)
    mean = .allocate(capacity: max(dimension, 1))
    delta = .allocate(capacity: max(dimension, 1))
    secondMoment = .allocate(capacity: max(size, 1))
    result = .allocate(capacity: max(size, 1))
    restart()
  }

  deinit {
    mean.deallocate()
    delta.deallocate()
    secondMoment.deallocate()
    result.deallocate()
  }

  func restart() {
    count = 0
    mean.update(repeating: 0, count: dimension)
    secondMoment.update(repeating: 0, count: size)
  }

  func add(_ q: UnsafePointer<Double>) {
    count += 1
    let n = dimension
    let weight = 1 / Double(count)
    for i in 0..<n {
      delta[i] = q[i] - mean[i]
      mean[i] += weight * delta[i]
    }
    for i in 0..<n { secondMoment[i] += delta[i] * (q[i] - mean[i]) }
    for b in 0..<blocks.count {
      let start = blocks.starts[b]
      let k = blocks.size(b)
      let m = secondMoment + n + matrixStarts[b]
      for r in 0..<k {
        let scaled = q[blocks.indices[start + r]] - mean[blocks.indices[start + r]]
        for c in 0..<k { m[r * k + c] += delta[blocks.indices[start + c]] * scaled }
      }
    }
  }

  // The regularised inverse metric estimate, written into `result`.
  func regularisedEstimate() -> UnsafePointer<Double> {
    let n = Double(count)
    let shrink = n / (n + 5)
    let ridge = 1e-3 * 5 / (n + 5)
    let d = dimension
    for i in 0..<d { result[i] = shrink * secondMoment[i] / (n - 1) + ridge }
    for b in 0..<blocks.count {
      let k = blocks.size(b)
      let offDiagonal = kind == .blockDiagonal ? n / (n + Double(k)) : 1
      let m = secondMoment + d + matrixStarts[b]
      let out = result + d + matrixStarts[b]
      for r in 0..<k {
        for c in 0..<k {
          // Symmetrise: the running update accumulates δ_c (q_r - mean_r), symmetric in exact arithmetic.
          let covariance = 0.5 * (m[r * k + c] + m[c * k + r]) / (n - 1)
          out[r * k + c] = r == c ? shrink * covariance + ridge : shrink * covariance * offDiagonal
        }
      }
    }
    return UnsafePointer(result)
  }
}
