import CausalMMMCore
import Foundation
import Testing

@testable import MMM

@Suite struct DataValidationTests {
  let config = MMMConfiguration(channelColumns: ["tv", "radio"], geoColumn: "geo", adstock: .init(lMax: 2))

  func load(_ text: String) throws -> MMMData {
    try MMMData.parseCSV(
      text: text, name: "d.csv", dateColumn: "date", geoColumn: "geo", numericColumns: ["tv", "radio", "y"],
      rejectOtherColumns: true)
  }

  func error(_ body: () throws -> Void) -> LocatedError? {
    do { try body() } catch let e as LocatedError { return e } catch { return nil }
    return nil
  }

  let good = """
    date,geo,tv,radio,y
    2024-01-01,a,1,2,3
    2024-01-08,a,1,2,3
    2024-01-01,b,1,2,4
    2024-01-08,b,1,2,3
    """

  @Test func wellFormedTableBuildsAModelWithTwoGeos() throws {
    let model = try MMMModel(configuration: config, data: try load(good))
    #expect(model.geoNames == ["a", "b"])
    #expect(model.dates.count == 2)
  }

  @Test func badCellsAreReportedWithFileLineAndColumn() {
    let cases: [(String, Int, String, String)] = [
      (
        good.replacingOccurrences(of: "2024-01-08,a,1,2,3", with: "2024-01-08,a,x,2,3"), 3, "tv",
        "not a number"
      ),
      (
        good.replacingOccurrences(of: "2024-01-08,a,1,2,3", with: "2024-01-08,a,1,,3"), 3, "radio",
        "missing value"
      ),
      (good.replacingOccurrences(of: "2024-01-08,a,1,2,3", with: "2024-01-08,a,nan,2,3"), 3, "tv", "finite"),
      (
        good.replacingOccurrences(of: "2024-01-08,b,1,2,3", with: "2024-01-08,b,-1,2,3"), 5, "tv",
        "negative spend"
      ),
      (
        good.replacingOccurrences(of: "2024-01-08,b,1,2,3", with: "2024-01-01,b,1,2,3"), 5, "date",
        "duplicate"
      ),
      (
        good.replacingOccurrences(
          of: "2024-01-01,a,1,2,3\n2024-01-08,a,1,2,3", with: "2024-01-08,a,1,2,3\n2024-01-01,a,1,2,3"), 3,
        "date", "not sorted"
      ),
    ]
    for (text, line, column, phrase) in cases {
      let e = error { _ = try MMMModel(configuration: config, data: try load(text)) }
      #expect(e?.file == "d.csv")
      #expect(e?.line == line, "\(phrase): \(String(describing: e))")
      #expect(e?.column == column, "\(phrase): \(String(describing: e))")
      #expect(e?.message.contains(phrase) == true, "\(String(describing: e))")
    }
  }

  @Test func unknownAndMissingColumnsAndMissingGeoDatesAreReported() {
    let typo = error {
      _ = try load(good.replacingOccurrences(of: "date,geo,tv,radio,y", with: "date,geo,tv,radio,y,raido"))
    }
    #expect(typo?.column == "raido")
    #expect(typo?.message.contains("did you mean 'radio'") == true)
    let missing = error {
      _ = try load(
        good.replacingOccurrences(of: ",radio", with: "").replacingOccurrences(of: ",1,2,3", with: ",1,3"))
    }
    #expect(missing?.column == "radio" && missing?.line == 1)
    let gap = error {
      _ = try MMMModel(
        configuration: config, data: try load(good.replacingOccurrences(of: "\n2024-01-08,b,1,2,3", with: ""))
      )
    }
    #expect(
      gap?.message.contains("geo 'b' has no row for date 2024-01-08") == true, "\(String(describing: gap))")
  }

  @Test func liftTestsAreValidatedWithLocatedErrors() throws {
    let data = try load(good)
    let rows = """
      channel,geo,x,delta_x,delta_y,sigma
      tv,a,1,0.5,0.2,0.1
      tv,a,1,0.5,-0.2,0.1
      tv,a,1,0.5,0.2,0
      tvv,a,1,0.5,0.2,0.1
      tv,c,1,0.5,0.2,0.1
      """
    let tests = try LiftTest.parseCSV(text: rows, name: "l.csv")
    _ = try MMMModel(configuration: config, data: data, liftTests: [tests[0]])
    let expectations: [(Int, String, String)] = [
      (1, "delta_y", "non-monotonic"), (2, "sigma", "must be > 0"), (3, "channel", "did you mean 'tv'"),
      (4, "geo", "unknown geo 'c'"),
    ]
    for (i, column, phrase) in expectations {
      let e = error { _ = try MMMModel(configuration: config, data: data, liftTests: [tests[i]]) }
      #expect(e?.file == "l.csv" && e?.line == i + 2 && e?.column == column, "\(String(describing: e))")
      #expect(e?.message.contains(phrase) == true, "\(String(describing: e))")
    }
  }
}

@Suite struct ConfigurationTests {
  @Test func yamlConfigurationParsesEveryDocumentedKey() throws {
    let text = """
      date_column: week
      target_column: sales
      channel_columns: [tv, search]
      control_columns: [price]
      geo_column: region
      adstock: {type: weibull_cdf, l_max: 6, normalize: false}
      saturation: {type: hill}
      adstock_first: false
      yearly_seasonality: 3
      trend: true
      likelihood: {dist: StudentT, nu: 7}
      lift_test_likelihood: normal
      priors:
        saturation_kappa: {dist: Gamma, mu: 2, sigma: 1, pooled_over: geo}
        intercept: {dist: Normal, mu: 0.5, sigma: 1}
      sampler: {chains: 2, tune: 300, draws: 400, target_accept: 0.9, seed: 11}
      """
    let c = try MMMConfiguration.parse(text: text, name: "m.yaml")
    #expect(c.dateColumn == "week" && c.targetColumn == "sales" && c.geoColumn == "region")
    #expect(c.adstock == .init(type: .weibullCDF, lMax: 6, normalize: false))
    #expect(c.saturation.type == .hill && !c.adstockFirst && c.yearlySeasonality == 3 && c.trend)
    #expect(c.likelihood == .init(dist: .studentT, nu: 7))
    #expect(c.priors["saturation_kappa"]?.pooledOver == "geo")
    #expect(c.priors["saturation_kappa"]?.parameters == ["mu": 2, "sigma": 1])
    #expect(c.sampler == .init(chains: 2, tune: 300, draws: 400, targetAccept: 0.9, seed: 11))
  }

  @Test func jsonConfigurationIsAccepted() throws {
    let c = try MMMConfiguration.parse(
      text: #"{"channel_columns": ["a"], "saturation": {"type": "tanh"}}"#, name: "m.json")
    #expect(c.channelColumns == ["a"] && c.saturation.type == .tanh)
  }

  @Test func unknownKeysAreRejectedWithSuggestionAndLine() {
    func message(_ text: String) -> LocatedError? {
      do { _ = try MMMConfiguration.parse(text: text, name: "m.yaml") } catch let e as LocatedError {
        return e
      } catch {}
      return nil
    }
    let top = message("channel_columns: [a]\nchanel_columns: [b]\n")
    #expect(
      top?.line == 2 && top?.column == "chanel_columns"
        && top?.message.contains("did you mean 'channel_columns'") == true)
    let nested = message("channel_columns: [a]\nadstock: {type: geometric, lmax: 4}\n")
    #expect(nested?.message.contains("did you mean 'l_max'") == true, "\(String(describing: nested))")
    let prior = message(
      "channel_columns: [a]\npriors:\n  saturation_lamda: {dist: Gamma, alpha: 1, beta: 1}\n")
    #expect(prior?.message.contains("did you mean 'saturation_lam'") == true, "\(String(describing: prior))")
    let dist = message("channel_columns: [a]\npriors:\n  saturation_lam: {dist: Gama, alpha: 1, beta: 1}\n")
    #expect(dist?.message.contains("did you mean 'Gamma'") == true, "\(String(describing: dist))")
    let kind = message("channel_columns: [a]\nsaturation: {type: logistc}\n")
    #expect(kind?.message.contains("did you mean 'logistic'") == true, "\(String(describing: kind))")
  }

  @Test func calendarDatesRoundTripAndGiveDayOfYear() {
    let d = CalendarDate(parsing: "2024-03-01")!
    #expect(d.description == "2024-03-01")
    #expect(d.dayOfYear == 61)  // 2024 is a leap year: 31 + 29 + 1
    #expect(CalendarDate(parsing: "1970-01-01")!.daysSinceEpoch == 0)
    #expect(CalendarDate(parsing: "2023-02-29") == nil)
  }
}

@Suite("Configuration round trip through config.json")
struct ConfigurationRoundTripTests {
  @Test("an infinite prior bound survives the JSON a fit directory stores")
  func infiniteBoundRoundTrips() throws {
    let text = """
      channel_columns: [a]
      priors:
        intercept: {dist: TruncatedNormal, mu: 0, sigma: 1, lower: 0, upper: .inf}
      """
    let configuration = try MMMConfiguration.parse(text: text, name: "m.yaml")
    #expect(configuration.priors["intercept"]?.parameters["upper"] == .infinity)
    let json = configuration.jsonText()
    #expect(!json.isEmpty)
    let reread = try MMMConfiguration.decodingJSON(Data(json.utf8))
    #expect(reread == configuration)
  }

  @Test("an infinite StudentT nu is refused at its line")
  func infiniteNuRefused() {
    do {
      _ = try MMMConfiguration.parse(
        text: "channel_columns: [a]\nlikelihood: {dist: StudentT, nu: .inf}\n", name: "m.yaml")
      Issue.record("expected an error")
    } catch let error as LocatedError {
      #expect(error.line == 2)
      #expect(error.message.contains("finite"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }
}
