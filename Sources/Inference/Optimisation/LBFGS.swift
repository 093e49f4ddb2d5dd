import CausalMMMCore
import RealModule

/// The posterior mode on the unconstrained scale, by L-BFGS (memory 10) on -log π with a
/// backtracking Armijo line search.
///
/// Note the mode is of the unconstrained density (Jacobian included), as Stan's `optimize`
/// with `jacobian=true`; it is a good starting point for `sampleNUTS`.
///
/// - Parameters:
///   - density: the target.
///   - start: unconstrained start point; nil starts at the origin (or, if the density is not
///     finite there, at the first of 100 seeded uniform(-2, 2) points where it is).
///   - maxIterations: iteration limit.
/// - Returns: the mode found and log π there.
/// - Throws: when the start point (or every random start) has a non-finite value or gradient,
///   or `start` has the wrong length.
public func findMAP<D: LogDensity>(
  _ density: D, start: [Double]?, maxIterations: Int = 1000
) throws -> (position: [Double], logDensity: Double) {
  let n = density.dimension
  guard n > 0 else { throw InferenceError.emptyModel }
  var x = [Double](repeating: 0, count: n)
  var gradient = [Double](repeating: 0, count: n)
  func evaluate(_ point: [Double], _ storage: inout [Double]) -> Double {
    let value = point.withUnsafeBufferPointer { p in
      storage.withUnsafeMutableBufferPointer { density.logDensity(at: p, gradient: $0) }
    }
    return value.isFinite && storage.allSatisfy(\.isFinite) ? value : -.infinity
  }
  var logDensity: Double
  if let start {
    guard start.count == n else { throw InferenceError.dimensionMismatch(expected: n, actual: start.count) }
    x = start
    logDensity = evaluate(x, &gradient)
    guard logDensity.isFinite else { throw InferenceError.nonFiniteStart }
  } else {
    logDensity = evaluate(x, &gradient)
    var generator = Xoshiro256StarStar(seed: 0)
    var attempts = 0
    while !logDensity.isFinite && attempts < 100 {
      for i in 0..<n { x[i] = 4 * generator.nextUniform() - 2 }
      logDensity = evaluate(x, &gradient)
      attempts += 1
    }
    guard logDensity.isFinite else { throw InferenceError.initialisationFailed(attempts: attempts) }
  }

  // Minimise f = -log π; g = ∇f = -gradient.
  let memory = 10
  var steps: [[Double]] = []
  var gradientChanges: [[Double]] = []
  var curvatures: [Double] = []
  var direction = [Double](repeating: 0, count: n)
  var alphas = [Double](repeating: 0, count: memory)
  var candidate = [Double](repeating: 0, count: n)
  var candidateGradient = [Double](repeating: 0, count: n)
  func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in 0..<a.count { sum += a[i] * b[i] }
    return sum
  }

  for _ in 0..<maxIterations {
    let gradientNorm = gradient.reduce(0) { max($0, abs($1)) }
    if gradientNorm < 1e-8 { break }
    // Two-loop recursion: direction = -H ∇f = H · gradient.
    direction = gradient
    for k in stride(from: steps.count - 1, through: 0, by: -1) {
      alphas[k] = dot(steps[k], direction) / curvatures[k]
      for i in 0..<n { direction[i] -= alphas[k] * gradientChanges[k][i] }
    }
    if let last = steps.indices.last {
      let scale = curvatures[last] / dot(gradientChanges[last], gradientChanges[last])
      for i in 0..<n { direction[i] *= scale }
    } else {
      let scale = 1 / max(gradientNorm, 1)
      for i in 0..<n { direction[i] *= scale }
    }
    for k in 0..<steps.count {
      let beta = dot(gradientChanges[k], direction) / curvatures[k]
      for i in 0..<n { direction[i] += (alphas[k] - beta) * steps[k][i] }
    }
    var slope = dot(direction, gradient)  // directional derivative of log π
    if !(slope > 0) {
      direction = gradient
      slope = dot(direction, gradient)
      steps.removeAll()
      gradientChanges.removeAll()
      curvatures.removeAll()
    }
    var stepLength = 1.0
    var accepted = false
    var candidateValue = -Double.infinity
    for _ in 0..<60 {
      for i in 0..<n { candidate[i] = x[i] + stepLength * direction[i] }
      candidateValue = evaluate(candidate, &candidateGradient)
      if candidateValue.isFinite && candidateValue >= logDensity + 1e-4 * stepLength * slope {
        accepted = true
        break
      }
      stepLength *= 0.5
    }
    if !accepted { break }
    var step = [Double](repeating: 0, count: n)
    var change = [Double](repeating: 0, count: n)
    for i in 0..<n {
      step[i] = candidate[i] - x[i]
      change[i] = gradient[i] - candidateGradient[i]  // ∇f(new) - ∇f(old)
    }
    let curvature = dot(step, change)
    let improvement = candidateValue - logDensity
    x = candidate
    gradient = candidateGradient
    logDensity = candidateValue
    if curvature > 1e-12 * dot(step, step).squareRoot() * dot(change, change).squareRoot() {
      steps.append(step)
      gradientChanges.append(change)
      curvatures.append(curvature)
      if steps.count > memory {
        steps.removeFirst()
        gradientChanges.removeFirst()
        curvatures.removeFirst()
      }
    }
    if improvement <= 1e-14 * max(1, abs(logDensity)) && gradient.reduce(0, { max($0, abs($1)) }) < 1e-5 {
      break
    }
  }
  return (x, logDensity)
}
