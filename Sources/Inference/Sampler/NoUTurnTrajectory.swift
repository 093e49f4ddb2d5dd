import CausalMMMCore
import RealModule

/// Sampler statistics of one NUTS transition (CmdStan's `*__` columns).
public struct TransitionStats: Sendable, Hashable {
  /// log π at the draw (unconstrained scale, Jacobian included): `lp__`. A density sampled in coordinates
  /// of its own reports the log density of the coordinates it reports (`LogDensity.reportedLogDensity`);
  /// `energy` stays the sampler's Hamiltonian.
  public var lp: Double
  /// Mean Metropolis acceptance probability over the trajectory: `accept_stat__`.
  public var acceptStat: Double
  /// Integrator step size: `stepsize__`.
  public var stepSize: Double
  /// Number of trajectory doublings completed: `treedepth__`.
  public var treeDepth: Int
  /// Number of leapfrog steps (gradient evaluations): `n_leapfrog__`.
  public var leapfrogSteps: Int
  /// Whether the trajectory diverged (energy error above 1000): `divergent__`.
  public var divergent: Bool
  /// Hamiltonian at the draw: `energy__`.
  public var energy: Double

  /// Creates the statistics of one transition.
  public init(
    lp: Double, acceptStat: Double, stepSize: Double, treeDepth: Int, leapfrogSteps: Int,
    divergent: Bool, energy: Double
  ) {
    self.lp = lp
    self.acceptStat = acceptStat
    self.stepSize = stepSize
    self.treeDepth = treeDepth
    self.leapfrogSteps = leapfrogSteps
    self.divergent = divergent
    self.energy = energy
  }
}

// Scratch vectors for one level of the recursive tree building (one set per depth).
final class TreeLevelStorage {
  let finalProposal: PhaseSpacePoint
  let momentumInitEnd: UnsafeMutablePointer<Double>
  let velocityInitEnd: UnsafeMutablePointer<Double>
  let rhoInit: UnsafeMutablePointer<Double>
  let momentumFinalBegin: UnsafeMutablePointer<Double>
  let velocityFinalBegin: UnsafeMutablePointer<Double>
  let rhoFinal: UnsafeMutablePointer<Double>
  let rhoExtended: UnsafeMutablePointer<Double>

  init(dimension: Int) {
    finalProposal = PhaseSpacePoint(dimension: dimension)
    let size = max(dimension, 1)
    momentumInitEnd = .allocate(capacity: size)
    velocityInitEnd = .allocate(capacity: size)
    rhoInit = .allocate(capacity: size)
    momentumFinalBegin = .allocate(capacity: size)
    velocityFinalBegin = .allocate(capacity: size)
    rhoFinal = .allocate(capacity: size)
    rhoExtended = .allocate(capacity: size)
  }

  deinit {
    for pointer in [
      momentumInitEnd, velocityInitEnd, rhoInit, momentumFinalBegin, velocityFinalBegin, rhoFinal,
      rhoExtended,
    ] {
      pointer.deallocate()
    }
  }
}

// The No-U-Turn sampler of Stan's `base_nuts`: a trajectory doubled forwards or backwards at
// random, multinomial sampling of the state across the trajectory (biased towards the newer
// subtree at the top level), the generalized no-U-turn criterion checked across merged
// subtrees and across their seams, and divergence when H - H0 exceeds `maximumEnergyError`.
// All storage is allocated at construction; a transition allocates nothing.
final class NoUTurnSampler<D: LogDensity> {
  /// Replaced only between transitions (a warm-up reparametrisation), followed by `setPosition`.
  var density: D
  let dimension: Int
  let metric: EuclideanMetric
  var generator: Xoshiro256StarStar
  var stepSize = 1.0
  var maximumTreeDepth: Int
  let maximumEnergyError = 1000.0

  // The current state: the last draw, with its gradient.
  let current: PhaseSpacePoint
  // The integrator's moving point and the trajectory's ends.
  let moving: PhaseSpacePoint
  let forwardEnd: PhaseSpacePoint
  let backwardEnd: PhaseSpacePoint
  let sample: PhaseSpacePoint
  let proposal: PhaseSpacePoint
  let scratchVelocity: UnsafeMutablePointer<Double>
  // Momenta and velocities at the four ends of the two subtrees of the top-level trajectory.
  let pForwardForward, vForwardForward, pForwardBackward, vForwardBackward: UnsafeMutablePointer<Double>
  let pBackwardForward, vBackwardForward, pBackwardBackward, vBackwardBackward: UnsafeMutablePointer<Double>
  let rho, rhoForward, rhoBackward, rhoExtended: UnsafeMutablePointer<Double>
  let levels: [TreeLevelStorage]

  // Per-transition accumulators.
  var leapfrogCount = 0
  var sumMetropolisProbability = 0.0
  var divergent = false
  var initialEnergy = 0.0

  init(density: D, metric: EuclideanMetric, generator: Xoshiro256StarStar, maximumTreeDepth: Int) {
    self.density = density
    self.dimension = density.dimension
    self.metric = metric
    self.generator = generator
    self.maximumTreeDepth = maximumTreeDepth
    let n = dimension
    current = PhaseSpacePoint(dimension: n)
    moving = PhaseSpacePoint(dimension: n)
    forwardEnd = PhaseSpacePoint(dimension: n)
    backwardEnd = PhaseSpacePoint(dimension: n)
    sample = PhaseSpacePoint(dimension: n)
    proposal = PhaseSpacePoint(dimension: n)
    func vector() -> UnsafeMutablePointer<Double> {
      let pointer = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
      pointer.update(repeating: 0, count: max(n, 1))
      return pointer
    }
    scratchVelocity = vector()
    pForwardForward = vector()
    vForwardForward = vector()
    pForwardBackward = vector()
    vForwardBackward = vector()
    pBackwardForward = vector()
    vBackwardForward = vector()
    pBackwardBackward = vector()
    vBackwardBackward = vector()
    rho = vector()
    rhoForward = vector()
    rhoBackward = vector()
    rhoExtended = vector()
    levels = (0...max(maximumTreeDepth, 1)).map { _ in TreeLevelStorage(dimension: n) }
  }

  deinit {
    for pointer in [
      scratchVelocity, pForwardForward, vForwardForward, pForwardBackward, vForwardBackward,
      pBackwardForward, vBackwardForward, pBackwardBackward, vBackwardBackward, rho, rhoForward,
      rhoBackward, rhoExtended,
    ] {
      pointer.deallocate()
    }
  }

  // Sets the current state and evaluates the density there; returns log π.
  func setPosition(_ position: UnsafeBufferPointer<Double>) -> Double {
    guard let base = position.baseAddress else { return -.infinity }
    current.position.update(from: base, count: dimension)
    current.evaluate(density)
    return current.logDensity
  }

  @inline(__always)
  func hamiltonian(_ point: PhaseSpacePoint) -> Double {
    metric.velocity(point.momentum, into: scratchVelocity)
    let h = -point.logDensity + metric.kineticEnergy(momentum: point.momentum, velocity: scratchVelocity)
    return h.isNaN ? .infinity : h
  }

  @inline(__always)
  func copy(_ source: UnsafePointer<Double>, to target: UnsafeMutablePointer<Double>) {
    target.update(from: source, count: dimension)
  }

  @inline(__always)
  func zero(_ target: UnsafeMutablePointer<Double>) {
    target.update(repeating: 0, count: dimension)
  }

  // Generalized no-U-turn criterion: both end velocities point along the summed momentum.
  @inline(__always)
  func persists(
    velocityMinus: UnsafePointer<Double>, velocityPlus: UnsafePointer<Double>, rho: UnsafePointer<Double>
  ) -> Bool {
    var plus = 0.0
    var minus = 0.0
    for i in 0..<dimension {
      plus += velocityPlus[i] * rho[i]
      minus += velocityMinus[i] * rho[i]
    }
    return plus > 0 && minus > 0
  }

  @inline(__always)
  static func logSumExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    let high = max(a, b)
    return high + Double.log(onePlus: Double.exp(-abs(a - b)))
  }

  // Stan's heuristic: double or halve the step size until the acceptance probability of one
  // leapfrog step from the current point, with fresh momentum, crosses 0.8.
  func initialiseStepSize() {
    guard stepSize > 0, stepSize < 1e7, stepSize.isFinite else { return }
    let threshold = Double.log(0.8)
    func energyChange() -> Double {
      moving.assign(from: current)
      metric.sampleMomentum(into: moving.momentum, using: &generator)
      let h0 = hamiltonian(moving)
      LeapfrogIntegrator.step(
        moving, stepSize: stepSize, metric: metric, density: density, scratch: scratchVelocity)
      return h0 - hamiltonian(moving)
    }
    let direction = energyChange() > threshold ? 1 : -1
    // At most 100 doublings or halvings: beyond that the step size is outside (1e-30, 1e30).
    for _ in 0..<100 {
      let delta = energyChange()
      if direction == 1 && !(delta > threshold) { break }
      if direction == -1 && !(delta < threshold) { break }
      stepSize = direction == 1 ? 2 * stepSize : 0.5 * stepSize
      if stepSize > 1e7 || stepSize < 1e-30 { break }
    }
  }

  // One NUTS transition from `current`; on return `current` holds the new draw.
  func transition() -> TransitionStats {
    let n = dimension
    metric.sampleMomentum(into: current.momentum, using: &generator)
    moving.assign(from: current)
    forwardEnd.assign(from: current)
    backwardEnd.assign(from: current)
    sample.assign(from: current)
    proposal.assign(from: current)

    metric.velocity(current.momentum, into: vForwardForward)
    copy(current.momentum, to: pForwardForward)
    copy(current.momentum, to: pForwardBackward)
    copy(vForwardForward, to: vForwardBackward)
    copy(current.momentum, to: pBackwardForward)
    copy(vForwardForward, to: vBackwardForward)
    copy(current.momentum, to: pBackwardBackward)
    copy(vForwardForward, to: vBackwardBackward)
    copy(current.momentum, to: rho)

    var logSumWeight = 0.0
    initialEnergy = hamiltonian(current)
    leapfrogCount = 0
    sumMetropolisProbability = 0
    divergent = false
    var depth = 0

    while depth < maximumTreeDepth {
      zero(rhoForward)
      zero(rhoBackward)
      var logSumWeightSubtree = -Double.infinity
      let valid: Bool
      if generator.nextUniform() > 0.5 {
        moving.assign(from: forwardEnd)
        copy(rho, to: rhoBackward)
        copy(pForwardBackward, to: pBackwardForward)
        copy(vForwardBackward, to: vBackwardForward)
        valid = buildTree(
          depth: depth, proposal: proposal, velocityBegin: vForwardBackward, velocityEnd: vForwardForward,
          rho: rhoForward, momentumBegin: pForwardBackward, momentumEnd: pForwardForward,
          direction: 1, logSumWeight: &logSumWeightSubtree)
        forwardEnd.assign(from: moving)
      } else {
        moving.assign(from: backwardEnd)
        copy(rho, to: rhoForward)
        copy(pBackwardForward, to: pForwardBackward)
        copy(vBackwardForward, to: vForwardBackward)
        valid = buildTree(
          depth: depth, proposal: proposal, velocityBegin: vBackwardForward, velocityEnd: vBackwardBackward,
          rho: rhoBackward, momentumBegin: pBackwardForward, momentumEnd: pBackwardBackward,
          direction: -1, logSumWeight: &logSumWeightSubtree)
        backwardEnd.assign(from: moving)
      }
      if !valid { break }
      depth += 1

      // Biased progressive sampling: prefer the new subtree.
      if logSumWeightSubtree > logSumWeight {
        sample.assign(from: proposal)
      } else if generator.nextUniform() < Double.exp(logSumWeightSubtree - logSumWeight) {
        sample.assign(from: proposal)
      }
      logSumWeight = Self.logSumExp(logSumWeight, logSumWeightSubtree)

      for i in 0..<n { rho[i] = rhoBackward[i] + rhoForward[i] }
      var persist = persists(velocityMinus: vBackwardBackward, velocityPlus: vForwardForward, rho: rho)
      for i in 0..<n { rhoExtended[i] = rhoBackward[i] + pForwardBackward[i] }
      persist =
        persist
        && persists(velocityMinus: vBackwardBackward, velocityPlus: vForwardBackward, rho: rhoExtended)
      for i in 0..<n { rhoExtended[i] = rhoForward[i] + pBackwardForward[i] }
      persist =
        persist && persists(velocityMinus: vBackwardForward, velocityPlus: vForwardForward, rho: rhoExtended)
      if !persist { break }
    }

    current.assign(from: sample)
    let acceptStat = leapfrogCount > 0 ? sumMetropolisProbability / Double(leapfrogCount) : 0
    return TransitionStats(
      lp: current.logDensity, acceptStat: acceptStat, stepSize: stepSize, treeDepth: depth,
      leapfrogSteps: leapfrogCount, divergent: divergent, energy: hamiltonian(current))
  }

  // Builds a subtree of 2^depth leapfrog steps from `moving` in `direction`, accumulating its
  // summed momentum into `rho`, its log weight into `logSumWeight`, and a multinomial draw from
  // it into `proposal`. Returns false on divergence or an internal U-turn.
  func buildTree(
    depth: Int, proposal: PhaseSpacePoint, velocityBegin: UnsafeMutablePointer<Double>,
    velocityEnd: UnsafeMutablePointer<Double>, rho: UnsafeMutablePointer<Double>,
    momentumBegin: UnsafeMutablePointer<Double>, momentumEnd: UnsafeMutablePointer<Double>,
    direction: Double, logSumWeight: inout Double
  ) -> Bool {
    let n = dimension
    if depth == 0 {
      LeapfrogIntegrator.step(
        moving, stepSize: direction * stepSize, metric: metric, density: density,
        scratch: scratchVelocity)
      leapfrogCount += 1
      metric.velocity(moving.momentum, into: velocityBegin)
      var h = -moving.logDensity + metric.kineticEnergy(momentum: moving.momentum, velocity: velocityBegin)
      if h.isNaN { h = .infinity }
      if h - initialEnergy > maximumEnergyError { divergent = true }
      let logWeight = initialEnergy - h
      logSumWeight = Self.logSumExp(logSumWeight, logWeight)
      sumMetropolisProbability += logWeight > 0 ? 1 : Double.exp(logWeight)
      proposal.assign(from: moving)
      copy(velocityBegin, to: velocityEnd)
      for i in 0..<n { rho[i] += moving.momentum[i] }
      copy(moving.momentum, to: momentumBegin)
      copy(moving.momentum, to: momentumEnd)
      return !divergent
    }

    let level = levels[depth]
    // Initial subtree.
    var logSumWeightInit = -Double.infinity
    zero(level.rhoInit)
    let validInit = buildTree(
      depth: depth - 1, proposal: proposal, velocityBegin: velocityBegin,
      velocityEnd: level.velocityInitEnd, rho: level.rhoInit, momentumBegin: momentumBegin,
      momentumEnd: level.momentumInitEnd, direction: direction, logSumWeight: &logSumWeightInit)
    if !validInit { return false }

    // Final subtree.
    let finalProposal = level.finalProposal
    finalProposal.assign(from: moving)
    var logSumWeightFinal = -Double.infinity
    zero(level.rhoFinal)
    let validFinal = buildTree(
      depth: depth - 1, proposal: finalProposal, velocityBegin: level.velocityFinalBegin,
      velocityEnd: velocityEnd, rho: level.rhoFinal, momentumBegin: level.momentumFinalBegin,
      momentumEnd: momentumEnd, direction: direction, logSumWeight: &logSumWeightFinal)
    if !validFinal { return false }

    // Multinomial sample from the two subtrees.
    let logSumWeightSubtree = Self.logSumExp(logSumWeightInit, logSumWeightFinal)
    logSumWeight = Self.logSumExp(logSumWeight, logSumWeightSubtree)
    if logSumWeightFinal > logSumWeightSubtree {
      proposal.assign(from: finalProposal)
    } else if generator.nextUniform() < Double.exp(logSumWeightFinal - logSumWeightSubtree) {
      proposal.assign(from: finalProposal)
    }

    let rhoExtended = level.rhoExtended
    // rhoSubtree = rhoInit + rhoFinal, kept in rhoExtended for the first check.
    for i in 0..<n {
      rhoExtended[i] = level.rhoInit[i] + level.rhoFinal[i]
      rho[i] += rhoExtended[i]
    }
    var persist = persists(velocityMinus: velocityBegin, velocityPlus: velocityEnd, rho: rhoExtended)
    for i in 0..<n { rhoExtended[i] = level.rhoInit[i] + level.momentumFinalBegin[i] }
    persist =
      persist
      && persists(velocityMinus: velocityBegin, velocityPlus: level.velocityFinalBegin, rho: rhoExtended)
    for i in 0..<n { rhoExtended[i] = level.rhoFinal[i] + level.momentumInitEnd[i] }
    persist =
      persist && persists(velocityMinus: level.velocityInitEnd, velocityPlus: velocityEnd, rho: rhoExtended)
    return persist
  }
}
