import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

@Suite("Polar spreads: a rotated pair's two spreads sampled as log r and the angle's logit")
struct PolarSpreadsTests {
  /// The rotated model (3 geos, 2 channels: two lam/beta pairs) in polar spreads, partially centred as
  /// `PartialCentringTests.varied` or not at all.
  static func densities() throws -> [(String, PartiallyCentredMMM)] {
    let model = try #require(try PartialCentringTests.models().first { $0.0 == "rotated" }?.1)
    let polar = PolarSpreads(model.layout)
    let centred = PartialCentringTests.varied(model)
    return [
      ("polar", PartiallyCentredMMM(model: model, centring: PartialCentring(entries: []), polar: polar)),
      ("polar+centred", PartiallyCentredMMM(model: model, centring: centred.centring, polar: polar)),
    ]
  }

  @Test("one pair per channel: each channel's lam and beta spreads")
  func pairs() throws {
    let model = try #require(try PartialCentringTests.models().first { $0.0 == "rotated" }?.1)
    let names = PolarSpreads(model.layout).pairs.map {
      [model.layout.coordinates[$0.first].name, model.layout.coordinates[$0.second].name]
    }
    #expect(
      names == [
        ["saturation_lam_sigma[channel_1]", "saturation_beta_sigma[channel_1]"],
        ["saturation_lam_sigma[channel_2]", "saturation_beta_sigma[channel_2]"],
      ])
  }

  @Test("the gradient in polar coordinates matches finite differences")
  func gradient() throws {
    for (label, density) in try Self.densities() {
      for seed in [41, 42, 43] as [UInt64] {
        checkGradient(
          density, at: pseudoRandomPoint(density.dimension, seed: seed), label: "\(label) \(seed)")
      }
    }
  }

  @Test("the same model: log p differs by the log-determinant of the map (finite differences), which inverts")
  func sameModel() throws {
    for (label, density) in try Self.densities() {
      var point = pseudoRandomPoint(density.dimension, seed: 51)
      // One pair near each corner of the quarter circle, where cos φ or sin φ is small.
      point[density.polar.pairs[0].second] = 9
      point[density.polar.pairs[1].second] = -7
      let u = density.modelPoint(point)
      // The map is block triangular: each pair's 2 x 2 block (polar), then each centred entry's diagonal
      // term (its z reads hyperparameters only).
      var logJacobian = 0.0
      for pair in density.polar.pairs {
        func d(_ row: Int, _ column: Int) -> Double {
          finiteDifference({ density.modelPoint($0)[row] }, at: point, index: column, step: 1e-5)
        }
        let determinant =
          d(pair.first, pair.first) * d(pair.second, pair.second)
          - d(pair.first, pair.second) * d(pair.second, pair.first)
        logJacobian += Double.log(abs(determinant))
      }
      for entry in density.centring.entries {
        let i = entry.coordinate
        logJacobian += Double.log(finiteDifference({ density.modelPoint($0)[i] }, at: point, index: i))
      }
      let model = density.model
      let difference = density.valueAndGradient(point).value - model.valueAndGradient(u).value
      #expect(abs(difference - logJacobian) < 1e-5, "\(label): \(difference) vs \(logJacobian)")
      #expect(maxAbsDifference(density.samplerPoint(u), point) < 1e-9, "\(label)")
      // lp__ is reported in the model's coordinates: the same function of u for every chain.
      let reported = density.reportedLogDensity(point, value: density.valueAndGradient(point).value)
      #expect(abs(reported - model.valueAndGradient(u).value) < 1e-9 * max(1, abs(reported)), "\(label)")
      #expect(maxAbsDifference(density.constrained(point), model.constrained(u)) == 0, "\(label)")
      // The spreads are r cos φ and r sin φ, φ = (π/2) σ(ψ).
      let values = Dictionary(uniqueKeysWithValues: zip(model.parameterNames, model.constrained(u)))
      for (pair, channel) in zip(density.polar.pairs, ["channel_1", "channel_2"]) {
        let r = Double.exp(point[pair.first])
        let phi = Double.pi / 2 / (1 + Double.exp(-point[pair.second]))
        let lam = try #require(values["saturation_lam_sigma[\(channel)]"])
        let beta = try #require(values["saturation_beta_sigma[\(channel)]"])
        #expect(abs(lam / (r * Double.cos(phi)) - 1) < 1e-9, "\(label) \(channel)")
        #expect(abs(beta / (r * Double.sin(phi)) - 1) < 1e-9, "\(label) \(channel)")
      }
    }
  }

  @Test("warm-up turns to polar spreads with the weights; the fit reports the model's coordinates")
  func reparametrisedInWarmup() throws {
    let model = try #require(try PartialCentringTests.models().first { $0.0 == "rotated" }?.1)
    let start = PartiallyCentredMMM(model: model, centring: PartialCentring(entries: []))
    #expect(start.polar.isEmpty && start.reparametrisesInWarmup)
    let window = (0..<40).map { pseudoRandomPoint(model.dimension, seed: 100 + UInt64($0)) }
    let (changed, mapped) = try #require(start.reparametrised(from: window))
    #expect(changed.polar.pairs.count == 2 && !changed.reparametrisesInWarmup)
    for (position, point) in zip(window, mapped) {
      #expect(maxAbsDifference(changed.reportedPosition(point), position) < 1e-9)
    }
  }
}
