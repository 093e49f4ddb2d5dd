import CausalMMMCore
import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

/// A national weekly table: one channel `x`, one control `z`, target `y`.
func forwardTrainingTable(weeks: Int, seed: UInt64 = 3) -> MMMData {
  var rng = TestRandom(state: seed)
  let start = CalendarDate(year: 2023, month: 1, day: 2)!
  let dates = (0..<weeks).map { start.adding(days: 7 * $0) }
  let x = (0..<weeks).map { _ in 0.2 + rng.uniform() }
  let z = (0..<weeks).map { _ in rng.normal() }
  let y = (0..<weeks).map { 1 + 0.5 * x[$0] + 0.2 * z[$0] + 0.1 * rng.normal() }
  return try! MMMData(dates: dates, columns: ["x": x, "z": z, "y": y])
}

func forwardConfiguration(adstockFirst: Bool = true) -> MMMConfiguration {
  MMMConfiguration(
    channelColumns: ["x"], controlColumns: ["z"], adstock: .init(type: .geometric, lMax: 4, normalize: true),
    saturation: .init(type: .logistic), adstockFirst: adstockFirst, trend: true)
}

@Suite struct ForwardScenarioTests {
  /// The fit at one fixed draw, with its natural parameter values.
  struct FixedFit: @unchecked Sendable {
    let fit: FittedMMM
    let data: MMMData
    let alpha: Double
    let lam: Double
    let beta: Double
    let intercept: Double
    let gammaZ: Double
    let gammaTrend: Double

    init(adstockFirst: Bool = true) throws {
      data = forwardTrainingTable(weeks: 20)
      let model = try MMMModel(configuration: forwardConfiguration(adstockFirst: adstockFirst), data: data)
      let u = pseudoRandomPoint(model.dimension, seed: 5)
      fit = FittedMMM(model: model, unconstrainedDraws: [u])
      let values = model.constrained(u)
      func value(_ name: String) -> Double { values[model.parameterNames.firstIndex(of: name)!] }
      alpha = value("adstock_alpha[x]")
      lam = value("saturation_lam[x]")
      beta = value("saturation_beta[x]")
      intercept = value("intercept")
      gammaZ = value("gamma_control[z]")
      gammaTrend = value("gamma_trend")
    }

    var xScale: Double { data.columns["x"]!.max()! }
    var yScale: Double { data.columns["y"]!.map(abs).max()! }
    func s(_ a: Double) -> Double { beta * (1 - Double.exp(-lam * a)) / (1 + Double.exp(-lam * a)) }
    /// Normalised geometric weights α^l / Σ α^l, l = 0..3.
    var weights: [Double] {
      let w = (0..<4).map { Double.pow(alpha, Double($0)) }
      let total = w.reduce(0, +)
      return w.map { $0 / total }
    }
    /// Adstock of the scaled series `x` at t (x_{t<0} = 0).
    func adstock(_ x: [Double], _ t: Int) -> Double {
      (0..<4).filter { t - $0 >= 0 }.reduce(0.0) { $0 + weights[$1] * x[t - $1] / xScale }
    }
    func trend(_ date: CalendarDate) -> Double {
      let first = data.dates.first!.daysSinceEpoch
      return Double(date.daysSinceEpoch - first) / Double(data.dates.last!.daysSinceEpoch - first)
    }
  }

  static func table(dates: [CalendarDate], x: [Double], z: [Double]) throws -> MMMData {
    try MMMData(dates: dates, columns: ["x": x, "z": z], sourceName: "future.csv")
  }

  @Test func aForwardTableCarriesTheTrainingTailAndExtrapolatesTheTrend() throws {
    let f = try FixedFit()
    let last = f.data.dates.last!
    let futureDates = (1...3).map { last.adding(days: 7 * $0) }
    let futureX = [0.3, 0.0, 0.9]
    let futureZ = [0.5, -1.0, 0.25]
    let prediction = try f.fit.predict(data: try Self.table(dates: futureDates, x: futureX, z: futureZ))
    #expect(prediction.dates == futureDates)
    // Closed form: the whole series (training, then future) through the normalised geometric adstock.
    let series = f.data.columns["x"]! + futureX
    let T = f.data.rowCount
    for j in 0..<3 {
      let mu =
        f.intercept + f.gammaZ * futureZ[j] + f.gammaTrend * f.trend(futureDates[j])
        + f.s(f.adstock(series, T + j))
      let expected = mu * f.yScale
      let got = prediction.expected[0][j].mean
      #expect(abs(got - expected) <= 1e-12 * abs(expected), "period \(j): \(got) vs \(expected)")
    }
    // Without the carry-over the first period would differ (the tail is not zero).
    let cold = f.s(futureX[0] / f.xScale * f.weights[0])
    #expect(abs(f.s(f.adstock(series, T)) - cold) > 1e-6)
  }

  @Test(
    "a sampled fit reuses the intercepts sampling reported: the model's intercepts(slots:) at every draw, as a reloaded fit computes them"
  )
  func interceptDrawsAreTheModelsIntercepts() throws {
    let data = geoWorkload(geos: 3, weeks: 30)
    let model = try MMMModel(
      configuration: HierarchicalSamplingTests.pooledConfiguration(centered: nil), data: data)
    #expect(model.offsets.centeredIntercept)
    var sampler = SamplerConfiguration()
    (sampler.chains, sampler.tune, sampler.draws, sampler.seed) = (2, 30, 20, 4)
    let fit = try FittedMMM.fit(model, sampler: sampler)
    let reloaded = FittedMMM(model: model, unconstrainedDraws: fit.unconstrainedDraws)
    let recomputed = fit.slots.map { model.intercepts(slots: $0) }
    #expect(recomputed.count == 40 && recomputed.allSatisfy { $0.count == 3 })
    #expect(fit.interceptDraws() == recomputed)
    #expect(reloaded.interceptDraws() == recomputed)
  }

  @Test func aTableOverlappingTheTrainingEndMatchesTheTrainingFitOnTheOverlap() throws {
    let f = try FixedFit()
    let T = f.data.rowCount
    let dates = Array(f.data.dates[(T - 5)...]) + [f.data.dates.last!.adding(days: 7)]
    let x = Array(f.data.columns["x"]![(T - 5)...]) + [0.4]
    let z = Array(f.data.columns["z"]![(T - 5)...]) + [0.0]
    let overlap = try f.fit.predict(data: try Self.table(dates: dates, x: x, z: z))
    let training = try f.fit.predict(data: f.data)
    for j in 0..<5 {
      let a = overlap.expected[0][j].mean
      let b = training.expected[0][T - 5 + j].mean
      #expect(abs(a - b) <= 1e-12 * abs(b))
    }
  }

  @Test(arguments: [true, false])
  func interventionOnAForwardTableWithTheCarryoverTail(adstockFirst: Bool) throws {
    let f = try FixedFit(adstockFirst: adstockFirst)
    let last = f.data.dates.last!
    let dates = (1...3).map { last.adding(days: 7 * $0) }
    let z = [0.1, 0.2, 0.3]
    let plan = [0.5, 0.5, 0.5]
    let boosted = [0.5, 0.5, 1.0]
    let baseline = try Self.table(dates: dates, x: plan, z: z)
    let scenario = try Self.table(dates: dates, x: boosted, z: z)
    let result = try f.fit.intervene(counterfactual: scenario, baseline: baseline, includeCarryoverTail: true)
    #expect(result.dates == dates + (4...6).map { last.adding(days: 7 * $0) })
    // Closed form: training series, then the table, then three periods of zero spend.
    let T = f.data.rowCount
    let training = f.data.columns["x"]!
    let a = training + boosted + [0, 0, 0]
    let b = training + plan + [0, 0, 0]
    func response(_ x: [Double], _ t: Int) -> Double {
      if adstockFirst { return f.s(f.adstock(x, t)) }
      return (0..<4).filter { t - $0 >= 0 }.reduce(0.0) { $0 + f.weights[$1] * f.s(x[t - $1] / f.xScale) }
    }
    var total = 0.0
    for j in 0..<6 {
      let expected = (response(a, T + j) - response(b, T + j)) * f.yScale
      total += expected
      #expect(abs(result.perDate[j].mean - expected) <= 1e-12 * max(abs(expected), 1e-3), "period \(j)")
    }
    #expect(abs(result.perDate[5].mean) > 0)  // the spill reaches the last tail period
    #expect(abs(result.total.mean - total) <= 1e-12 * abs(total))
    // Without the tail the total stops at the table's last date.
    let short = try f.fit.intervene(counterfactual: scenario, baseline: baseline, includeCarryoverTail: false)
    #expect(short.dates == dates)
  }

  @Test func monthlyGridsContinueMonthStartsAndMonthEnds() throws {
    func date(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate {
      CalendarDate(daysSinceEpoch: CalendarDate.daysSinceEpoch(year: y, month: m, day: d))
    }
    let starts = PeriodGrid(dates: (1...6).map { date(2023, 7 + $0 - 1 > 12 ? $0 - 6 : 7 + $0 - 1, 1) })
    #expect(starts.stepDays == nil)
    #expect(starts.date(at: 6) == date(2024, 1, 1) && starts.date(at: -7) == date(2022, 12, 1))
    #expect(starts.index(of: date(2024, 2, 1)) == 7 && starts.index(of: date(2024, 2, 2)) == nil)
    let ends = PeriodGrid(dates: [date(2023, 11, 30), date(2023, 12, 31), date(2024, 1, 31)])
    #expect(ends.monthEnd && ends.date(at: 3) == date(2024, 2, 29) && ends.date(at: 4) == date(2024, 3, 31))
    #expect(ends.index(of: date(2024, 2, 29)) == 3 && ends.index(of: date(2024, 2, 28)) == nil)
    let weekly = PeriodGrid(dates: (0..<5).map { date(2024, 1, 1).adding(days: 7 * $0) })
    #expect(
      weekly.stepDays == 7 && weekly.index(of: date(2024, 2, 5)) == 5
        && weekly.index(of: date(2024, 2, 6)) == nil)
  }

  @Test func gapsOffGridDatesAndMissingBaselinesAreLocatedErrors() throws {
    let f = try FixedFit()
    let last = f.data.dates.last!
    func error(_ body: () throws -> Void) -> LocatedError? {
      do { try body() } catch let e as LocatedError { return e } catch { return nil }
      return nil
    }
    let gap = error {
      _ = try f.fit.predict(data: try Self.table(dates: [last.adding(days: 14)], x: [1], z: [0]))
    }
    #expect(
      gap?.file == "future.csv" && gap?.column == "date" && gap?.message.contains("gap") == true,
      "\(String(describing: gap))")
    let offGrid = error {
      _ = try f.fit.predict(data: try Self.table(dates: [last.adding(days: 10)], x: [1], z: [0]))
    }
    #expect(
      offGrid?.message.contains("off the training data's period grid") == true,
      "\(String(describing: offGrid))")
    let noBaseline = error {
      _ = try f.fit.intervene(
        counterfactual: try Self.table(dates: [last.adding(days: 7)], x: [1], z: [0]), baseline: nil,
        includeCarryoverTail: false)
    }
    #expect(
      noBaseline?.message.contains("pass a baseline table") == true, "\(String(describing: noBaseline))")
    // A future row without its control value is refused where the CSV is read.
    let csv = "date,x,z\n\(last.adding(days: 7)),0.5,\n"
    let missing = error {
      _ = try MMMData.parseCSV(
        text: csv, name: "future.csv", dateColumn: "date", geoColumn: nil, numericColumns: ["x", "z"],
        rejectOtherColumns: false)
    }
    #expect(missing?.line == 2 && missing?.column == "z" && missing?.message == "missing value")
  }
}
