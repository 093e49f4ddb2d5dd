import CausalMMMCore
import CausalValidation
import Foundation
import Inference

// Calibration of `causal-mmm test-dag`'s two tests on time series (prints a table; not a unit test).
//
// True DAG: a -> b -> c, each variable = its structural part + AR(1) noise e_t = ρ e_{t-1} + N(0, 1)
// (stationary start), coefficients 0.8 (a -> b) and 0.6 (b -> c). The implication a ⊥ c | b is true:
// its rejection rate at α = 0.05 is the test's level. Power: the data get an extra edge a -> c of
// strength γ (c += γ a) that the tested DAG lacks; the rejection rate of a ⊥ c | b is the power.
//
//   usage: dag-test-calibration [REPLICATIONS] [GAMMA] [SEED]     (defaults 500, 0.1, 20261127)

let arguments = CommandLine.arguments
let replications = arguments.count > 1 ? Int(arguments[1]) ?? 500 : 500
let gamma = arguments.count > 2 ? Double(arguments[2]) ?? 0.1 : 0.1
let alpha = 0.05

func arNoise(_ count: Int, rho: Double, _ rng: inout Xoshiro256StarStar) -> [Double] {
  var series = [Double](repeating: 0, count: count)
  var previous = rng.nextNormal() / (1 - rho * rho).squareRoot()
  for t in 0..<count {
    previous = rho * previous + rng.nextNormal()
    series[t] = previous
  }
  return series
}

func simulate(count: Int, rho: Double, gamma: Double, _ rng: inout Xoshiro256StarStar) -> (
  a: [Double], b: [Double], c: [Double]
) {
  let a = arNoise(count, rho: rho, &rng)
  let noiseB = arNoise(count, rho: rho, &rng)
  let noiseC = arNoise(count, rho: rho, &rng)
  let b = (0..<count).map { 0.8 * a[$0] + noiseB[$0] }
  let c = (0..<count).map { 0.6 * b[$0] + gamma * a[$0] + noiseC[$0] }
  return (a, b, c)
}

func rejectionRate(count: Int, rho: Double, gamma: Double, method: IndependenceTestMethod, seed: UInt64)
  -> Double
{
  var rng = Xoshiro256StarStar(seed: seed)
  var rejections = 0
  for _ in 0..<replications {
    let (a, b, c) = simulate(count: count, rho: rho, gamma: gamma, &rng)
    if let result = PartialCorrelationTest.test(x: c, y: a, given: [b], method: method), result.pValue < alpha
    {
      rejections += 1
    }
  }
  return Double(rejections) / Double(replications)
}

print("dag-test-calibration: true DAG a -> b -> c with AR(1) noise; tested implication a _||_ c | b")
print(
  "\(replications) replications per cell, alpha = \(alpha); power: data have a -> c with gamma = \(gamma)")
print("")
print("   T   rho   level pcor  level hac   power pcor  power hac")
var seed: UInt64 = arguments.count > 3 ? UInt64(arguments[3]) ?? 20_261_127 : 20_261_127
for count in [104, 520] {
  for rho in [0.0, 0.5, 0.9] {
    seed += 1
    let cells = [
      rejectionRate(count: count, rho: rho, gamma: 0, method: .pcor, seed: seed),
      rejectionRate(count: count, rho: rho, gamma: 0, method: .hac, seed: seed),
      rejectionRate(count: count, rho: rho, gamma: gamma, method: .pcor, seed: seed + 1000),
      rejectionRate(count: count, rho: rho, gamma: gamma, method: .hac, seed: seed + 1000),
    ]
    print(
      String(format: "%4d  %4.1f", count, rho)
        + cells.map { String(format: "  %10.3f", $0) }.joined())
  }
}
let binomialSE = (alpha * (1 - alpha) / Double(replications)).squareRoot()
print("")
print(String(format: "Monte Carlo standard error of a level near 0.05: %.3f", binomialSE))
