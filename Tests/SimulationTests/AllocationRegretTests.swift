import Foundation
import Testing

@testable import Simulation

@Suite("allocation regret against the SCM")
struct AllocationRegretTests {
  /// Seed 002's media terms: logistic(geometric adstock(x); α 0.5, l_max 4, normalised) with
  /// (λ, β) = (3, 80) for x1 and (2, 100) for x2; the rest of y cancels with common random numbers.
  @Test func theSCMsIncrementOfAnAllocationIsTheClosedFormMediaDifference() throws {
    let scenario = try Scenario.unobservedConfounder(seed: 2)
    let scm = try #require(scenario.units.first?.model)
    let days = scenario.days
    let periods = 5
    let tail = 6
    let patterns = [[0.1, 0.2, 0.3, 0.2, 0.2], [0.2, 0.2, 0.2, 0.2, 0.2]]
    let allocation = [3.0, 2.0]
    let got = try AllocationRegret.trueIncrement(
      scm, outcome: "y", channels: ["x1", "x2"], patterns: patterns, allocation: allocation, days: days,
      tail: tail)
    let world = try scm.simulate(days: days + periods + tail)
    let weights = (0..<4).map { pow(0.5, Double($0)) }
    let sum = weights.reduce(0, +)
    func media(_ x: [Double], lam: Double, beta: Double) -> [Double] {
      x.indices.map { t in
        let a = (0..<4).filter { t - $0 >= 0 }.reduce(0.0) { $0 + weights[$1] / sum * x[t - $1] }
        return beta * (1 - exp(-lam * a)) / (1 + exp(-lam * a))
      }
    }
    var expected = 0.0
    for (k, (name, lam, beta)) in [("x1", 3.0, 80.0), ("x2", 2.0, 100.0)].enumerated() {
      let x = try #require(world.series(name))
      var planned = x
      var dark = x
      for t in 0..<periods {
        planned[days + t] = allocation[k] * patterns[k][t]
        dark[days + t] = 0
      }
      let a = media(planned, lam: lam, beta: beta)
      let b = media(dark, lam: lam, beta: beta)
      for t in days..<(days + periods + tail) { expected += a[t] - b[t] }
    }
    #expect(abs(got - expected) <= 1e-9 * abs(expected), "\(got) vs \(expected)")
  }
}
