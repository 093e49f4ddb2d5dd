import CausalMMMCore
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

  @Test("names are matched ignoring case and written canonically (PyMC-Marketing's spelling)")
  func caseInsensitiveNames() throws {
    var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["tv"])
    configuration.likelihood.dist = "normal"
    configuration.liftTestLikelihood = "Gamma"
    configuration.adstock.type = "Geometric"
    configuration.saturation.type = "Michaelis-Menten"
    configuration.priors["y_sigma"] = .init(dist: "halfnormal", parameters: ["sigma": 1])
    let model = try MMMModel(configuration: configuration, data: Self.data())
    #expect(model.configuration.likelihood.dist == "Normal")
    #expect(model.configuration.liftTestLikelihood == "gamma")
    #expect(model.configuration.adstock.type == "geometric")
    #expect(model.configuration.saturation.type == "michaelis_menten")
    #expect(model.configuration.priors["y_sigma"]?.dist == "HalfNormal")
  }

  @Test("a misspelled distribution built in code is refused with a did-you-mean, not replaced by the default")
  func misspelledPriorInCode() throws {
    var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["tv"])
    configuration.priors["y_sigma"] = .init(dist: "HalfNormall", parameters: ["sigma": 1])
    #expect(throws: LocatedError.self) { try MMMModel(configuration: configuration, data: Self.data()) }
    do {
      _ = try MMMModel(configuration: configuration, data: Self.data())
    } catch let error as LocatedError {
      #expect(error.description.contains("unknown distribution 'HalfNormall' (did you mean 'HalfNormal'?)"))
    }
    configuration.priors = ["saturation_lamm": .init(dist: "Gamma", parameters: ["alpha": 2, "beta": 1])]
    #expect(throws: LocatedError.self) { try MMMModel(configuration: configuration, data: Self.data()) }
    configuration.priors = ["y_sigma": .init(dist: "HalfNormal", parameters: ["sigma": -1])]
    #expect(throws: LocatedError.self) { try MMMModel(configuration: configuration, data: Self.data()) }
  }

  @Test("a target listed as a channel or control, and a column listed twice, are refused")
  func targetAmongRegressors() throws {
    for (channels, controls) in [(["tv", "y"], [String]()), (["tv"], ["y"]), (["tv", "tv"], []), (["tv"], ["tv"])] {
      let configuration = MMMConfiguration(targetColumn: "y", channelColumns: channels, controlColumns: controls)
      #expect(throws: LocatedError.self) { try configuration.validated() }
    }
  }
}
