import CausalMMMCore
import Foundation
import Inference
import MMM
import Testing

@testable import CausalValidation

@Suite("A fit's linearisation and the channel sensitivity built on it")
struct LinearisationTests {
  /// A national model y ~ x1 (geometric adstock, l_max 3, normalised; logistic saturation) + control c,
  /// and one posterior draw.
  func fitted() throws -> (FittedMMM, x: [Double], c: [Double], y: [Double]) {
    var rng = Xoshiro256StarStar(seed: 21)
    let count = 40
    let x = (0..<count).map { _ in 1 + 9 * rng.nextUniform() }
    let c = (0..<count).map { _ in rng.nextNormal() }
    let y = (0..<count).map { 50 + 3 * x[$0] + 2 * c[$0] + rng.nextNormal() }
    let configuration = MMMConfiguration(
      channelColumns: ["x1"], controlColumns: ["c"],
      adstock: .init(type: .geometric, lMax: 3, normalize: true))
    let data = try MMMData(
      dates: (0..<count).map { CalendarDate(daysSinceEpoch: 7 * $0) }, columns: ["x1": x, "c": c, "y": y])
    let model = try MMMModel(configuration: configuration, data: data)
    let draw = (0..<model.dimension).map { 0.1 * Double($0 % 5) - 0.2 }
    return (FittedMMM(model: model, unconstrainedDraws: [draw]), x, c, y)
  }

  @Test("the channel term is beta * logistic(lam * normalised geometric adstock of x / max x)")
  func channelSeriesMatchesTheFormula() throws {
    let (fit, x, c, y) = try fitted()
    let model = fit.model
    var natural = [Double](repeating: 0, count: model.parameterNames.count)
    fit.unconstrainedDraws[0].withUnsafeBufferPointer { position in
      natural.withUnsafeMutableBufferPointer { model.constrain(position, into: $0) }
    }
    func value(_ name: String) throws -> Double {
      natural[try #require(model.parameterNames.firstIndex(of: name))]
    }
    let alpha = try value("adstock_alpha[x1]")
    let lam = try value("saturation_lam[x1]")
    let beta = try value("saturation_beta[x1]")
    let scale = x.max() ?? 1
    let weights = (0..<3).map { Foundation.pow(alpha, Double($0)) }
    let total = weights.reduce(0, +)
    let expected = x.indices.map { t -> Double in
      let adstocked = (0..<3).reduce(0.0) { sum, l in
        t - l >= 0 ? sum + weights[l] / total * x[t - l] / scale : sum
      }
      return beta * (1 - Foundation.exp(-lam * adstocked)) / (1 + Foundation.exp(-lam * adstocked))
    }
    let linear = fit.linearisation()
    let channel = try #require(linear.channels.first)
    #expect(channel.name == "x1")
    for (got, want) in zip(channel.values, expected) { #expect(abs(got - want) < 1e-12) }
    #expect(linear.controls.map(\.name) == ["c"])
    #expect(linear.controls.first?.values == c)
    let yScale = y.map(abs).max() ?? 1
    for (got, want) in zip(linear.outcome, y) { #expect(abs(got - want / yScale) < 1e-12) }
  }

  @Test("the channel's sensitivity is the OLS sensitivity of y on its series, the control and an intercept")
  func channelSensitivityIsTheOLSAnalysis() throws {
    let (fit, _, _, _) = try fitted()
    let linear = fit.linearisation()
    let report = try ChannelSensitivity.analyse(fit: fit, benchmarks: ["c"])
    let entry = try #require(report.channels.first)
    let direct = try #require(
      OLSSensitivity.analyse(
        outcome: linear.outcome, treatment: linear.channels[0].values,
        covariates: [(name: "c", values: linear.controls[0].values)], benchmarks: ["c"]))
    #expect(abs(entry.sensitivity.tStatistic - direct.tStatistic) < 1e-12)
    #expect(entry.sensitivity.degreesOfFreedom == 40 - 3)
    #expect(entry.sensitivity.bounds.count == 3)
    #expect(throws: LocatedError.self) { _ = try ChannelSensitivity.analyse(fit: fit, benchmarks: ["nope"]) }
  }
}
