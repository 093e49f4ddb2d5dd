import CausalMMMCore
import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

@Suite("Partial centring: the same posterior in coordinates the sampler moves more easily")
struct PartialCentringTests {
  /// Three models with every kind of candidate: rotated lam/beta pairs, plain pooled offsets (beta's
  /// `centered: false`, which must stay as written), and per-geo HSGP weights on both time-varying terms.
  static func models() throws -> [(String, MMMModel)] {
    let data = geoWorkload(geos: 3, weeks: 20)
    let rotated = try MMMModel(
      configuration: HierarchicalSamplingTests.pooledConfiguration(centered: nil), data: data)
    let plain = try MMMModel(
      configuration: HierarchicalSamplingTests.pooledConfiguration(centered: false), data: data)
    let hsgp = try MMMModel(
      configuration: LatentMultiplierTests.configuration(
        m: 5, cov: .matern52, geo: true, lsMu: 6, media: true),
      data: geoWorkload(geos: 3, weeks: 20, withControl: false))
    return [("rotated", rotated), ("plain", plain), ("hsgp", hsgp)]
  }

  /// Every candidate with a weight spread over (0, 1].
  static func varied(_ model: MMMModel) -> PartiallyCentredMMM {
    let entries = PartialCentring.candidates(model.layout).enumerated().map { k, entry in
      PartialCentring.Entry(
        coordinate: entry.coordinate, hyper: entry.hyper, weight: 0.15 + 0.85 * Double(k % 5) / 4)
    }
    return PartiallyCentredMMM(model: model, centring: PartialCentring(entries: entries))
  }

  @Test("candidates: rotated products, plain offsets unless centered: false, HSGP weights")
  func candidates() throws {
    let models = Dictionary(uniqueKeysWithValues: try Self.models())
    func names(_ model: MMMModel) -> [String] {
      PartialCentring.candidates(model.layout).map { model.layout.coordinates[$0.coordinate].name }
    }
    let rotated = try #require(models["rotated"])
    #expect(names(rotated).count == 3 * 2)
    #expect(names(rotated).allSatisfy { $0.hasPrefix("saturation_lam_beta_product_offset[") })
    let plain = try #require(models["plain"])
    #expect(names(plain).count == 3 * 2)
    #expect(names(plain).allSatisfy { $0.hasPrefix("saturation_lam_offset[") })
    let hsgp = try #require(models["hsgp"])
    #expect(names(hsgp).count == 2 * 3 * 5)
    #expect(names(hsgp).allSatisfy { $0.contains("_hsgp_coefs_offset[") })
  }

  @Test("the gradient in partially centred coordinates matches finite differences")
  func gradient() throws {
    for (label, model) in try Self.models() {
      let density = Self.varied(model)
      for seed in [21, 22] as [UInt64] {
        checkGradient(density, at: pseudoRandomPoint(model.dimension, seed: seed), label: "\(label) \(seed)")
      }
    }
  }

  @Test("the same model: log p differs from the model's by the log-Jacobian of the map, which inverts")
  func sameModel() throws {
    for (label, model) in try Self.models() {
      let density = Self.varied(model)
      let point = pseudoRandomPoint(model.dimension, seed: 31)
      let u = density.modelPoint(point)
      // The map is triangular (an entry's z reads only hyperparameters, which it leaves alone), so its
      // log-Jacobian is the sum of log ∂u_i/∂ũ_i over the entries, here by finite differences.
      var logJacobian = 0.0
      for entry in density.centring.entries {
        let i = entry.coordinate
        logJacobian += Double.log(finiteDifference({ density.modelPoint($0)[i] }, at: point, index: i))
      }
      let difference = density.valueAndGradient(point).value - model.valueAndGradient(u).value
      #expect(abs(difference - logJacobian) < 1e-6, "\(label): \(difference) vs \(logJacobian)")
      #expect(maxAbsDifference(density.samplerPoint(u), point) < 1e-12, "\(label)")
      // Reported values are the model's at the mapped point.
      #expect(maxAbsDifference(density.constrained(point), model.constrained(u)) == 0, "\(label)")
      let untouched = Set(density.centring.entries.map(\.coordinate))
      for i in point.indices where !untouched.contains(i) { #expect(u[i] == point[i]) }
    }
  }

  @Test("weights are 1 - var(z) for coordinates the draws show informed, none for prior-dominated ones")
  func weightsFromDraws() throws {
    for (label, model) in try Self.models() {
      let candidates = PartialCentring.candidates(model.layout)
      // Independent draws: an informed candidate has variance 0.25 (weight 0.75), the others 1.
      var rng = TestRandom(state: 17)
      let points = (0..<400).map { _ -> [Double] in
        var u = [Double](repeating: 0, count: model.dimension)
        for (k, entry) in candidates.enumerated() {
          u[entry.coordinate] = (Self.informed(k, entry) ? 0.5 : 1) * rng.normal()
        }
        return u
      }
      try Self.expectEvenCandidatesWeighted(points, model: model, label: label)
    }
  }

  /// The candidates the tests' draws inform: an HSGP process's two lowest frequencies (the data inform
  /// low frequencies, `nonIncreasingAlongFrequency`), every other candidate with an even index.
  static func informed(_ k: Int, _ entry: PartialCentring.Entry) -> Bool {
    if case .spectral(_, let j) = entry.hyper { return j < 2 }
    return k % 2 == 0
  }

  /// `fromDraws` on `points` gives an `informed` candidate a weight of 0.75 ± 0.1 and the others none.
  static func expectEvenCandidatesWeighted(_ points: [[Double]], model: MMMModel, label: String) throws {
    let weights = Dictionary(
      uniqueKeysWithValues: PartialCentring.fromDraws(points, layout: model.layout).entries.map {
        ($0.coordinate, $0.weight)
      })
    for (k, entry) in PartialCentring.candidates(model.layout).enumerated() {
      if Self.informed(k, entry) {
        let weight = try #require(weights[entry.coordinate], "\(label): informed candidate \(k) kept")
        #expect(abs(weight - 0.75) < 0.1, "\(label) \(k): \(weight)")
      } else {
        #expect(weights[entry.coordinate] == nil, "\(label): prior-dominated candidate \(k) left alone")
      }
    }
  }

  @Test("a weight comes from z's variance given its hyperparameters, not from the variance they add")
  func weightsGivenTheHyperparameters() throws {
    let model = try #require(try Self.models().first { $0.0 == "plain" }?.1)
    let layout = model.layout
    let candidates = PartialCentring.candidates(layout)
    // Each draw has its own log-spread ρ ~ Normal(−1, 0.5); candidate k even is informed and moves with
    // it, z = 3 (ρ + 1) + 0.5 ε (variance 2.5 in all, 0.25 given ρ: weight 0.75); k odd is z = ε.
    var rng = TestRandom(state: 23)
    let points = (0..<400).map { _ -> [Double] in
      var u = [Double](repeating: 0, count: model.dimension)
      let rho = -1 + 0.5 * rng.normal()
      for entry in candidates {
        guard case .pooled(_, let spread) = entry.hyper else { continue }
        u[spread] = (rho - layout.coordinates[spread].shift) / layout.coordinates[spread].scale
      }
      for (k, entry) in candidates.enumerated() {
        u[entry.coordinate] = Self.informed(k, entry) ? 3 * (rho + 1) + 0.5 * rng.normal() : rng.normal()
      }
      return u
    }
    try Self.expectEvenCandidatesWeighted(points, model: model, label: "given ρ")
  }

  @Test("HSGP weight estimates become non-increasing in frequency per process: the least-squares fit")
  func nonIncreasingAlongFrequency() throws {
    // The HSGP model's candidates between the other models' (the function reads only each entry's kind).
    let models = Dictionary(uniqueKeysWithValues: try Self.models())
    let candidates = try ["rotated", "hsgp", "plain"].flatMap {
      PartialCentring.candidates(try #require(models[$0]).layout)
    }
    var rng = TestRandom(state: 41)
    for _ in 0..<50 {
      let estimates = candidates.map { _ in rng.normal() }
      let fitted = PartialCentring.nonIncreasingAlongFrequency(estimates, candidates: candidates)
      // Runs: each process's frequencies 0, 1, ..., m - 1 in candidate order.
      var runs: [[Int]] = []
      for (k, entry) in candidates.enumerated() {
        guard case .spectral(_, let j) = entry.hyper else {
          #expect(fitted[k] == estimates[k], "a candidate that is not an HSGP weight keeps its estimate")
          continue
        }
        if j == 0 { runs.append([]) }
        runs[runs.count - 1].append(k)
      }
      #expect(runs.count == 2 * 3, "two terms, three geos each")
      for run in runs {
        let y = run.map { estimates[$0] }
        // The non-increasing least-squares fit, independently: f_i = min over a ≤ i of max over b ≥ i of
        // mean(y[a...b]) (Robertson, Wright and Dykstra 1988, the min-max formula).
        for i in run.indices {
          var expected = Double.infinity
          for a in 0...i {
            var largest = -Double.infinity
            for b in i..<y.count {
              let mean: Double = y[a...b].reduce(0, +) / Double(b - a + 1)
              largest = max(largest, mean)
            }
            expected = min(expected, largest)
          }
          #expect(abs(fitted[run[i]] - expected) < 1e-12)
        }
      }
    }
    // An isolated high value among lower neighbours is averaged with the one before it.
    let spike = [0.9, 0.7, 0.02, 0.6, -0.03]
    let pooled = PartialCentring.nonIncreasingAlongFrequency(
      candidates.map { entry in
        if case .spectral(_, let j) = entry.hyper { return spike[j] }
        return 0.5
      }, candidates: candidates)
    let first = try #require(
      candidates.firstIndex { if case .spectral = $0.hyper { return true } else { return false } })
    #expect(maxAbsDifference(Array(pooled[first..<(first + 5)]), [0.9, 0.7, 0.31, 0.31, -0.03]) < 1e-12)
  }

  @Test("residuals after least squares: exact fits vanish, constant and repeated regressors drop out")
  func residualsAfterRegression() {
    let x = (0..<50).map { Double($0) / 7 }
    let w = (0..<50).map { Double.sin(Double($0)) }
    let y = zip(x, w).map { 2 + 3 * $0 - 1.5 * $1 }
    let exact = PartialCentring.residualsAfterRegression(y, on: [x, [Double](repeating: 4, count: 50), w, x])
    #expect(exact.allSatisfy { abs($0) < 1e-10 })
    // With nothing to regress on, the residuals are y less its mean.
    let mean = y.reduce(0, +) / 50
    let centred = PartialCentring.residualsAfterRegression(y, on: [[Double](repeating: 0, count: 50)])
    #expect(maxAbsDifference(centred, y.map { $0 - mean }) < 1e-12)
  }

  @Test(
    "a fit with and without partial centring gives the same posterior; draws come back in model coordinates")
  func samePosterior() throws {
    let data = geoWorkload(geos: 3, weeks: 30)
    var summaries: [[String: ParameterSummary]] = []
    for kind in [PartialCenteringKind.off, .auto] {
      var configuration = HierarchicalSamplingTests.pooledConfiguration(centered: nil)
      configuration.sampler.partialCentering = kind
      let model = try MMMModel(configuration: configuration, data: data)
      var sampler = SamplerConfiguration()
      sampler.chains = 2
      sampler.tune = 400
      sampler.draws = 600
      sampler.seed = 5
      sampler.metric = .blockDiagonal
      let fit = try FittedMMM.fit(model, sampler: sampler)
      let posterior = try #require(fit.posterior)
      // Stored unconstrained draws are the model's coordinates: constraining them gives the reported values.
      // and lp__ is the model's log density there, whatever coordinates each chain chose.
      for chain in posterior.chains {
        for (u, (values, stats)) in zip(chain.unconstrained.prefix(20), zip(chain.values, chain.stats)) {
          #expect(maxAbsDifference(model.constrained(u), values) < 1e-9)
          let lp = model.valueAndGradient(u).value
          #expect(abs(stats.lp - lp) < 1e-8 * max(1, abs(lp)), "lp__ \(stats.lp) vs the model's \(lp)")
        }
      }
      summaries.append(Dictionary(uniqueKeysWithValues: fit.parameterSummary.map { ($0.name, $0) }))
    }
    for name in [
      "saturation_lam[channel_1]", "saturation_beta[channel_2]", "y_sigma", "adstock_alpha[channel_1]",
    ] {
      let off = try #require(summaries[0][name])
      let auto = try #require(summaries[1][name])
      let mcse = (off.mcseMean * off.mcseMean + auto.mcseMean * auto.mcseMean).squareRoot()
      #expect(abs(off.mean - auto.mean) < 5 * mcse, "\(name): \(off.mean) vs \(auto.mean), mcse \(mcse)")
    }
  }
}
