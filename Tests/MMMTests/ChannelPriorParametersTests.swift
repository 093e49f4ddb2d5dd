import CausalMMMCore
import Foundation
import Testing

@testable import MMM

@Suite("priors with per-channel parameters (PyMC-Marketing's dims=\"channel\" arrays) and cost_share")
struct ChannelPriorParametersTests {
  static let tv: [Double] = [4, 0, 2, 6, 3, 1, 5, 2, 0, 7, 1, 3]
  static let radio: [Double] = [1, 1, 0, 2, 1, 0, 1, 1, 2, 0, 1, 1]

  static func data() throws -> MMMData {
    let dates = (0..<12).map { CalendarDate(daysSinceEpoch: 19_000 + 7 * $0) }
    return try MMMData(
      dates: dates, columns: ["tv": tv, "radio": radio, "y": (0..<12).map { 5 + Double($0 % 3) }])
  }

  static func configuration(_ prior: String, extra: String = "") throws -> MMMConfiguration {
    try MMMConfiguration.parse(
      text: """
        target_column: y
        channel_columns: [tv, radio]
        adstock: {type: geometric, l_max: 2}
        \(extra)
        priors:
          saturation_beta: \(prior)
        """, name: "m.yaml")
  }

  /// The prior of the sampler coordinate named `name`.
  static func coordinatePrior(_ model: MMMModel, _ name: String) -> Prior? {
    model.layout.coordinates.first { $0.name == name }?.prior
  }

  @Test("a mapping keyed by channel gives each channel's coordinate its own prior; the scalars are shared")
  func mappingByChannel() throws {
    let configuration = try Self.configuration(
      "{dist: Normal, mu: 1, sigma: {radio: 0.4, tv: 0.6}, dims: channel}")
    #expect(configuration.priors["saturation_beta"]?.dims == ["channel"])
    let model = try MMMModel(configuration: configuration, data: Self.data())
    #expect(Self.coordinatePrior(model, "saturation_beta[tv]") == .normal(mu: 1, sigma: 0.6))
    #expect(Self.coordinatePrior(model, "saturation_beta[radio]") == .normal(mu: 1, sigma: 0.4))
    // The other transform priors keep their defaults.
    #expect(
      Self.coordinatePrior(model, "saturation_lam[tv]")
        == Self.coordinatePrior(model, "saturation_lam[radio]"))
  }

  @Test("a list is read in channel_columns order and saved as values by channel name")
  func listInChannelOrder() throws {
    let configuration = try Self.configuration("{dist: HalfNormal, sigma: [0.6, 0.4]}")
    #expect(
      configuration.priors["saturation_beta"]?.channelParameters == [
        "sigma": .byChannel(["tv": 0.6, "radio": 0.4])
      ])
    let model = try MMMModel(configuration: configuration, data: Self.data())
    #expect(Self.coordinatePrior(model, "saturation_beta[tv]") == .halfNormal(sigma: 0.6))
    #expect(Self.coordinatePrior(model, "saturation_beta[radio]") == .halfNormal(sigma: 0.4))
  }

  @Test("cost_share is each channel's share of the training spend, written into the model's configuration")
  func costShareResolvesToSpendShares() throws {
    let configuration = try Self.configuration("{dist: HalfNormal, sigma: cost_share, dims: channel}")
    #expect(configuration.priors["saturation_beta"]?.channelParameters == ["sigma": .costShare])
    let model = try MMMModel(configuration: configuration, data: Self.data())
    // 34 and 11 spent in total: shares 34/45 and 11/45.
    #expect(Self.tv.reduce(0, +) == 34 && Self.radio.reduce(0, +) == 11)
    let expected = ["tv": 34.0 / 45, "radio": 11.0 / 45]
    #expect(
      model.configuration.priors["saturation_beta"]?.channelParameters == ["sigma": .byChannel(expected)])
    #expect(Self.coordinatePrior(model, "saturation_beta[tv]") == .halfNormal(sigma: 34.0 / 45))
    #expect(Self.coordinatePrior(model, "saturation_beta[radio]") == .halfNormal(sigma: 11.0 / 45))
    // Saved and read back (config.json, provenance.json), the fit's configuration holds the numbers.
    let reread = try MMMConfiguration.decodingJSON(Data(model.configuration.jsonText().utf8))
    #expect(reread == model.configuration)
    let unresolved = try MMMConfiguration.decodingJSON(Data(configuration.jsonText().utf8))
    #expect(unresolved == configuration)
    #expect(configuration.jsonText().contains("\"cost_share\""))
  }

  @Test(
    "cost_share on a geo panel sums each channel over geos; a prior over (geo, channel) takes it in every geo"
  )
  func costShareOverGeos() throws {
    let dates = (0..<6).map { CalendarDate(daysSinceEpoch: 19_000 + 7 * $0) }
    let tvA: [Double] = [1, 2, 3, 1, 2, 3]
    let tvB: [Double] = [0, 1, 0, 1, 0, 1]
    let radioA: [Double] = [2, 2, 2, 2, 2, 2]
    let radioB: [Double] = [5, 0, 5, 0, 5, 0]
    let data = try MMMData(
      dates: dates + dates, geos: Array(repeating: "a", count: 6) + Array(repeating: "b", count: 6),
      columns: [
        "tv": tvA + tvB, "radio": radioA + radioB,
        "y": (0..<12).map { 3 + Double($0 % 4) },
      ])
    let configuration = try MMMConfiguration.parse(
      text: """
        target_column: y
        channel_columns: [tv, radio]
        geo_column: geo
        adstock: {type: geometric, l_max: 2}
        priors:
          saturation_beta: {dist: HalfNormal, sigma: cost_share, dims: [geo, channel]}
        """, name: "m.yaml")
    let model = try MMMModel(configuration: configuration, data: data)
    // tv: 12 + 3 = 15; radio: 12 + 15 = 27; total 42.
    for geo in ["a", "b"] {
      #expect(Self.coordinatePrior(model, "saturation_beta[\(geo),tv]") == .halfNormal(sigma: 15.0 / 42))
      #expect(Self.coordinatePrior(model, "saturation_beta[\(geo),radio]") == .halfNormal(sigma: 27.0 / 42))
    }
  }

  @Test(
    "the per-channel prior enters the log density: changing one channel's sigma moves it by the closed form")
  func logDensityUsesEachChannelsPrior() throws {
    let a = try MMMModel(
      configuration: Self.configuration("{dist: HalfNormal, sigma: {tv: 0.6, radio: 0.4}}"), data: Self.data()
    )
    let b = try MMMModel(
      configuration: Self.configuration("{dist: HalfNormal, sigma: {tv: 0.6, radio: 0.9}}"), data: Self.data()
    )
    let position = [Double](repeating: 0.1, count: a.dimension)
    let index = try #require(a.layout.coordinates.firstIndex { $0.name == "saturation_beta[radio]" })
    let coordinate = a.layout.coordinates[index]
    let beta = coordinate.transform.constrain(coordinate.shift + coordinate.scale * position[index])
    func halfNormal(_ x: Double, _ sigma: Double) -> Double {
      Double.log(2) - 0.5 * Double.log(2 * Double.pi) - Double.log(sigma) - 0.5 * (x / sigma) * (x / sigma)
    }
    let difference = a.valueAndGradient(position).value - b.valueAndGradient(position).value
    #expect(abs(difference - (halfNormal(beta, 0.4) - halfNormal(beta, 0.9))) < 1e-9)
  }

  @Test("each mistake is one located line naming the key")
  func locatedErrors() throws {
    let cases: [(prior: String, extra: String, expected: String)] = [
      (
        "{dist: HalfNormal, sigma: {tv: 0.6, raido: 0.4}}", "",
        "m.yaml:6: error: key 'saturation_beta.sigma.raido': unknown channel 'raido' (did you mean 'radio'?) "
          + "(channels: tv, radio)"
      ),
      (
        "{dist: HalfNormal, sigma: {tv: 0.6}}", "",
        "m.yaml:6: error: key 'saturation_beta.sigma': no value for channel 'radio' (channels: tv, radio)"
      ),
      (
        "{dist: HalfNormal, sigma: {tv: 0.6, radio: -0.4}}", "",
        "m.yaml:6: error: key 'saturation_beta.sigma.radio': HalfNormal parameter 'sigma' must be > 0, got -0.4"
      ),
      (
        "{dist: HalfNormal, sigma: [0.6, 0.4, 0.2]}", "",
        "m.yaml:6: error: key 'saturation_beta.sigma': 3 value(s) for 2 channel(s) (tv, radio), in that order"
      ),
      (
        "{dist: HalfNormal, sigma: cost_shares}", "",
        "m.yaml:6: error: key 'saturation_beta.sigma': 'cost_shares' is not a number, a mapping by channel, a list "
          + "in channel order or cost_share (did you mean 'cost_share'?)"
      ),
      (
        "{dist: HalfNormal, sigma: {tv: 0.6, radio: 0.4}, dims: []}", "",
        "m.yaml:6: error: key 'saturation_beta.sigma': per-channel values need 'channel' among the prior's dims, got []"
      ),
    ]
    for (prior, extra, expected) in cases {
      #expect(throws: LocatedError.self) { try Self.configuration(prior, extra: extra) }
      do {
        _ = try Self.configuration(prior, extra: extra)
      } catch let error as LocatedError {
        #expect(error.description == expected)
      }
    }
    // A prior with one slot (the intercept) refuses per-channel values, at the value's line.
    #expect {
      _ = try MMMConfiguration.parse(
        text: """
          target_column: y
          channel_columns: [tv, radio]
          priors:
            intercept:
              dist: Normal
              sigma: {tv: 1, radio: 2}
          """, name: "m.yaml")
    } throws: { error in
      (error as? LocatedError)?.description
        == "m.yaml:6: error: key 'intercept.sigma': per-channel values need a prior over channels "
        + "(adstock_alpha, saturation_lam, saturation_beta); 'intercept' has one value"
    }
  }

  @Test("a channel with no spend has no cost share: a located error, not a zero prior scale")
  func costShareOfAChannelWithoutSpend() throws {
    let dates = (0..<12).map { CalendarDate(daysSinceEpoch: 19_000 + 7 * $0) }
    let data = try MMMData(
      dates: dates,
      columns: [
        "tv": Self.tv, "radio": [Double](repeating: 0, count: 12), "y": (0..<12).map { 5 + Double($0 % 3) },
      ])
    let configuration = try Self.configuration("{dist: HalfNormal, sigma: cost_share}")
    #expect {
      _ = try MMMModel(configuration: configuration, data: data)
    } throws: { error in
      (error as? LocatedError)?.description
        == "<configuration>: error: key 'saturation_beta.sigma': cost_share of channel 'radio' is 0 (no spend in "
        + "the training data); give the values per channel"
    }
  }

  @Test("a configuration built in code gets the same check as one read from YAML")
  func builtInCode() throws {
    var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["tv", "radio"])
    configuration.adstock.lMax = 2
    configuration.priors["saturation_lam"] = .init(
      dist: .gamma, parameters: ["beta": 1], channelParameters: ["alpha": .byChannel(["tv": 2, "radio": 0])])
    #expect {
      _ = try MMMModel(configuration: configuration, data: Self.data())
    } throws: { error in
      (error as? LocatedError)?.description
        == "<configuration>: error: key 'saturation_lam.alpha.radio': Gamma parameter 'alpha' must be > 0, got 0.0"
    }
    configuration.priors["saturation_lam"]?.channelParameters = ["alpha": .inChannelOrder([2, 3])]
    let model = try MMMModel(configuration: configuration, data: Self.data())
    #expect(Self.coordinatePrior(model, "saturation_lam[radio]") == .gamma(alpha: 3, beta: 1))
  }
}
