import CausalMMMCore
import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

/// The O(T) geometric adstock recursion against the convolution it replaces, and the threaded gradient.
@Suite struct GeometricRecursionTests {
  static func series(_ n: Int, seed: UInt64) -> [Double] {
    var rng = TestRandom(state: seed)
    return (0..<n).map { _ in rng.uniform() * (rng.uniform() < 0.2 ? 0 : 1) }
  }

  static let cases: [(lMax: Int, normalize: Bool, alpha: Double, count: Int)] = [1, 3, 8, 13].flatMap {
    lMax in
    [true, false].flatMap { normalize in
      [0, 1e-9, 0.3, 0.5, 0.9, 0.999, 1].flatMap { alpha in
        [1, 5, 156].map { (lMax, normalize, alpha, $0) }
      }
    }
  }

  @Test func recursionMatchesTheTruncatedConvolutionAndItsAlphaDerivative() {
    for (k, c) in Self.cases.enumerated() {
      let adstock = GeometricAdstock(lMax: c.lMax, normalize: c.normalize)
      let x = Self.series(c.count, seed: UInt64(k + 1))
      let (w, jac) = adstock.weightsAndJacobian([c.alpha])
      var expected = [Double](repeating: 0, count: c.count)
      var expectedSlope = expected
      x.withUnsafeBufferPointer { xp in
        w.withUnsafeBufferPointer { wp in
          expected.withUnsafeMutableBufferPointer { Convolution.forward(xp, weights: wp, into: $0) }
        }
        jac[0].withUnsafeBufferPointer { jp in
          expectedSlope.withUnsafeMutableBufferPointer { Convolution.forward(xp, weights: jp, into: $0) }
        }
      }
      var y = [Double](repeating: .nan, count: c.count)
      var dy = y
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          dy.withUnsafeMutableBufferPointer {
            adstock.recursion(xp, alpha: c.alpha, values: yp, derivatives: $0)
          }
        }
      }
      let scale = max(1, expected.map(abs).max() ?? 0)
      let slopeScale = max(1, expectedSlope.map(abs).max() ?? 0)
      #expect(maxAbsDifference(y, expected) <= 1e-12 * scale, "values \(c)")
      #expect(maxAbsDifference(dy, expectedSlope) <= 1e-12 * slopeScale, "derivative in alpha \(c)")
    }
  }

  @Test func fourInterleavedRecursionsAreBitIdenticalToFourSingleOnes() {
    for lMax in [1, 3, 8, 13] {
      for normalize in [true, false] {
        for n in [1, 5, 156] {
          let adstock = GeometricAdstock(lMax: lMax, normalize: normalize)
          let alphas: [Double] = [0, 0.3, 0.9, 1]
          let x = (0..<4).flatMap { Self.series(n, seed: UInt64(lMax * 100 + n * 4 + $0)) }
          var expected = [Double](repeating: 0, count: 4 * n)
          var expectedSlope = expected
          x.withUnsafeBufferPointer { xp in
            for k in 0..<4 {
              let series = UnsafeBufferPointer(rebasing: xp[(k * n)..<((k + 1) * n)])
              expected.withUnsafeMutableBufferPointer { e in
                expectedSlope.withUnsafeMutableBufferPointer { d in
                  adstock.recursion(
                    series, alpha: alphas[k],
                    values: UnsafeMutableBufferPointer(rebasing: e[(k * n)..<((k + 1) * n)]),
                    derivatives: UnsafeMutableBufferPointer(rebasing: d[(k * n)..<((k + 1) * n)]))
                }
              }
            }
          }
          // The same four series stored interleaved by date (lane k of date t at 4t + k).
          let interleaved = (0..<(4 * n)).map { x[($0 % 4) * n + $0 / 4] }
          var yi = [Double](repeating: .nan, count: 4 * n)
          var dyi = yi
          interleaved.withUnsafeBufferPointer { xp in
            yi.withUnsafeMutableBufferPointer { yp in
              dyi.withUnsafeMutableBufferPointer { dp in
                adstock.recursionInterleaved4(
                  xp.baseAddress!, count: n, alphas: SIMD4(alphas[0], alphas[1], alphas[2], alphas[3]),
                  values: yp.baseAddress!, derivatives: dp.baseAddress!)
              }
            }
          }
          let deinterleave = { (v: [Double]) in (0..<(4 * n)).map { v[($0 % n) * 4 + $0 / n] } }
          #expect(
            deinterleave(yi) == expected, "interleaved values lMax \(lMax) normalize \(normalize) n \(n)")
          #expect(
            deinterleave(dyi) == expectedSlope,
            "interleaved derivatives lMax \(lMax) normalize \(normalize) n \(n)")
        }
      }
    }
  }

  @Test func alphaDerivativeMatchesFiniteDifferencesOfTheConvolution() {
    let adstock = GeometricAdstock(lMax: 8, normalize: true)
    let x = Self.series(40, seed: 9)
    for alpha in [0.2, 0.5, 0.8] {
      var y = [Double](repeating: 0, count: x.count)
      var dy = y
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          dy.withUnsafeMutableBufferPointer {
            adstock.recursion(xp, alpha: alpha, values: yp, derivatives: $0)
          }
        }
      }
      for t in [0, 3, 7, 8, 20, 39] {
        let fd = finiteDifference({ adstock.apply(x, parameters: $0)[t] }, at: [alpha], index: 0)
        #expect(abs(fd - dy[t]) < 1e-7, "alpha \(alpha), t \(t): \(dy[t]) vs \(fd)")
      }
    }
  }

  @Test func adjointRecursionMatchesTheConvolutionInputAdjoint() {
    for (k, c) in Self.cases.enumerated() {
      let adstock = GeometricAdstock(lMax: c.lMax, normalize: c.normalize)
      let u = Self.series(c.count, seed: UInt64(100 + k)).map { $0 - 0.4 }
      let w = adstock.weights([c.alpha])
      var expected = [Double](repeating: 0, count: c.count)
      var got = [Double](repeating: .nan, count: c.count)
      u.withUnsafeBufferPointer { up in
        w.withUnsafeBufferPointer { wp in
          expected.withUnsafeMutableBufferPointer { Convolution.inputAdjoint(up, weights: wp, into: $0) }
        }
        got.withUnsafeMutableBufferPointer { adstock.adjointRecursion(up, alpha: c.alpha, into: $0) }
      }
      let scale = max(1, expected.map(abs).max() ?? 0)
      #expect(maxAbsDifference(got, expected) <= 1e-12 * scale, "adjoint \(c)")
    }
  }
}

@Suite struct ThreadedGradientTests {
  func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

  @Test func logDensityAndGradientAreBitIdenticalForAnyThreadCount() throws {
    let data = geoWorkload(geos: 7, weeks: 30, withControl: true)
    var pooled = seed000Configuration()
    pooled.controlColumns = ["z"]
    pooled.yearlySeasonality = 2
    pooled.priors["saturation_lam"] = .init(
      dist: .gamma, parameters: ["alpha": 3, "beta": 1], dims: ["geo", "channel"], pooledOver: "geo")
    var studentT = pooled
    studentT.likelihood = .init(dist: .studentT, nu: 5)
    var saturationFirst = pooled
    saturationFirst.adstockFirst = false
    for configuration in [seed000Configuration(), pooled, studentT, saturationFirst] {
      let model = try MMMModel(configuration: configuration, data: data)
      let u = pseudoRandomPoint(model.dimension, seed: 4)
      let (value1, gradient1) = model.valueAndGradient(u)
      #expect(value1.isFinite)
      for threads in [2, 3, 7, 16] {
        let (value, gradient) = model.withGradientThreads(threads).valueAndGradient(u)
        #expect(value.bitPattern == value1.bitPattern, "\(threads) threads")
        #expect(bits(gradient) == bits(gradient1), "\(threads) threads")
      }
    }
  }

  @Test func aSmallFitDrawsTheSameOnOneAndTwoGradientThreads() throws {
    let data = geoWorkload(geos: 4, weeks: 26)
    let model = try MMMModel(configuration: seed000Configuration(), data: data)
    var sampler = SamplerConfiguration()
    sampler.chains = 1
    sampler.tune = 40
    sampler.draws = 20
    sampler.seed = 3
    let one = try sampleNUTS(model, configuration: sampler)
    let two = try sampleNUTS(model.withGradientThreads(2), configuration: sampler)
    #expect(one.chains[0].unconstrained.map(bits) == two.chains[0].unconstrained.map(bits))
    #expect(one.chains[0].stats == two.chains[0].stats)
  }
}

@Suite struct BranchFreeExpTests {
  @Test func agreesWithTheLibraryExpToAFewUnitsInTheLastPlace() {
    var rng = TestRandom(state: 17)
    var worst = 0.0
    for i in 0..<200_000 {
      let x = i < 100_000 ? -40 * rng.uniform() : 1416 * rng.uniform() - 708
      let expected = Double.exp(x)
      worst = max(worst, abs(branchFreeExp(x) - expected) / expected)
    }
    #expect(worst < 5e-16, "worst relative error \(worst)")
    for x in [0.0, -0.0, 1, -1, 0.5 * Double.log(2.0), -708, 709, -1e-300] {
      #expect(abs(branchFreeExp(x) - Double.exp(x)) <= 4 * Double.exp(x).ulp, "\(x)")
    }
    #expect(branchFreeExp(-1000) > 0 && branchFreeExp(-1000) < 1e-307)
    #expect(branchFreeExp(.nan).isNaN)
  }

}

@Suite struct GeoByGeoContributionTests {
  /// The geo-by-geo contributions and ROAS equal the draw-by-draw computation bit for bit.
  @Test func contributionsMatchTheDrawByDrawPass() throws {
    let model = try MMMModel(configuration: seed000Configuration(), data: geoWorkload(geos: 3, weeks: 12))
    let draws = (0..<7).map { pseudoRandomPoint(model.dimension, seed: UInt64(20 + $0)) }
    let fit = FittedMMM(model: model, unconstrainedDraws: draws)
    let T = model.dates.count
    let C = model.channelNames.count
    let G = model.geoNames.count
    var perDraw = [[Double]](repeating: [], count: G * C * T)
    var totals = [[Double]](repeating: [], count: C)
    for u in draws {
      let contributions = model.meanAndContributions(slots: model.slotValues(u), inputs: model.inputs)
        .contributions
      for c in 0..<C {
        var total = 0.0
        for g in 0..<G {
          for t in 0..<T {
            let value = contributions[(g * C + c) * T + t] * model.targetScale
            perDraw[(g * C + c) * T + t].append(value)
            total += value
          }
        }
        totals[c].append(total)
      }
    }
    let got = fit.contributions()
    for c in 0..<C {
      #expect(got[c].totalDraws.map(\.bitPattern) == totals[c].map(\.bitPattern))
      for g in 0..<G {
        for t in 0..<T { #expect(got[c].series[g][t] == DrawSummary(perDraw[(g * C + c) * T + t])) }
      }
      #expect(fit.roas()[c].contribution == DrawSummary(totals[c]))
    }
  }
}

/// Five channels: the first four run the interleaved recursion, the fifth the single one.
@Suite struct InterleavedRecursionModelTests {
  static func wideWorkload(geos: Int, weeks: Int, channels: Int) -> (MMMData, MMMConfiguration) {
    var rng = TestRandom(state: 11)
    let start = CalendarDate(year: 2022, month: 1, day: 3)!
    var dates: [CalendarDate] = []
    var geoLabels: [String] = []
    var columns: [String: [Double]] = [:]
    let names = (0..<channels).map { "ch\($0)" }
    for g in 0..<geos {
      for t in 0..<weeks {
        dates.append(start.adding(days: 7 * t))
        geoLabels.append("geo_\(g)")
        var y = 1.0 + 0.1 * Double(g) + 0.1 * rng.normal()
        for name in names {
          let x = rng.uniform()
          columns[name, default: []].append(x)
          y += 0.3 * x
        }
        columns["y", default: []].append(y)
      }
    }
    var configuration = seed000Configuration()
    configuration.channelColumns = names
    configuration.priors["saturation_lam"] = .init(
      dist: .gamma, parameters: ["alpha": 3, "beta": 1], dims: ["geo", "channel"], pooledOver: "geo")
    configuration.priors["saturation_beta"] = .init(
      dist: .halfNormal, parameters: ["sigma": 1], dims: ["geo", "channel"], pooledOver: "geo")
    return (try! MMMData(dates: dates, geos: geoLabels, columns: columns), configuration)
  }

  @Test("a five-channel pooled model's gradient matches finite differences, 1 and 2 threads bit for bit")
  func gradient() throws {
    let (data, configuration) = Self.wideWorkload(geos: 2, weeks: 20, channels: 5)
    let model = try MMMModel(configuration: configuration, data: data)
    let u = pseudoRandomPoint(model.dimension, seed: 21)
    checkGradient(model, at: u, label: "five channels")
    let (value, gradient) = model.valueAndGradient(u)
    let (value2, gradient2) = model.withGradientThreads(2).valueAndGradient(u)
    #expect(value.bitPattern == value2.bitPattern)
    #expect(gradient.map(\.bitPattern) == gradient2.map(\.bitPattern))
  }
}
