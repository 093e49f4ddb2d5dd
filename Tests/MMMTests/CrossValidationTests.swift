import CausalMMMCore
import Foundation
import Inference
import Testing

@testable import MMM

@Suite("Time-slice cross-validation and CRPS")
struct CrossValidationTests {
  static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

  @Test(
    "folds follow the expanding-window rule: fold k trains on initial + k*step dates, tests on the next horizon"
  )
  func foldsMatchEnumeration() throws {
    for (n, initial, horizon, step) in [(131, 100, 12, 9), (20, 5, 3, 1), (20, 5, 3, 4), (10, 7, 3, 2)] {
      let folds = try TimeSliceCrossValidator(initial: initial, horizon: horizon, step: step).folds(
        dateCount: n)
      // Brute force: every k >= 0 whose test window still fits in the data.
      var expected: [(Range<Int>, Range<Int>)] = []
      var k = 0
      while initial + k * step + horizon <= n {
        let end = initial + k * step
        expected.append((0..<end, end..<(end + horizon)))
        k += 1
      }
      #expect(folds.count == expected.count)
      for (fold, (training, test)) in zip(folds, expected) {
        #expect(fold.training == training && fold.test == test)
      }
    }
  }

  @Test("folds that cannot fit and non-positive counts are refused with a message")
  func invalidSettingsRefused() throws {
    #expect(throws: LocatedError.self) { try TimeSliceCrossValidator(initial: 0, horizon: 3, step: 1) }
    #expect(throws: LocatedError.self) { try TimeSliceCrossValidator(initial: 5, horizon: 3, step: -1) }
    let validator = try TimeSliceCrossValidator(initial: 10, horizon: 5, step: 1)
    do {
      _ = try validator.folds(dateCount: 12)
      Issue.record("expected an error")
    } catch let error as LocatedError {
      #expect(error.message.contains("exceeds the 12 dates"))
    }
  }

  @Test("a lift test dated after the training window is excluded; one inside is used")
  func liftTestAfterTrainingWindowExcluded() throws {
    let first = Self.date("2022-01-03")
    let last = Self.date("2023-06-26")
    let before = LiftTest(
      channel: "x1", x: 0.5, deltaX: 0.5, deltaY: 10, sigma: 1, date: Self.date("2023-01-02"), line: 2)
    let onLast = LiftTest(channel: "x2", x: 0.5, deltaX: 0.5, deltaY: 10, sigma: 1, date: last, line: 3)
    let after = LiftTest(
      channel: "x1", x: 0.5, deltaX: 0.5, deltaY: 10, sigma: 1, date: Self.date("2023-07-03"), line: 4)
    // A window that starts inside the training data but ends after it was not known yet.
    let straddling = LiftTest(
      channel: "x1", x: 0.5, deltaX: -0.5, deltaY: -10, sigma: 1, start: Self.date("2023-06-05"),
      end: Self.date("2023-07-24"), line: 5)
    let windowInside = LiftTest(
      channel: "x2", x: 0.5, deltaX: -0.5, deltaY: -10, sigma: 1, start: Self.date("2023-03-06"),
      end: Self.date("2023-04-24"), line: 6)
    let (used, excluded) = try TimeSliceCrossValidator.partition(
      [before, onLast, after, straddling, windowInside], trainingFrom: first, through: last)
    #expect(used.map(\.line) == [2, 3, 6])
    #expect(excluded.map(\.line) == [4, 5])
  }

  @Test(
    "sampler.initialization: map starts each fold's chains at its posterior mode, jitter at its priors' support point"
  )
  func foldInitialization() throws {
    let dates = (0..<16).map { CalendarDate(daysSinceEpoch: 19_000 + 7 * $0) }
    let data = try MMMData(
      dates: dates,
      columns: [
        "tv": (0..<16).map { 1 + Double(($0 * 7) % 5) }, "y": (0..<16).map { 10 + Double(($0 * 3) % 4) },
      ])
    var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["tv"])
    configuration.adstock.lMax = 2
    let validator = try TimeSliceCrossValidator(initial: 10, horizon: 3, step: 3)
    let folds = try validator.folds(dateCount: 16)
    for initialization in [InitializationKind.random, .map, .jitter] {
      configuration.sampler.initialization = initialization
      for fold in folds {
        let setup = try validator.foldSetup(
          fold, dates: dates, configuration: configuration, data: data, liftTests: [])
        let sampler = try validator.foldSampler(SamplerConfiguration(), fold: fold.index, model: setup.model)
        #expect(sampler.seed == SamplerConfiguration().seed &+ UInt64(fold.index))
        if initialization == .random {
          #expect(sampler.initialPosition == nil)
        } else if initialization == .jitter {
          // PyMC's jitter+adapt_diag: the priors' support point, jittered by uniform(-1, 1).
          #expect(sampler.initialPosition == setup.model.supportPoint)
          #expect(sampler.initialJitter == 1)
        } else {
          // The fold's own mode: the gradient vanishes there (L-BFGS from the origin, checked independently).
          let start = try #require(sampler.initialPosition)
          #expect(start.count == setup.model.dimension)
          let gradient = setup.model.valueAndGradient(start).gradient
          #expect(gradient.map(abs).max() ?? .nan < 1e-3)
        }
      }
    }
  }

  @Test("a lift test without a date is refused with its file and line")
  func undatedLiftTestRefused() throws {
    let tests = try LiftTest.parseCSV(
      text: "channel,x,delta_x,delta_y,sigma\nx1,0.5,0.5,10,1\n", name: "lifts.csv")
    do {
      _ = try TimeSliceCrossValidator.partition(
        tests, trainingFrom: Self.date("2022-01-03"), through: Self.date("2023-01-02"))
      Issue.record("expected an error")
    } catch let error as LocatedError {
      #expect(error.file == "lifts.csv" && error.line == 2 && error.column == "date")
    }
  }

  @Test("CRPS of draws equals the pairwise definition E|X-y| - E|X-X'|/2 computed by brute force")
  func crpsMatchesPairwiseDefinition() {
    var rng = Xoshiro256StarStar(seed: 7)
    for n in [1, 2, 5, 37] {
      let samples = (0..<n).map { _ in 3 * rng.nextNormal() + 1 }
      let y = 0.7
      var absolute = 0.0
      var pairs = 0.0
      for a in samples {
        absolute += abs(a - y)
        for b in samples { pairs += abs(a - b) }
      }
      let expected = absolute / Double(n) - 0.5 * pairs / Double(n * n)
      #expect(abs(ProbabilisticScore.crps(samples: samples, observation: y) - expected) < 1e-12)
    }
    #expect(ProbabilisticScore.crps(samples: [], observation: 1).isNaN)
    // A point mass: CRPS is the absolute error.
    #expect(abs(ProbabilisticScore.crps(samples: [2, 2, 2], observation: 5) - 3) < 1e-12)
  }

  @Test("CRPS of many normal draws converges to the closed form sigma[z(2Phi(z)-1) + 2phi(z) - 1/sqrt(pi)]")
  func crpsMatchesNormalClosedForm() {
    var rng = Xoshiro256StarStar(seed: 11)
    let mu = 2.0
    let sigma = 1.5
    let samples = (0..<200_000).map { _ in mu + sigma * rng.nextNormal() }
    for y in [2.0, 0.5, 6.0] {
      let z = (y - mu) / sigma
      let phi = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
      let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
      let closed = sigma * (z * (2 * cdf - 1) + 2 * phi - 1 / Double.pi.squareRoot())
      let estimate = ProbabilisticScore.crps(samples: samples, observation: y)
      #expect(abs(estimate - closed) < 0.01 * sigma, "y = \(y): \(estimate) vs \(closed)")
    }
  }

  @Test("rows(where:) keeps the rows of the chosen dates with their file lines")
  func rowSubsetKeepsLines() throws {
    let dates = ["2022-01-03", "2022-01-10", "2022-01-03", "2022-01-10"].map(Self.date)
    let table = try MMMData(dates: dates, geos: ["a", "a", "b", "b"], columns: ["y": [1, 2, 3, 4]])
    let early = table.rows { $0 <= Self.date("2022-01-03") }
    #expect(early.dates.count == 2 && early.geos == ["a", "b"] && early.columns["y"] == [1, 3])
    #expect(early.line(ofRow: 1) == 4)
  }

  @Test("a cross-validation run uses in each fold exactly the lift tests known by its training end")
  func runExcludesFutureLiftTests() throws {
    // 30 weekly dates, one channel; y = 1 + 2 * logistic(x) + noise.
    var rng = Xoshiro256StarStar(seed: 3)
    let start = Self.date("2022-01-03")
    let dates = (0..<30).map { start.adding(days: 7 * $0) }
    let x = dates.map { _ in 0.2 + 0.8 * rng.nextUniform() }
    let y = x.map { 1 + 2 * (1 - exp(-2 * $0)) / (1 + exp(-2 * $0)) + 0.05 * rng.nextNormal() }
    let table = try MMMData(dates: dates, columns: ["x": x, "y": y])
    let configuration = MMMConfiguration(
      channelColumns: ["x"], adstock: .init(type: .geometric, lMax: 2, normalize: true),
      liftTestLikelihood: .normal)
    let early = LiftTest(
      channel: "x", x: 0.5, deltaX: 0.2, deltaY: 0.2, sigma: 0.05, date: dates[10], line: 2)
    let late = LiftTest(channel: "x", x: 0.5, deltaX: 0.2, deltaY: 0.2, sigma: 0.05, date: dates[25], line: 3)
    var sampler = SamplerConfiguration()
    sampler.chains = 1
    sampler.tune = 60
    sampler.draws = 40
    let folds = try TimeSliceCrossValidator(initial: 20, horizon: 4, step: 3).run(
      configuration: configuration, data: table, liftTests: [early, late], sampler: sampler)
    #expect(folds.count == 3)  // training ends at dates 19, 22, 25
    #expect(folds.map { $0.usedLiftTests.map(\.line) } == [[2], [2], [2, 3]])
    #expect(folds.map { $0.excludedLiftTests.map(\.line) } == [[3], [3], []])
    for fold in folds {
      #expect(fold.crps.isFinite && fold.crps > 0)
      #expect(fold.crpsPerDate.count == 4 && fold.predictedTest.count == 4)
      #expect(fold.observedTest == Array(y[fold.fold.test]))
    }
  }
}
