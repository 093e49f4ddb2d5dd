import CausalGraph
import CausalMMMCore
import Foundation
import Inference
import Testing

@testable import Simulation

@Suite("distributions, calendar, structural terms, validation")
struct PrimitivesTests {
  @Test(
    "sample mean and variance match the closed forms within 5 standard errors",
    arguments: [
      Distribution.normal(mean: 2, sd: 3), .uniform(lower: -1, upper: 4), .gamma(mean: 0.6, sd: 0.4),
      .gamma(mean: 0.1, sd: 0.03), .gamma(mean: 0.2, sd: 0.4), .beta(alpha: 0.015, beta: 0.05),
      .beta(alpha: 0.125, beta: 0.05), .beta(alpha: 2, beta: 5),
    ])
  func moments(distribution: Distribution) {
    var generator = Xoshiro256StarStar(seed: 99)
    let n = 40_000
    let draws = distribution.draws(n, using: &generator)
    #expect(draws.allSatisfy { $0.isFinite })
    let standardError = (distribution.variance / Double(n)).squareRoot()
    #expect(
      abs(mean(draws) - distribution.mean) < 5 * standardError, "mean \(mean(draws)) vs \(distribution.mean)")
    #expect(
      abs(variance(draws) / distribution.variance - 1) < 0.1,
      "variance \(variance(draws)) vs \(distribution.variance)")
  }

  @Test("beta draws with tiny shapes stay in [0, 1] and pile up near both ends")
  func spikyBeta() {
    var generator = Xoshiro256StarStar(seed: 1)
    let draws = Distribution.beta(alpha: 0.015, beta: 0.05).draws(10_000, using: &generator)
    #expect(draws.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(draws.filter { $0 < 0.01 }.count > 5000)
    #expect(draws.filter { $0 > 0.99 }.count > 1000)
  }

  @Test("calendar day numbers: 1970-01-01 is 0, 2000-03-01 is 11017, round trip, invalid dates refused")
  func calendar() throws {
    #expect(PeriodCalendar.dayNumber("1970-01-01") == 0)
    #expect(PeriodCalendar.dayNumber("2000-03-01") == 11017)
    #expect(PeriodCalendar.dayNumber("2021-02-29") == nil)
    #expect(PeriodCalendar.dayNumber("2020-02-29") != nil)
    #expect(PeriodCalendar.dayNumber("2020-13-01") == nil)
    for day in stride(from: -600_000, through: 2_900_000, by: 997) {
      #expect(PeriodCalendar.dayNumber(PeriodCalendar.format(day)) == day)
    }
    let weekly = try PeriodCalendar(start: "2022-01-03", periodDays: 7)
    #expect(weekly.date(ofPeriod: 52) == "2023-01-02")
    #expect(weekly.period(ofDate: "2022-01-17") == 2)
    #expect(weekly.period(ofDate: "2022-01-18") == nil)
  }

  @Test("an event bump peaks at its coefficient on its day and is coefficient * exp(-1/2) one sd away")
  func eventBump() throws {
    let dag = try CausalDAG(nodes: [.init(name: "e")], edges: [])
    let model = try StructuralCausalModel(
      dag: dag,
      equations: [
        "e": StructuralEquation([.events([EventBump(monthDay: "12-24", sdDays: 10, coefficient: 3)])])
      ],
      seed: 1, calendar: PeriodCalendar(start: "2020-12-01"))
    let e = try model.simulate(days: 40).series("e")!
    #expect(abs(e[23] - 3) < 1e-12)  // 2020-12-24
    #expect(abs(e[13] - 3 * exp(-0.5)) < 1e-12)
    #expect(abs(e[33] - 3 * exp(-0.5)) < 1e-12)
  }

  @Test("Michaelis-Menten, logistic, price response and trend terms match their closed forms")
  func closedForms() throws {
    #expect(
      abs(StructuralCausalModel.apply(.michaelisMenten(alpha: 30, lam: 75), to: 25) - 30.0 * 25 / 100) < 1e-12
    )
    let logistic = StructuralCausalModel.apply(.logistic(lam: 8, beta: 0.6), to: 0.3)
    #expect(abs(logistic - 0.6 * tanh(8 * 0.3 / 2)) < 1e-12)
    let dag = try CausalDAG(nodes: [.init(name: "p"), .init(name: "y")], edges: [(from: "p", to: "y")])
    let model = try StructuralCausalModel(
      dag: dag,
      equations: [
        "p": StructuralEquation([
          .exogenous(.uniform(lower: 0.01, upper: 0.1), smoothingWindow: 1, normalizeToMax: false)
        ]),
        "y": StructuralEquation([
          .priceResponse(parent: "p", alpha: 12, lam: 0.03),
          .trend(scale: 150, offset: 0.1, span: 0.5, exponent: 0.25),
        ]),
      ],
      seed: 3, calendar: PeriodCalendar(start: "2020-01-01"))
    let world = try model.simulate(days: 11)
    let p = world.series("p")!, y = world.series("y")!
    for t in 0..<11 {
      let expected = 12 / (1 + p[t] / 0.03) + 150 * pow(0.1 + 0.5 * Double(t) / 10, 0.25)
      #expect(abs(y[t] - expected) < 1e-9)
    }
  }

  @Test(
    "smoothing keeps a constant series' interior, sets the edges to the mean (as numpy's same-mode convolution then [:w] = mean) and averages the middle"
  )
  func smoothing() {
    let constant = StructuralCausalModel.smoothed(
      [Double](repeating: 2, count: 50), window: 14, normalize: false)
    #expect(constant[14..<36].allSatisfy { abs($0 - 2) < 1e-12 })
    // numpy: the 6 + 7 zero-padded edge values lose 21 + 28 of 14 * 2 per value: mean = 2 - 2 * (21 + 28) / (14 * 50).
    #expect(abs(constant[0] - (2 - 2 * Double(21 + 28) / Double(14 * 50))) < 1e-12)
    let ramp = (0..<40).map(Double.init)
    let smoothed = StructuralCausalModel.smoothed(ramp, window: 4, normalize: false)
    #expect(abs(smoothed[20] - (19 + 20 + 21 + 22) / 4.0) < 1e-12)
    let edgeMean = smoothed[0]
    #expect(smoothed[0..<4].allSatisfy { $0 == edgeMean } && smoothed[36..<40].allSatisfy { $0 == edgeMean })
    #expect(StructuralCausalModel.smoothed([1, 4, 2], window: 1, normalize: true) == [0.25, 1, 0.5])
  }

  @Test("invalid models are refused with the node and parameter named")
  func validation() throws {
    let dag = try CausalDAG(nodes: [.init(name: "x"), .init(name: "y")], edges: [(from: "x", to: "y")])
    let calendar = try PeriodCalendar(start: "2020-01-01")
    let x = StructuralEquation([.constant(1)])
    func message(_ equations: [String: StructuralEquation]) -> String? {
      do {
        _ = try StructuralCausalModel(dag: dag, equations: equations, seed: 1, calendar: calendar)
        return nil
      } catch { return error.description }
    }
    #expect(message(["x": x]) == "node 'y' has no structural equation")
    #expect(
      message(["x": StructuralEquation([.linear(parent: "y", coefficient: 1)]), "y": x])
        == "the equation of 'x' reads 'y', but the graph has no edge y -> x")
    #expect(
      message(["x": x, "y": StructuralEquation([], noise: .normal(mean: 0, sd: -1))])
        == "node 'y': parameter noise.sd = -1.0 must be finite and >= 0")
    #expect(
      message(["x": x, "y": x, "z": x])
        == "a structural equation is given for 'z', which is not a node of the graph")
    #expect(
      message([
        "x": x,
        "y": StructuralEquation([
          .media(parent: "x", adstock: .geometric(alpha: 1.5, lMax: 3, normalize: false), saturation: .none)
        ]),
      ])
        == "node 'y': parameter adstock alpha = 1.5 must be in [0, 1]")
    #expect(
      message(["x": x, "y": StructuralEquation([.priceResponse(parent: "x", alpha: 1, lam: .nan)])]) != nil)
    #expect(throws: SimulationError.self) { try PeriodCalendar(start: "2020-02-30") }
  }
}
