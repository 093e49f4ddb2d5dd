import Foundation
import Testing

@testable import Inference

/// Central finite-difference gradient of a density, for checking hand-derived gradients.
func finiteDifferenceGradient<D: LogDensity>(_ density: D, at point: [Double], step: Double = 1e-6)
  -> [Double]
{
  (0..<point.count).map { i in
    var plus = point
    var minus = point
    plus[i] += step
    minus[i] -= step
    return (density.valueAndGradient(plus).value - density.valueAndGradient(minus).value) / (2 * step)
  }
}

/// Checks that the draws' mean and variance are within `tolerance` Monte Carlo standard errors
/// of the analytic mean and variance. The variance estimate is the mean of (x - mean)², whose
/// MCSE comes from the same ESS machinery.
func expectMoments(
  _ draws: [[Double]], mean: Double, variance: Double, tolerance: Double = 4, label: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let all = draws.flatMap { $0 }
  let sampleMean = all.reduce(0, +) / Double(all.count)
  let mcse = Diagnostics.mcseMean(draws)
  #expect(
    abs(sampleMean - mean) < tolerance * mcse,
    "\(label): mean \(sampleMean) vs \(mean), MCSE \(mcse)", sourceLocation: sourceLocation)
  let squared = draws.map { $0.map { ($0 - mean) * ($0 - mean) } }
  let sampleVariance = squared.flatMap { $0 }.reduce(0, +) / Double(all.count)
  let varianceMCSE = Diagnostics.mcseMean(squared)
  #expect(
    abs(sampleVariance - variance) < tolerance * varianceMCSE,
    "\(label): variance \(sampleVariance) vs \(variance), MCSE \(varianceMCSE)",
    sourceLocation: sourceLocation)
}

/// A banana-shaped density with a known mode at (1, 1): log π = -(1 - x)² - 10 (y - x²)².
struct RosenbrockDensity: LogDensity {
  var dimension: Int { 2 }
  var parameterNames: [String] { ["x", "y"] }
  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    let x = position[0]
    let y = position[1]
    let bend = y - x * x
    gradient[0] = 2 * (1 - x) + 40 * bend * x
    gradient[1] = -20 * bend
    return -(1 - x) * (1 - x) - 10 * bend * bend
  }
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    values[0] = position[0]
    values[1] = position[1]
  }
}

/// A density that is finite nowhere, to exercise the initialisation failure.
struct NowhereFiniteDensity: LogDensity {
  var dimension: Int { 3 }
  var parameterNames: [String] { ["a", "b", "c"] }
  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    for i in 0..<3 { gradient[i] = 0 }
    return -.infinity
  }
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<3 { values[i] = position[i] }
  }
}

/// A normal centred at 5 that is finite only inside the box (4, 6)^2, so uniform(-2, 2)
/// initialisation always fails but a given initial position succeeds.
struct BoxedNormalDensity: LogDensity {
  var dimension: Int { 2 }
  var parameterNames: [String] { ["a", "b"] }
  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    var value = 0.0
    for i in 0..<2 {
      let deviation = position[i] - 5
      gradient[i] = -deviation / 0.01
      value -= 0.5 * deviation * deviation / 0.01
      if abs(deviation) >= 1 { return -.infinity }
    }
    return value
  }
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    values[0] = position[0]
    values[1] = position[1]
  }
}

/// Counts how often the sampler asks for a per-chain copy.
final class CopyCounter: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var count = 0
  func increment() {
    lock.lock()
    count += 1
    lock.unlock()
  }
}

/// A standard normal that records each `independentCopy()` call.
struct CopyCountingDensity: LogDensity {
  let counter: CopyCounter
  var dimension: Int { 1 }
  var parameterNames: [String] { ["x"] }
  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    gradient[0] = -position[0]
    return -0.5 * position[0] * position[0]
  }
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    values[0] = position[0]
  }
  func independentCopy() -> CopyCountingDensity {
    counter.increment()
    return self
  }
}
