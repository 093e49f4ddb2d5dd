// A point of phase space (q, p) with the log density and its gradient at q cached, so the
// integrator evaluates the density once per step. Storage is allocated once and reused.
final class PhaseSpacePoint {
  let dimension: Int
  let position: UnsafeMutablePointer<Double>
  let momentum: UnsafeMutablePointer<Double>
  // Gradient of log π at `position`.
  let gradient: UnsafeMutablePointer<Double>
  // log π(position); -infinity when the density is not finite there.
  var logDensity: Double = -.infinity

  init(dimension: Int) {
    self.dimension = dimension
    position = .allocate(capacity: max(dimension, 1))
    momentum = .allocate(capacity: max(dimension, 1))
    gradient = .allocate(capacity: max(dimension, 1))
    position.update(repeating: 0, count: dimension)
    momentum.update(repeating: 0, count: dimension)
    gradient.update(repeating: 0, count: dimension)
  }

  deinit {
    position.deallocate()
    momentum.deallocate()
    gradient.deallocate()
  }

  @inline(__always)
  func assign(from other: PhaseSpacePoint) {
    position.update(from: other.position, count: dimension)
    momentum.update(from: other.momentum, count: dimension)
    gradient.update(from: other.gradient, count: dimension)
    logDensity = other.logDensity
  }

  // Recomputes log π and its gradient at `position`; non-finite values become -infinity.
  @inline(__always)
  func evaluate<D: LogDensity>(_ density: D) {
    let value = density.logDensity(
      at: UnsafeBufferPointer(start: position, count: dimension),
      gradient: UnsafeMutableBufferPointer(start: gradient, count: dimension))
    logDensity = value.isFinite ? value : -.infinity
  }
}

// The explicit leapfrog (velocity Verlet) integrator, Stan's `expl_leapfrog`:
// half step in p, full step in q along M⁻¹p, half step in p.
enum LeapfrogIntegrator {
  @inline(__always)
  static func step<D: LogDensity>(
    _ point: PhaseSpacePoint, stepSize: Double, metric: EuclideanMetric, density: D,
    scratch velocity: UnsafeMutablePointer<Double>
  ) {
    let n = point.dimension
    let half = 0.5 * stepSize
    let p = point.momentum
    let q = point.position
    let g = point.gradient
    for i in 0..<n { p[i] += half * g[i] }
    metric.velocity(p, into: velocity)
    for i in 0..<n { q[i] += stepSize * velocity[i] }
    point.evaluate(density)
    for i in 0..<n { p[i] += half * g[i] }
  }
}
