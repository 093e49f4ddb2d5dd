import CausalMMMCore
import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

/// A small deterministic pseudo-random source for test data.
struct TestRandom {
  var state: UInt64
  mutating func uniform() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
  }
  mutating func normal() -> Double {
    let u1 = max(uniform(), 1e-300)
    return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * uniform())
  }
}

/// Seed-000-shaped data: weekly dates, geos, two correlated channels in [0.1, 1], y from the true model.
func geoWorkload(geos: Int, weeks: Int, seed: UInt64 = 7, withControl: Bool = false) -> MMMData {
  var rng = TestRandom(state: seed)
  let start = CalendarDate(year: 2022, month: 1, day: 3)!
  var dates: [CalendarDate] = []
  var geoLabels: [String] = []
  var c1: [Double] = []
  var c2: [Double] = []
  var z: [Double] = []
  var y: [Double] = []
  for g in 0..<geos {
    let scale = 0.7 + 0.3 * Double(g) / Double(max(geos - 1, 1))
    for t in 0..<weeks {
      let base = 0.2 + 0.8 * rng.uniform()
      dates.append(start.adding(days: 7 * t))
      geoLabels.append(String(format: "geo_%02d", g))
      c1.append(min(1, max(0.1, base * scale + 0.02 * rng.normal())))
      c2.append(min(1, max(0.1, base * scale * 0.95 + 0.02 * rng.normal())))
      z.append(rng.normal())
      y.append(0.3 + 0.05 * Double(g) + 0.6 * c1.last! + 0.3 * c2.last! + 0.15 * rng.normal() + 1)
    }
  }
  var columns = ["channel_1": c1, "channel_2": c2, "y": y]
  if withControl { columns["z"] = z }
  return try! MMMData(dates: dates, geos: geoLabels, columns: columns)
}

func seed000Configuration() -> MMMConfiguration {
  MMMConfiguration(
    channelColumns: ["channel_1", "channel_2"], geoColumn: "geo",
    adstock: .init(type: .geometric, lMax: 8, normalize: true), saturation: .init(type: .logistic),
    priors: [
      "adstock_alpha": .init(dist: .beta, parameters: ["alpha": 2, "beta": 2]),
      "saturation_lam": .init(
        dist: .gamma, parameters: ["alpha": 4, "beta": 0.5], dims: ["geo", "channel"]),
      "saturation_beta": .init(dist: .halfNormal, parameters: ["sigma": 1], dims: ["geo", "channel"]),
    ])
}

func checkGradient<D: LogDensity>(_ model: D, at u: [Double], tolerance: Double = 1e-5, label: String) {
  let (value, gradient) = model.valueAndGradient(u)
  #expect(value.isFinite, "\(label): value \(value)")
  for i in u.indices {
    let fd = finiteDifference({ model.valueAndGradient($0).value }, at: u, index: i, step: 1e-6)
    #expect(
      abs(fd - gradient[i]) < tolerance * max(1, abs(fd)),
      "\(label): coordinate \(model.parameterNames[i]) analytic \(gradient[i]) vs finite difference \(fd)")
  }
}

func pseudoRandomPoint(_ n: Int, seed: UInt64) -> [Double] {
  var rng = TestRandom(state: seed)
  return (0..<n).map { _ in 0.5 * rng.normal() }
}

@Suite struct ModelGradientTests {
  @Test func seed000GeoModelWithLiftTestsHasGradientMatchingFiniteDifferences() throws {
    let data = geoWorkload(geos: 3, weeks: 20)
    let lifts = [
      LiftTest(channel: "channel_1", x: 0.6, deltaX: 0.1, deltaY: 0.05, sigma: 0.02, geo: "geo_00"),
      LiftTest(channel: "channel_2", x: 0.3, deltaX: 0.2, deltaY: 0.04, sigma: 0.03, geo: "geo_02"),
    ]
    let model = try MMMModel(configuration: seed000Configuration(), data: data, liftTests: lifts)
    #expect(model.dimension == 2 + 3 * 2 * 2 + 3 + 1)
    checkGradient(model, at: pseudoRandomPoint(model.dimension, seed: 1), label: "seed000")
  }

  @Test func everyAdstockAndSaturationCombinationHasCorrectModelGradient() throws {
    let data = geoWorkload(geos: 2, weeks: 16, withControl: true)
    for adstock in AdstockKind.allCases {
      for saturation in SaturationKind.allCases {
        var config = MMMConfiguration(
          channelColumns: ["channel_1", "channel_2"], controlColumns: ["z"], geoColumn: "geo",
          adstock: .init(type: adstock, lMax: 4, normalize: adstock != .delayed),
          saturation: .init(type: saturation),
          yearlySeasonality: 2, trend: true)
        config.adstockFirst = saturation != .tanh  // also covers saturation-first
        let model = try MMMModel(configuration: config, data: data)
        checkGradient(
          model, at: pseudoRandomPoint(model.dimension, seed: 3), label: "\(adstock)+\(saturation)")
      }
    }
  }

  @Test func pooledStudentTModelWithWindowedNormalLiftsHasCorrectGradient() throws {
    let data = geoWorkload(geos: 3, weeks: 24)
    var config = seed000Configuration()
    config.priors["saturation_lam"] = .init(
      dist: .gamma, parameters: ["mu": 8, "sigma": 3], pooledOver: "geo")
    config.priors["adstock_alpha"] = .init(
      dist: .beta, parameters: ["alpha": 2, "beta": 2], pooledOver: "geo")
    config.priors["intercept"] = .init(dist: .normal, parameters: ["mu": 0, "sigma": 1], pooledOver: "geo")
    config.likelihood = .init(dist: .studentT, nu: 4)
    config.liftTestLikelihood = .normal
    let start = data.dates[8]
    let lifts = [
      LiftTest(
        channel: "channel_1", x: 0.5, deltaX: 0.2, deltaY: 0.04, sigma: 0.02, geo: "geo_01", start: start,
        end: start.adding(days: 28)),
      LiftTest(channel: "channel_2", x: 0.5, deltaX: 0.1, deltaY: 0.02, sigma: 0.02, geo: "geo_00"),
    ]
    let model = try MMMModel(configuration: config, data: data, liftTests: lifts)
    #expect(model.parameterNames.contains("saturation_lam_sigma[channel_1]"))
    #expect(model.parameterNames.contains("saturation_lam[geo_02,channel_2]"))
    checkGradient(model, at: pseudoRandomPoint(model.dimension, seed: 5), label: "pooled")
    // Gamma lift likelihood with windowed rows too.
    config.liftTestLikelihood = .gamma
    let gammaModel = try MMMModel(configuration: config, data: data, liftTests: lifts)
    checkGradient(gammaModel, at: pseudoRandomPoint(gammaModel.dimension, seed: 6), label: "pooled-gamma")
  }
}

@Suite struct ModelValueTests {
  /// The seed-000 log posterior written out directly: loops, no shared code beyond the priors' closed forms.
  @Test func seed000LogDensityEqualsAStraightforwardIndependentImplementation() throws {
    let data = geoWorkload(geos: 8, weeks: 104)
    let lifts = [0, 2, 4, 6].map {
      LiftTest(
        channel: "channel_1", x: 0.55, deltaX: 0.1, deltaY: 0.03, sigma: 0.02,
        geo: String(format: "geo_%02d", $0))
    }
    let model = try MMMModel(configuration: seed000Configuration(), data: data, liftTests: lifts)
    // Fixed constrained values: alpha per channel; lam, beta per (geo, channel); intercept per geo; sigma.
    let alpha = [0.5, 0.45]
    var lam: [[Double]] = []
    var beta: [[Double]] = []
    var intercept: [Double] = []
    for g in 0..<8 {
      let gd = Double(g)
      lam.append([8.0 + 0.1 * gd, 6.0 - 0.1 * gd])
      beta.append([0.6 + 0.01 * gd, 0.5])
      intercept.append(0.3 + 0.05 * gd)
    }
    let sigma = 0.15
    // Independent computation of the channel contributions and the Normal likelihood.
    let n = data.rowCount
    let channels = ["channel_1", "channel_2"]
    let xMax: [Double] = channels.map { (c: String) -> Double in data.columns[c]!.max()! }
    let yValues: [Double] = data.columns["y"]!
    let yMax: Double = yValues.map { abs($0) }.max()!
    func logNormal(_ x: Double, _ m: Double, _ s: Double) -> Double {
      -0.5 * Double.log(2 * Double.pi) - Double.log(s) - (x - m) * (x - m) / (2 * s * s)
    }
    var expected = 0.0
    var meanContribution = [Double](repeating: 0, count: 8)
    for g in 0..<8 {
      let rows = (0..<n).filter { data.geos![$0] == String(format: "geo_%02d", g) }
      var media = [Double](repeating: 0, count: rows.count)
      for t in rows.indices {
        for c in 0..<2 {
          var numerator = 0.0
          var denominator = 0.0
          for l in 0..<8 {
            denominator += Double.pow(alpha[c], Double(l))
            if t - l >= 0 {
              numerator += Double.pow(alpha[c], Double(l)) * data.columns[channels[c]]![rows[t - l]] / xMax[c]
            }
          }
          let a = numerator / denominator
          media[t] += beta[g][c] * (1 - Double.exp(-lam[g][c] * a)) / (1 + Double.exp(-lam[g][c] * a))
        }
        expected += logNormal(data.columns["y"]![rows[t]] / yMax, intercept[g] + media[t], sigma)
      }
      meanContribution[g] = media.reduce(0, +) / Double(rows.count)
    }
    // The model samples the intercept centred (m_g = intercept_g + mean contribution, unit Jacobian);
    // locate the point by name.
    var u = [Double](repeating: .nan, count: model.dimension)
    for (i, name) in model.parameterNames.prefix(model.dimension).enumerated() {
      for c in 0..<2 {
        if name == "adstock_alpha[\(channels[c])]" { u[i] = Double.log(alpha[c] / (1 - alpha[c])) }
        for g in 0..<8 {
          let key = String(format: "geo_%02d,", g) + channels[c]
          if name == "saturation_lam[\(key)]" { u[i] = Double.log(lam[g][c]) }
          if name == "saturation_beta[\(key)]" { u[i] = Double.log(beta[g][c]) }
        }
      }
      for g in 0..<8 where name == String(format: "intercept_centered[geo_%02d]", g) {
        u[i] = intercept[g] + meanContribution[g]
      }
      if name == "y_sigma" { u[i] = Double.log(sigma) }
    }
    #expect(!u.contains { $0.isNaN })
    // The model standardises some coordinates (z = shift + scale·u, constant Jacobian Σ log scale):
    // map the point to the sampler's coordinates and add the constant.
    for i in u.indices {
      let c = model.layout.coordinates[i]
      u[i] = (u[i] - c.shift) / c.scale
    }
    let standardisationJacobian = model.layout.coordinates.map { Double.log($0.scale) }.reduce(0, +)
    #expect(standardisationJacobian != 0)
    // The reported intercept is the model's intercept.
    let reported = model.constrained(u)
    for g in 0..<8 {
      let index = model.parameterNames.firstIndex(of: String(format: "intercept[geo_%02d]", g))!
      #expect(abs(reported[index] - intercept[g]) < 1e-12)
    }
    // Priors with Jacobians: Beta(2,2) on alpha (logit), Gamma(4, 0.5) on lam (log), HalfNormal(1) on beta (log),
    // Normal(0, 2) on intercept, HalfNormal(2) on sigma (log).
    for c in 0..<2 {
      expected += Double.log(6 * alpha[c] * (1 - alpha[c])) + Double.log(alpha[c] * (1 - alpha[c]))
      for g in 0..<8 {
        expected +=
          4 * Double.log(0.5) - Double.logGamma(4) + 3 * Double.log(lam[g][c]) - 0.5 * lam[g][c]
          + Double.log(lam[g][c])
        expected += Double.log(2) + logNormal(beta[g][c], 0, 1) + Double.log(beta[g][c])
      }
    }
    for g in 0..<8 { expected += logNormal(intercept[g], 0, 2) }
    expected += Double.log(2) + logNormal(sigma, 0, 2) + Double.log(sigma)
    // Lift tests: Gamma(mean = |s(x+dx) - s(x)|, sd = sigma) on |dy|, all scaled.
    for g in [0, 2, 4, 6] {
      func s(_ x: Double) -> Double {
        beta[g][0] * (1 - Double.exp(-lam[g][0] * x)) / (1 + Double.exp(-lam[g][0] * x))
      }
      let m = abs(s((0.55 + 0.1) / xMax[0]) - s(0.55 / xMax[0]))
      let sd = 0.02 / yMax
      let y = 0.03 / yMax
      let a = m * m / (sd * sd)
      let b = m / (sd * sd)
      expected += a * Double.log(b) - Double.logGamma(a) + (a - 1) * Double.log(y) - b * y
    }
    expected += standardisationJacobian
    let got = model.valueAndGradient(u).value
    #expect(abs(got - expected) < 1e-9 * abs(expected), "model \(got) vs independent \(expected)")
  }

  @Test func isSafeToEvaluateConcurrentlyFromSeveralThreads() throws {
    let model = try MMMModel(configuration: seed000Configuration(), data: geoWorkload(geos: 4, weeks: 30))
    let points = (0..<8).map { pseudoRandomPoint(model.dimension, seed: UInt64(10 + $0)) }
    let serial = points.map { model.valueAndGradient($0) }
    let mismatches = Mismatches()
    DispatchQueue.concurrentPerform(iterations: points.count) { i in
      for _ in 0..<50 where model.valueAndGradient(points[i]) != serial[i] { mismatches.add() }
    }
    #expect(mismatches.count == 0)
  }
}

final class Mismatches: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func add() { lock.lock(); value += 1; lock.unlock() }
  var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

@Suite struct FittedQueryTests {
  @Test func liftCheckAndInterventionAtAFixedDrawMatchHandComputation() throws {
    let data = geoWorkload(geos: 2, weeks: 30)
    let lift = LiftTest(channel: "channel_1", x: 0.5, deltaX: 0.1, deltaY: 0.02, sigma: 0.01, geo: "geo_01")
    let model = try MMMModel(configuration: seed000Configuration(), data: data, liftTests: [lift])
    let u = pseudoRandomPoint(model.dimension, seed: 21)
    let fit = FittedMMM(model: model, unconstrainedDraws: [u])
    let values = model.constrained(u)
    func value(_ name: String) -> Double { values[model.parameterNames.firstIndex(of: name)!] }
    let lam = value("saturation_lam[geo_01,channel_1]")
    let beta = value("saturation_beta[geo_01,channel_1]")
    let xMax = data.columns["channel_1"]!.max()!
    let yMax = data.columns["y"]!.map { abs($0) }.max()!
    func s(_ x: Double) -> Double { beta * (1 - Double.exp(-lam * x)) / (1 + Double.exp(-lam * x)) }
    let expected = abs(s(0.6 / xMax) - s(0.5 / xMax)) * yMax
    let check = try #require(fit.liftChecks().first)
    #expect(abs(check.modelLift.mean - expected) < 1e-12)
    #expect(abs(check.zScore - (expected - 0.02) / 0.01) < 1e-9)
    // Doubling channel_2 in geo_00 only changes geo_00's outcome by Σ_t [s(a'_t) - s(a_t)] · c_y.
    let doubled = try data.modifying(column: "channel_2") { _, geo, x in geo == "geo_00" ? 2 * x : x }
    let effect = try fit.intervene(counterfactual: doubled)
    let alpha = value("adstock_alpha[channel_2]")
    let lam2 = value("saturation_lam[geo_00,channel_2]")
    let beta2 = value("saturation_beta[geo_00,channel_2]")
    let x2Max = data.columns["channel_2"]!.max()!
    let series = (0..<data.rowCount).filter { data.geos![$0] == "geo_00" }.map {
      data.columns["channel_2"]![$0] / x2Max
    }
    func adstocked(_ x: [Double]) -> [Double] {
      let w = (0..<8).map { Double.pow(alpha, Double($0)) }
      let total = w.reduce(0, +)
      return x.indices.map { t in
        (0..<8).filter { t - $0 >= 0 }.map { w[$0] * x[t - $0] }.reduce(0, +) / total
      }
    }
    func sat(_ a: Double) -> Double { beta2 * (1 - Double.exp(-lam2 * a)) / (1 + Double.exp(-lam2 * a)) }
    let before = adstocked(series).map(sat)
    let after = adstocked(series.map { 2 * $0 }).map(sat)
    let expectedTotal = zip(after, before).map { ($0 - $1) * yMax }.reduce(0, +)
    #expect(abs(effect.totalDraws[0] - expectedTotal) < 1e-9 * abs(expectedTotal))
  }
}
