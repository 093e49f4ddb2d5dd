import Foundation
import Testing

@testable import Inference

@Suite("Warm-up adaptation follows Stan")
struct AdaptationTests {
  static func updateIterations(warmup: Int) -> (updates: [Int], collected: Int) {
    var windows = AdaptationWindows(warmup: warmup)
    var updates: [Int] = []
    var collected = 0
    for iteration in 0..<warmup {
      let step = windows.advance()
      if step.update { updates.append(iteration) }
      if step.collect { collected += 1 }
    }
    return (updates, collected)
  }

  @Test("1000 warm-up iterations: 75 fast, slow windows 25/50/100/200/500, 50 fast")
  func defaultSchedule() {
    let schedule = Self.updateIterations(warmup: 1000)
    #expect(schedule.updates == [99, 149, 249, 449, 949])
    #expect(schedule.collected == 1000 - 75 - 50)
  }

  @Test("Short warm-up scales the buffers to 15% / 75% / 10%")
  func shortSchedule() {
    let schedule = Self.updateIterations(warmup: 100)
    #expect(schedule.updates == [89])
    #expect(schedule.collected == 75)
    #expect(Self.updateIterations(warmup: 19).updates.isEmpty)
  }

  @Test("Dual averaging drives the step size towards the target acceptance")
  func dualAveragingConverges() {
    // A synthetic acceptance curve a(ε) = exp(-ε²/2) reaches 0.8 at ε* = sqrt(-2 log 0.8).
    var adaptation = DualAveragingStepSize(targetAcceptance: 0.8)
    adaptation.restart(stepSize: 1)
    var stepSize = 1.0
    for _ in 0..<2000 { stepSize = adaptation.learn(acceptStat: Double.exp(-stepSize * stepSize / 2)) }
    let target = (-2 * Double.log(0.8)).squareRoot()
    #expect(abs(adaptation.finalStepSize - target) < 0.01 * target)
  }

  @Test("Metric estimator returns Stan's regularised sample variance")
  func regularisedVariance() {
    let estimator = MetricEstimator(dimension: 2, kind: .diagonal)
    let draws: [[Double]] = [[1, 10], [2, 20], [4, 40], [7, 70]]
    for draw in draws {
      draw.withUnsafeBufferPointer { pointer in if let base = pointer.baseAddress { estimator.add(base) } }
    }
    let estimate = estimator.regularisedEstimate()
    // Sample variance of 1, 2, 4, 7 is 7; n = 4 gives 4/9 · 7 + 1e-3 · 5/9.
    #expect(abs(estimate[0] - (4.0 / 9 * 7 + 1e-3 * 5 / 9)) < 1e-12)
    #expect(abs(estimate[1] - (4.0 / 9 * 700 + 1e-3 * 5 / 9)) < 1e-9)
  }
}
