import CausalMMMCore
import Foundation
import Testing

@testable import MMM

@Suite("one validation of a configuration, whatever built it")
struct ConfigurationValidationTests {
  static func data() throws -> MMMData {
    let dates = (0..<12).map { CalendarDate(daysSinceEpoch: 19_000 + 7 * $0) }
    return try MMMData(
      dates: dates,
      columns: [
        "tv": (0..<12).map { 1 + Double($0 % 4) }, "y": (0..<12).map { 5 + Double($0 % 3) },
        "radio": (0..<12).map { Double($0 % 2) },
      ])
  }

  @Test("names are matched ignoring case (and - or _) and written canonically (PyMC-Marketing's spelling)")
  func caseInsensitiveNames() throws {
    let configuration = try MMMConfiguration.parse(
      text: """
        target_column: y
        channel_columns: [tv]
        likelihood: normal
        lift_test_likelihood: Gamma
        adstock: {type: Geometric}
        saturation: Michaelis-Menten
        priors:
          y_sigma: {dist: halfnormal, sigma: 1}
        sampler: {metric: DENSE}
        """, name: "m.yaml")
    #expect(configuration.likelihood.dist == .normal)
    #expect(configuration.liftTestLikelihood == .gamma)
    #expect(configuration.adstock.type == .geometric)
    #expect(configuration.saturation.type == .michaelisMenten)
    #expect(configuration.priors["y_sigma"]?.dist == .halfNormal)
    #expect(configuration.sampler.metric == .dense)
    let json = configuration.jsonText()
    #expect(
      json.contains("\"HalfNormal\"") && json.contains("\"michaelis_menten\"") && json.contains("\"Normal\""))
    #expect(try MMMConfiguration.decodingJSON(Data(json.utf8)) == configuration)
  }

  @Test("sampler.initialization is read (random or map, any case); the command line's value overrides it")
  func samplerInitialization() throws {
    let text = "target_column: y\nchannel_columns: [tv]\nsampler: {initialization: MAP}\n"
    let configuration = try MMMConfiguration.parse(text: text, name: "m.yaml")
    #expect(configuration.sampler.initialization == .map)
    #expect(try FitJob.resolvedInitialization(nil, configuration) == .map)
    #expect(try FitJob.resolvedInitialization("random", configuration) == .random)
    #expect(try FitJob.resolvedInitialization(nil, MMMConfiguration(channelColumns: ["tv"])) == .random)
    #expect(try MMMConfiguration.decodingJSON(Data(configuration.jsonText().utf8)) == configuration)
    #expect {
      _ = try MMMConfiguration.parse(
        text: "target_column: y\nchannel_columns: [tv]\nsampler: {initialization: mpa}\n", name: "m.yaml")
    } throws: { error in
      (error as? LocatedError)?.description
        == "m.yaml:3: error: key 'initialization': unknown initialization 'mpa' (did you mean 'map'?)"
    }
  }

  @Test(
    "a misspelled name gets a did-you-mean; a misspelled prior name or bad parameter built in code is refused"
  )
  func misspellings() throws {
    #expect(AdstockKind(matching: "weibull-pdf") == .weibullPDF)
    #expect(PriorDistribution(matching: "HalfNormall") == nil)
    guard case .failure(let error) = PriorDistribution.parse("HalfNormall") else {
      Issue.record("HalfNormall parsed")
      return
    }
    #expect(error.message == "unknown distribution 'HalfNormall' (did you mean 'HalfNormal'?)")
    var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["tv"])
    configuration.priors = ["saturation_lamm": .init(dist: .gamma, parameters: ["alpha": 2, "beta": 1])]
    #expect(throws: LocatedError.self) { try MMMModel(configuration: configuration, data: Self.data()) }
    configuration.priors = ["y_sigma": .init(dist: .halfNormal, parameters: ["sigma": -1])]
    #expect(throws: LocatedError.self) { try MMMModel(configuration: configuration, data: Self.data()) }
    configuration.priors = ["y_sigma": .init(dist: .halfNormal, parameters: ["sigmaa": 1])]
    #expect(throws: LocatedError.self) { try MMMModel(configuration: configuration, data: Self.data()) }
  }

  @Test("a target listed as a channel or control, and a column listed twice, are refused")
  func targetAmongRegressors() throws {
    for (channels, controls) in [
      (["tv", "y"], [String]()), (["tv"], ["y"]), (["tv", "tv"], []), (["tv"], ["tv"]),
    ] {
      let configuration = MMMConfiguration(
        targetColumn: "y", channelColumns: channels, controlColumns: controls)
      #expect(throws: LocatedError.self) { try configuration.validated() }
    }
  }
}
