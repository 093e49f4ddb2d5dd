import CausalMMMCore
import Inference
import RealModule

// Time-slice cross-validation (PyMC-Marketing's `TimeSliceCrossValidator`): an expanding training
// window of `initial + k * step` dates, then a test window of the next `horizon` dates. A lift test
// calibrates a fold only when it was known by the end of that fold's training window: its date (or,
// for a windowed test, its whole window) lies inside the training dates. Later tests would leak
// information from the future into the fit.

/// The continuous ranked probability score of a forecast given by draws.
public enum ProbabilisticScore {
  /// CRPS(F, y) = E|X - y| - ½ E|X - X'| with X, X' independent draws of the empirical
  /// distribution of `samples` (the exact CRPS of that distribution; lower is better).
  ///
  /// - Parameters:
  ///   - samples: draws of the predictive distribution (any order); NaN when empty.
  ///   - observation: the observed value.
  /// - Returns: the score, in the units of the observation.
  /// - Complexity: O(n log n): E|X - X'| = (2 / n²) Σᵢ (2i - n + 1) x₍ᵢ₎ over the sorted draws.
  public static func crps(samples: [Double], observation: Double) -> Double {
    let n = samples.count
    guard n > 0 else { return .nan }
    let sorted = samples.sorted()
    var absoluteError = 0.0
    var spread = 0.0
    for (i, x) in sorted.enumerated() {
      absoluteError += abs(x - observation)
      spread += Double(2 * i - n + 1) * x
    }
    let count = Double(n)
    return absoluteError / count - spread / (count * count)
  }
}

/// The settings of a time-slice cross-validation: `initial` training dates, forecasts of `horizon`
/// dates, the training window growing by `step` dates per fold.
public struct TimeSliceCrossValidator: Sendable, Equatable {
  /// One fold: training and test dates as index ranges into the sorted distinct dates.
  public struct Fold: Sendable, Equatable {
    /// 0-based fold number.
    public let index: Int
    /// The training dates (always starting at 0).
    public let training: Range<Int>
    /// The test dates, right after the training dates.
    public let test: Range<Int>
  }

  /// The number of dates in the first training window.
  public let initial: Int
  /// The number of dates forecast per fold.
  public let horizon: Int
  /// How many dates the training window grows by from one fold to the next.
  public let step: Int

  /// Creates the settings.
  /// - Throws: `LocatedError` when a count is not positive.
  public init(initial: Int, horizon: Int, step: Int) throws {
    for (name, value) in [("initial", initial), ("horizon", horizon), ("step", step)] where value < 1 {
      throw LocatedError(column: name, "must be at least 1, got \(value)")
    }
    self.initial = initial
    self.horizon = horizon
    self.step = step
  }

  /// The folds over `dateCount` dates: `(dateCount - initial - horizon) / step + 1` of them.
  /// - Throws: `LocatedError` when `initial + horizon` exceeds the number of dates.
  public func folds(dateCount: Int) throws -> [Fold] {
    guard initial + horizon <= dateCount else {
      throw LocatedError(
        "initial (\(initial)) + horizon (\(horizon)) exceeds the \(dateCount) dates of the data: no fold fits"
      )
    }
    let count = (dateCount - initial - horizon) / step + 1
    return (0..<count).map { k in
      let end = initial + k * step
      return Fold(index: k, training: 0..<end, test: end..<(end + horizon))
    }
  }

  /// The date by which a lift test's result was known: its `end`, else its `date`.
  /// - Throws: `LocatedError` located at the test's row when it has neither.
  public static func knownDate(of test: LiftTest) throws -> CalendarDate {
    if let end = test.end { return end }
    if let date = test.date { return date }
    throw LocatedError(
      file: test.sourceName, line: test.line, column: "date",
      "cross-validation needs a 'date' (or 'start' and 'end') on every lift test to know which folds may use it"
    )
  }

  /// Splits lift tests into those a fold trained on `first...last` may use and those it must not:
  /// a test is used when its known date is on or before `last` (and a windowed test starts on or
  /// after `first`), excluded otherwise.
  /// - Throws: `LocatedError` for a test without a date (see `knownDate(of:)`).
  public static func partition(
    _ tests: [LiftTest], trainingFrom first: CalendarDate, through last: CalendarDate
  ) throws -> (used: [LiftTest], excluded: [LiftTest]) {
    var used: [LiftTest] = []
    var excluded: [LiftTest] = []
    for test in tests {
      let known = try knownDate(of: test)
      let startsInside = test.start.map { $0 >= first } ?? true
      if known <= last, startsInside { used.append(test) } else { excluded.append(test) }
    }
    return (used, excluded)
  }
}

/// The outcome of one cross-validation fold.
public struct CrossValidationFold: Sendable {
  /// The fold's dates.
  public let fold: TimeSliceCrossValidator.Fold
  public let trainingStart: CalendarDate
  public let trainingEnd: CalendarDate
  public let testStart: CalendarDate
  public let testEnd: CalendarDate
  /// Lift tests known by the end of the training window (used by the fit).
  public let usedLiftTests: [LiftTest]
  /// Lift tests dated after the training window (left out).
  public let excludedLiftTests: [LiftTest]
  /// The posterior summary of every parameter (94% HDI).
  public let parameters: [ParameterSummary]
  /// ROAS per channel over the training window.
  public let roas: [ChannelROAS]
  /// Mean CRPS over the test rows (every geo and test date), original units.
  public let crps: Double
  /// CRPS per test date (averaged over geos), original units.
  public let crpsPerDate: [Double]
  /// Observed outcome and predictive summary per test date (summed over geos).
  public let observedTest: [Double]
  public let predictedTest: [DrawSummary]
  public let divergences: Int
  public let seconds: Double
}

extension TimeSliceCrossValidator {
  /// Fits the model on each fold's training dates (with the lift tests known by then) and scores
  /// the posterior predictive on the test dates.
  ///
  /// The forecast runs the model over the training and test dates together, so carry-over from
  /// the training spend reaches the test dates; the scales are the training fit's.
  ///
  /// - Parameters:
  ///   - configuration: the model.
  ///   - data: the full table (with the target).
  ///   - liftTests: every lift test, each with a date (or start and end).
  ///   - sampler: the sampler settings; fold k uses seed `sampler.seed + k`.
  ///   - progress: called with a line of text after each fold.
  /// - Throws: `LocatedError` for invalid input; errors from the sampler.
  public func run(
    configuration: MMMConfiguration, data: MMMData, liftTests: [LiftTest] = [], sampler: SamplerConfiguration,
    progress: (String) -> Void = { _ in }
  ) throws -> [CrossValidationFold] {
    let dates = Array(Set(data.dates)).sorted()
    for test in liftTests { _ = try Self.knownDate(of: test) }
    var results: [CrossValidationFold] = []
    for fold in try folds(dateCount: dates.count) {
      let setup = try foldSetup(
        fold, dates: dates, configuration: configuration, data: data, liftTests: liftTests)
      let fit = try FittedMMM.fit(
        setup.model, sampler: foldSampler(sampler, fold: fold.index, model: setup.model))
      let result = try foldResult(setup, fit: fit, configuration: configuration)
      results.append(result)
      progress(progressLine(result))
    }
    return results
  }
}

extension TimeSliceCrossValidator {
  /// One fold's inputs: its model (training rows, the lift tests known by then) and forecast table.
  struct FoldSetup {
    let fold: Fold
    let dates: [CalendarDate]
    let model: MMMModel
    let used: [LiftTest]
    let excluded: [LiftTest]
    let forecastTable: MMMData
  }

  func foldSetup(
    _ fold: Fold, dates: [CalendarDate], configuration: MMMConfiguration, data: MMMData, liftTests: [LiftTest]
  ) throws -> FoldSetup {
    let trainingLast = dates[fold.training.upperBound - 1]
    let testLast = dates[fold.test.upperBound - 1]
    let training = data.rows { $0 <= trainingLast }
    let forecastTable = data.rows { $0 <= testLast }
    let (used, excluded) = try Self.partition(liftTests, trainingFrom: dates[0], through: trainingLast)
    let model = try MMMModel(configuration: configuration, data: training, liftTests: used)
    return FoldSetup(
      fold: fold, dates: dates, model: model, used: used, excluded: excluded, forecastTable: forecastTable)
  }

  /// Fold k's sampler: seed + k; the metric the model chooses (`MetricKind.automatic(for:)`) when the
  /// configuration names none, as `fit` does; with the configuration's `sampler.initialization: map`, the
  /// chains start at the fold model's posterior mode.
  func foldSampler(_ sampler: SamplerConfiguration, fold index: Int, model: MMMModel) throws
    -> SamplerConfiguration
  {
    var settings = sampler
    settings.seed = sampler.seed &+ UInt64(index)
    if model.configuration.sampler.metric == nil { settings.metric = MetricKind.automatic(for: model) }
    if settings.initialPosition == nil {
      try FitJob.initialize(&settings, model, model.configuration.sampler.initialization ?? .random)
    }
    return settings
  }

  func foldResult(_ setup: FoldSetup, fit: FittedMMM, configuration: MMMConfiguration) throws
    -> CrossValidationFold
  {
    let fold = setup.fold
    let dates = setup.dates
    let trainingLast = dates[fold.training.upperBound - 1]
    let testLast = dates[fold.test.upperBound - 1]
    let posterior = fit.posterior
    let score = try fit.scoreForecast(
      table: setup.forecastTable, testDates: Array(dates[fold.test]),
      targetColumn: configuration.targetColumn,
      seed: posterior?.configuration.seed ?? 0)
    return CrossValidationFold(
      fold: fold, trainingStart: dates[0], trainingEnd: trainingLast, testStart: dates[fold.test.lowerBound],
      testEnd: testLast, usedLiftTests: setup.used, excludedLiftTests: setup.excluded,
      parameters: fit.parameterSummary, roas: fit.roas(), crps: score.crps,
      crpsPerDate: score.crpsPerDate, observedTest: score.observed, predictedTest: score.predicted,
      divergences: posterior?.divergences ?? 0, seconds: posterior?.seconds ?? 0)
  }

  func progressLine(_ result: CrossValidationFold) -> String {
    "fold \(result.fold.index): train \(result.trainingStart)...\(result.trainingEnd) (\(result.fold.training.count) dates), "
      + "test \(result.testStart)...\(result.testEnd), lift tests used \(result.usedLiftTests.count), "
      + "excluded \(result.excludedLiftTests.count), CRPS \(result.crps)"
  }

  /// Runs fold `index` alone (one task of a sharded `cv`): the fit and result `run` gives that fold.
  /// - Returns: the fold's result, its fit and the number of folds.
  public func runFold(
    _ index: Int, configuration: MMMConfiguration, data: MMMData, liftTests: [LiftTest] = [],
    sampler: SamplerConfiguration
  ) throws -> (result: CrossValidationFold, fit: FittedMMM, foldCount: Int) {
    let dates = Array(Set(data.dates)).sorted()
    for test in liftTests { _ = try Self.knownDate(of: test) }
    let all = try folds(dateCount: dates.count)
    guard index >= 0, index < all.count else {
      throw LocatedError("--fold-index \(index) is outside 0...\(all.count - 1) (\(all.count) folds)")
    }
    let setup = try foldSetup(
      all[index], dates: dates, configuration: configuration, data: data, liftTests: liftTests)
    let fit = try FittedMMM.fit(setup.model, sampler: foldSampler(sampler, fold: index, model: setup.model))
    return (try foldResult(setup, fit: fit, configuration: configuration), fit, all.count)
  }

  /// Fold `index`'s result from its posterior (read back from a fold part, given the fold's model): what
  /// `run` reports for it.
  public func foldResult(
    _ index: Int, configuration: MMMConfiguration, data: MMMData, liftTests: [LiftTest] = [],
    posterior: (MMMModel) throws -> Posterior
  ) throws -> CrossValidationFold {
    let dates = Array(Set(data.dates)).sorted()
    let all = try folds(dateCount: dates.count)
    guard index >= 0, index < all.count else {
      throw LocatedError("fold index \(index) is outside 0...\(all.count - 1) (\(all.count) folds)")
    }
    let setup = try foldSetup(
      all[index], dates: dates, configuration: configuration, data: data, liftTests: liftTests)
    let fit = FittedMMM(model: setup.model, posterior: try posterior(setup.model))
    return try foldResult(setup, fit: fit, configuration: configuration)
  }

  /// The number of folds over `data`.
  public func foldCount(data: MMMData) throws -> Int {
    try folds(dateCount: Set(data.dates).count).count
  }
}

extension MMMData {
  /// The rows whose date satisfies `keep`, in their original order (line numbers kept).
  public func rows(where keep: (CalendarDate) -> Bool) -> MMMData {
    let kept = dates.indices.filter { keep(dates[$0]) }
    var copy = self
    copy.dates = kept.map { dates[$0] }
    copy.geos = geos.map { g in kept.map { g[$0] } }
    copy.columns = columns.mapValues { values in kept.map { values[$0] } }
    copy.lineNumbers = kept.map { line(ofRow: $0) }
    return copy
  }
}

extension FittedMMM {
  /// Posterior predictive draws on `testDates` of `table` (which runs from the training start so
  /// carry-over is kept), scored by CRPS against the table's target column.
  func scoreForecast(table: MMMData, testDates: [CalendarDate], targetColumn: String, seed: UInt64) throws
    -> (
      crps: Double, crpsPerDate: [Double], observed: [Double], predicted: [DrawSummary]
    )
  {
    guard let observedColumn = table.columns[targetColumn] else {
      throw LocatedError(file: table.sourceName, column: targetColumn, "missing column")
    }
    let (inputs, panel) = try model.scaledInputs(for: table)
    try checkGeos(panel)
    let geoIndices = panel.geoNames.map { model.geoNames.firstIndex(of: $0) ?? 0 }
    let T = inputs.dateCount
    let G = inputs.geoCount
    let testIndices = testDates.compactMap { panel.dates.firstIndex(of: $0) }
    // Observed target per (geo, test date), read from the table rows.
    var observed = [Double](repeating: .nan, count: G * testIndices.count)
    for row in 0..<table.rowCount {
      guard let k = testDates.firstIndex(of: table.dates[row]) else { continue }
      let g = table.geos.flatMap { geos in panel.geoNames.firstIndex(of: geos[row]) } ?? 0
      observed[g * testIndices.count + k] = observedColumn[row]
    }
    var draws = [[Double]](repeating: [], count: G * testIndices.count)
    var totals = [[Double]](repeating: [], count: testIndices.count)
    var rng = Xoshiro256StarStar(seed: seed ^ 0x5EED_CAFE)
    let studentT = model.configuration.likelihood.dist == .studentT
    let nu = model.configuration.likelihood.nu.rounded()
    for (v, intercepts) in zip(slots, interceptDraws()) {
      let mean = model.meanAndContributions(
        slots: v, inputs: inputs, geoIndices: geoIndices, intercepts: intercepts
      ).mean
      let sigma = v[model.offsets.sigma]
      for (k, t) in testIndices.enumerated() {
        var total = 0.0
        for g in 0..<G {
          var noise = rng.nextNormal()
          if studentT {
            var chi = 0.0
            for _ in 0..<Int(nu) { let z = rng.nextNormal(); chi += z * z }
            noise /= (chi / nu).squareRoot()
          }
          let value = (mean[g * T + t] + sigma * noise) * model.targetScale
          draws[g * testIndices.count + k].append(value)
          total += value
        }
        totals[k].append(total)
      }
    }
    var perDate = [Double](repeating: 0, count: testIndices.count)
    var sum = 0.0
    for g in 0..<G {
      for k in testIndices.indices {
        let score = ProbabilisticScore.crps(
          samples: draws[g * testIndices.count + k], observation: observed[g * testIndices.count + k])
        perDate[k] += score / Double(G)
        sum += score
      }
    }
    let observedTotals = testIndices.indices.map { k in
      (0..<G).reduce(0.0) { $0 + observed[$1 * testIndices.count + k] }
    }
    return (sum / Double(G * testIndices.count), perDate, observedTotals, totals.map { DrawSummary($0) })
  }
}
