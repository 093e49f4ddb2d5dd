import CausalMMMCore
import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

@Suite("Pooled parameters: centred sampling and the population metric block")
struct HierarchicalSamplingTests {
  static func pooledConfiguration(centered: Bool?, lamCentered: Bool? = nil) -> MMMConfiguration {
    var config = seed000Configuration()
    config.priors["saturation_beta"] = .init(
      dist: .halfNormal, parameters: ["sigma": 1], dims: ["geo", "channel"], pooledOver: "geo")
    config.priors["saturation_beta"]?.centered = centered
    config.priors["saturation_lam"] = .init(
      dist: .gamma, parameters: ["alpha": 3, "beta": 1], dims: ["geo", "channel"], pooledOver: "geo")
    config.priors["saturation_lam"]?.centered = lamCentered
    return config
  }

  @Test("logistic lam and beta both pooled are sampled rotated; centered: false keeps plain offsets")
  func rotatedOnlyWhenBothPooledAndUnset() throws {
    let data = geoWorkload(geos: 3, weeks: 20)
    let rotated = try MMMModel(configuration: Self.pooledConfiguration(centered: nil), data: data)
    let names = rotated.parameterNames.prefix(rotated.dimension)
    #expect(names.contains("saturation_lam_beta_product_offset[geo_01,channel_2]"))
    #expect(names.contains("saturation_lam_beta_ratio_offset[geo_01,channel_2]"))
    #expect(
      !names.contains { $0.hasPrefix("saturation_lam_offset[") || $0.hasPrefix("saturation_beta_offset[") })
    #expect(rotated.parameterNames.contains("saturation_beta[geo_01,channel_2]"))
    for (beta, lam) in [(false, nil), (nil, false), (true, nil)] as [(Bool?, Bool?)] {
      let plain = try MMMModel(
        configuration: Self.pooledConfiguration(centered: beta, lamCentered: lam), data: data)
      #expect(!plain.parameterNames.contains { $0.contains("_product_offset[") })
    }
  }

  @Test("the rotated pair has the gradient of finite differences")
  func rotatedGradient() throws {
    let model = try MMMModel(
      configuration: Self.pooledConfiguration(centered: nil), data: geoWorkload(geos: 3, weeks: 20))
    for seed in [8, 9] as [UInt64] {
      checkGradient(model, at: pseudoRandomPoint(model.dimension, seed: seed), label: "rotated \(seed)")
    }
  }

  @Test("rotated and plain non-centred offsets are one model: same log p and slots at rotated points")
  func rotatedIsTheNonCentredModel() throws {
    let data = geoWorkload(geos: 3, weeks: 20)
    let rotated = try MMMModel(configuration: Self.pooledConfiguration(centered: nil), data: data)
    let plain = try MMMModel(
      configuration: Self.pooledConfiguration(centered: false, lamCentered: false), data: data)
    #expect(rotated.dimension == plain.dimension)
    let u = pseudoRandomPoint(plain.dimension, seed: 5)
    let plainNames = Array(plain.parameterNames.prefix(plain.dimension))
    func at(_ name: String) -> Double { u[plainNames.firstIndex(of: name)!] }
    // (s, d) = Rᵀ (z_lam, z_beta) with R's columns (a, b)/r and (−b, a)/r, a = τ_lam, b = τ_beta.
    let v = rotated.parameterNames.prefix(rotated.dimension).map { name -> Double in
      guard let range = name.range(of: "_product_offset[") ?? name.range(of: "_ratio_offset[") else {
        return at(name)
      }
      let label = String(name[range.upperBound...].dropLast())
      let channel = String(label.split(separator: ",").last!)
      let a = Double.exp(at("saturation_lam_sigma[\(channel)]"))
      let b = Double.exp(at("saturation_beta_sigma[\(channel)]"))
      let r = (a * a + b * b).squareRoot()
      let zLam = at("saturation_lam_offset[\(label)]")
      let zBeta = at("saturation_beta_offset[\(label)]")
      return name.contains("_product_") ? (a * zLam + b * zBeta) / r : (-b * zLam + a * zBeta) / r
    }
    let difference = rotated.valueAndGradient(v).value - plain.valueAndGradient(u).value
    #expect(abs(difference) < 1e-9 * max(1, abs(plain.valueAndGradient(u).value)))
    let reportedRotated = Dictionary(
      uniqueKeysWithValues: zip(rotated.parameterNames, rotated.constrained(v)))
    var compared = 0
    for (name, value) in zip(plain.parameterNames, plain.constrained(u))
    where name.hasPrefix("saturation_beta[geo") || name.hasPrefix("saturation_lam[geo") {
      #expect(abs(reportedRotated[name]! - value) < 1e-12 * max(1, abs(value)))
      compared += 1
    }
    #expect(compared == 2 * 3 * 2)  // two parameters, three geos, two channels
  }

  @Test("a centred pooled prior has the gradient of finite differences")
  func centredGradient() throws {
    let model = try MMMModel(
      configuration: Self.pooledConfiguration(centered: true), data: geoWorkload(geos: 3, weeks: 20))
    checkGradient(model, at: pseudoRandomPoint(model.dimension, seed: 8), label: "centred")
  }

  @Test("centred and non-centred are one model: log p differs by the Jacobian log τ per geo slot")
  func centredIsTheNonCentredModel() throws {
    let data = geoWorkload(geos: 3, weeks: 20)
    let centred = try MMMModel(configuration: Self.pooledConfiguration(centered: true), data: data)
    let nonCentred = try MMMModel(configuration: Self.pooledConfiguration(centered: false), data: data)
    #expect(centred.parameterNames == nonCentred.parameterNames)
    let u = pseudoRandomPoint(nonCentred.dimension, seed: 4)
    // The centred point with the same slot values: w = u_pop + τ z for every beta offset coordinate.
    var w = u
    var logJacobian = 0.0
    for (i, name) in nonCentred.parameterNames.prefix(nonCentred.dimension).enumerated()
    where name.hasPrefix("saturation_beta_offset[") {
      let channel = String(name.split(separator: ",").last!.dropLast())
      let population = nonCentred.parameterNames.firstIndex(of: "saturation_beta[\(channel)]")!
      let spread = nonCentred.parameterNames.firstIndex(of: "saturation_beta_sigma[\(channel)]")!
      w[i] = u[population] + Double.exp(u[spread]) * u[i]
      logJacobian += u[spread]
    }
    let difference = centred.valueAndGradient(w).value - nonCentred.valueAndGradient(u).value
    #expect(abs(difference + logJacobian) < 1e-9 * max(1, abs(logJacobian)))
    // Both report the same offsets and slot values.
    let reportedCentred = centred.constrained(w)
    let reportedNonCentred = nonCentred.constrained(u)
    for (a, b) in zip(reportedCentred, reportedNonCentred) { #expect(abs(a - b) < 1e-12 * max(1, abs(b))) }
  }

  @Test("pooled geo models get one metric block of exactly the coordinates that name no geo")
  func populationBlock() throws {
    let data = geoWorkload(geos: 3, weeks: 20)
    let pooled = try MMMModel(configuration: Self.pooledConfiguration(centered: nil), data: data)
    #expect(pooled.metricBlocks.count == 1)
    let names = pooled.metricBlocks[0].map { pooled.parameterNames[$0] }
    let expected = pooled.parameterNames.prefix(pooled.dimension).filter { !$0.contains("geo_") }
    #expect(names == Array(expected))
    #expect(names.contains("saturation_lam[channel_1]") && names.contains("saturation_beta_sigma[channel_2]"))
    #expect(MetricKind.automatic(for: pooled) == .blockDiagonal)
    let unpooled = try MMMModel(configuration: seed000Configuration(), data: data)
    #expect(unpooled.metricBlocks.isEmpty)
    #expect(MetricKind.automatic(for: unpooled) == .diagonal)
    // The configuration's metric wins over the automatic choice; the command line over both.
    var configured = Self.pooledConfiguration(centered: nil)
    #expect(try configured.samplerConfiguration(density: pooled).metric == .blockDiagonal)
    configured.sampler.metric = .diagonal
    #expect(try configured.samplerConfiguration(density: pooled).metric == .diagonal)
    #expect(try configured.samplerConfiguration(metric: "block", density: pooled).metric == .blockDiagonal)
  }

  @Test("an HSGP term's model gets one block of everything but the HSGP weights")
  func timeVaryingBlock() throws {
    let (data, _) = smoothBaselineData(weeks: 30, seed: 1)
    let model = try MMMModel(
      configuration: LatentMultiplierTests.configuration(m: 5, media: true), data: data)
    #expect(model.metricBlocks.count == 1)
    let names = Set(model.metricBlocks[0].map { model.parameterNames[$0] })
    let expected = model.parameterNames.prefix(model.dimension).filter { !$0.contains("hsgp_coefs") }
    #expect(names == Set(expected))
    #expect(names.contains("intercept_temporal_latent_multiplier_raw_ls"))
    #expect(names.contains("media_temporal_latent_multiplier_raw_eta"))
    #expect(MetricKind.automatic(for: model) == .blockDiagonal)
  }

  @Test("centered without pooled_over is refused naming the key")
  func centeredNeedsPooling() throws {
    var config = seed000Configuration()
    config.priors["saturation_beta"]?.centered = true
    #expect(throws: LocatedError.self) { _ = try config.validated() }
    do {
      _ = try config.validated()
    } catch let error as LocatedError {
      #expect(error.description.contains("saturation_beta.centered"))
    }
  }
}

@Suite("draws_unconstrained.csv")
struct UnconstrainedDrawsFileTests {
  @Test(
    "geo-varying names are quoted, the file reads back exactly, and the older unquoted header still loads")
  func headerIsCSV() throws {
    let model = try MMMModel(
      configuration: HierarchicalSamplingTests.pooledConfiguration(centered: false, lamCentered: false),
      data: geoWorkload(geos: 2, weeks: 12))
    let draws = (0..<3).map { pseudoRandomPoint(model.dimension, seed: UInt64(10 + $0)) }
    let text = FitArchive.unconstrainedDrawsCSV(FittedMMM(model: model, unconstrainedDraws: draws))
    let header = String(text.prefix { $0 != "\n" })
    let names = Array(model.parameterNames.prefix(model.dimension))
    #expect(names.contains("saturation_lam_offset[geo_01,channel_2]"))
    #expect(CSV.split(Substring(header)).fields == names)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "draws-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("draws_unconstrained.csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try FitArchive.readUnconstrainedDraws(path: path, model: model) == draws)
    let legacy = names.joined(separator: ",") + text.drop { $0 != "\n" }
    try legacy.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try FitArchive.readUnconstrainedDraws(path: path, model: model) == draws)
  }
}

@Suite("fit output by chunks")
struct ChunkedOutputTests {
  @Test(
    "predict gives the same summaries whatever the number of geos held at once", arguments: [false, true])
  func predictChunksAgree(studentT: Bool) throws {
    var configuration = HierarchicalSamplingTests.pooledConfiguration(centered: nil)
    if studentT {
      configuration.likelihood.dist = .studentT
      configuration.likelihood.nu = 4
    }
    let data = geoWorkload(geos: 3, weeks: 12)
    let model = try MMMModel(configuration: configuration, data: data)
    let draws = (0..<5).map { pseudoRandomPoint(model.dimension, seed: UInt64(20 + $0)) }
    let fit = FittedMMM(model: model, unconstrainedDraws: draws)
    let whole = try fit.predict(data: data, seed: 4, chunkValues: Int.max)
    for chunkValues in [1, 2 * 12 * 5] {
      let chunked = try fit.predict(data: data, seed: 4, chunkValues: chunkValues)
      #expect(chunked.expected == whole.expected)
      #expect(chunked.predictive == whole.predictive)
    }
    #expect(try fit.predict(data: data, seed: 4).predictive == whole.predictive)
  }

  @Test("draws_unconstrained.csv streamed equals its text")
  func streamedDrawsFile() throws {
    let model = try MMMModel(
      configuration: HierarchicalSamplingTests.pooledConfiguration(centered: nil),
      data: geoWorkload(geos: 2, weeks: 12))
    let fit = FittedMMM(
      model: model, unconstrainedDraws: (0..<3).map { pseudoRandomPoint(model.dimension, seed: UInt64($0)) })
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("draws-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: url) }
    try FitArchive.writeUnconstrainedDrawsCSV(fit, to: url)
    #expect(try Data(contentsOf: url) == Data(FitArchive.unconstrainedDrawsCSV(fit).utf8))
  }

  @Test(
    "draws written with plain offsets before the rotation reload with centered: false; rotated ones as they are"
  )
  func plainOffsetsReload() throws {
    let data = geoWorkload(geos: 2, weeks: 12)
    let unset = HierarchicalSamplingTests.pooledConfiguration(centered: nil)
    let plain = try MMMModel(
      configuration: HierarchicalSamplingTests.pooledConfiguration(centered: false, lamCentered: false),
      data: data)
    let rotated = try MMMModel(configuration: unset, data: data)
    for (model, expectPlain) in [(plain, true), (rotated, false)] {
      let draws = (0..<3).map { pseudoRandomPoint(model.dimension, seed: UInt64(30 + $0)) }
      let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "draws-\(UUID().uuidString).csv")
      defer { try? FileManager.default.removeItem(at: url) }
      try FitArchive.writeUnconstrainedDrawsCSV(FittedMMM(model: model, unconstrainedDraws: draws), to: url)
      let resolved = FitArchive.plainOffsetsIfWritten(unset, drawsPath: url.path)
      #expect(resolved.priors["saturation_lam"]?.centered == (expectPlain ? false : nil))
      #expect(resolved.priors["saturation_beta"]?.centered == (expectPlain ? false : nil))
      let reloaded = try MMMModel(configuration: resolved, data: data)
      #expect(try FitArchive.readUnconstrainedDraws(path: url.path, model: reloaded) == draws)
    }
  }
}
