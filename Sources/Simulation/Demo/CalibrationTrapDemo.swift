import CausalGraph
import CausalMMMCore
import Foundation
import Inference
import MMM

/// Seed 001's demonstration, end to end: simulate the calibration trap, run lift tests on the truth,
/// fit the naive and the causal specification with and without the lift tests, and compare each
/// model's intervention estimates with the SCM's true effects, next to two calibration checks.
///
/// Estimands (all summed over the experiment window, days 880-979, on the target):
/// (a) `go_dark_x2`, the tested go-dark; (b) `plus_50_x2`, an untested +50% on impressions_x2;
/// (c) `go_dark_x3`, switching impressions_x3 off. Models are fitted on days 0-979, so an
/// intervention in the window has no later days to carry over into, as in the truth's window sums.
public enum CalibrationTrapDemo {
  /// What to run.
  public struct Options: Sendable {
    /// The scenario seed (exogenous noise).
    public var seed: UInt64 = 1
    /// NUTS chains per model.
    public var chains = 2
    /// Warm-up iterations per chain.
    public var tune = 300
    /// Kept draws per chain.
    public var draws = 300
    /// The sampler's target acceptance rate.
    public var targetAccept = 0.9
    /// The lift tests' standard error relative to the measured lift.
    public var relativeSigma = 0.1
    /// The second (scale-up) test's factor on impressions_x2 and its window.
    public var secondTestFactor = 2.0
    /// The second test's window (0-based days).
    public var secondTestWindow = 700..<800
    /// Adstock l_max of the fitted models.
    public var adstockLMax = 8
    /// Whether to fit the sixth model, "structural": one structural MMM compiled from the DAG (an
    /// equation per mediator and the target), answering through its equations.
    public var structural = true
    /// Fit the structural model only (for coverage studies of it).
    public var onlyStructural = false
    /// Creates the defaults.
    public init() {}
  }

  /// A posterior estimate of one estimand against its true value.
  public struct Estimate: Sendable {
    /// The posterior mean.
    public let mean: Double
    /// The 94% HDI's lower end.
    public let hdiLower: Double
    /// The 94% HDI's upper end.
    public let hdiUpper: Double
    /// The true value.
    public let truth: Double
    /// `hdiUpper - hdiLower`.
    public var width: Double { hdiUpper - hdiLower }
    /// `mean - truth`.
    public var error: Double { mean - truth }
    /// `error / |truth|`.
    public var relativeError: Double { truth == 0 ? .nan : error / abs(truth) }
    /// Whether the HDI contains the truth.
    public var covers: Bool { hdiLower <= truth && truth <= hdiUpper }
    /// The posterior draws (chains concatenated).
    public let draws: [Double]

    init(draws: [Double], truth: Double) {
      self.draws = draws
      let summary = DrawSummary(draws, probability: 0.94)
      mean = summary.mean
      hdiLower = summary.hdiLower
      hdiUpper = summary.hdiUpper
      self.truth = truth
    }
  }

  /// One calibration check of a model against one lift test, per period (MMM's, as `fit` runs it).
  public typealias CalibrationCheck = MMM.CalibrationCheck

  /// A fitted specification and what it says.
  public struct ModelResult: Sendable {
    /// `naive`, `naive + calibration`, `causal`, `causal + calibration`, `causal + two tests`.
    public let name: String
    /// The model's channels.
    public let channels: [String]
    /// The model's controls.
    public let controls: [String]
    /// How many lift tests entered the likelihood.
    public let liftTestCount: Int
    /// Estimates by estimand key; `nil` when the model cannot express the intervention.
    public let estimates: [String: Estimate]
    /// PyMC-Marketing's steady-state check, per test.
    public let steadyStateChecks: [CalibrationCheck]
    /// The window-aware check (the model's own do() over the test window), per test.
    public let windowChecks: [CalibrationCheck]
    /// Per day of the window: the model's go-dark effect on impressions_x2 (mean, 94% HDI).
    public let dailyGoDark: [DrawSummary]
    /// Sampler divergences.
    public let divergences: Int
    /// The largest split R-hat.
    public let maxRHat: Double
    /// Sampling seconds.
    public let seconds: Double
  }

  /// Everything the demonstration measured.
  public struct Result: Sendable {
    /// The options used.
    public let options: Options
    /// The true effects (with the mediation split).
    public let truth: ScenarioTruth
    /// Per day of the window: the true go-dark effect.
    public let trueDailyGoDark: [Double]
    /// The lift tests run on the truth (go-dark, then scale-up).
    public let liftTests: [LiftTest]
    /// Warnings of the lift-test level check (per-period vs summed levels).
    public let liftTestWarnings: [String]
    /// The planner's verdicts on the naive and the causal specification.
    public let plan: CausalPlan
    /// The causal specification's controls, from the planner.
    public let causalControls: [String]
    /// The fitted models.
    public let models: [ModelResult]
    /// True values of the demo's own estimands beyond the scenario's (`go_dark_x1`), from do() on the SCM.
    public var extraTruths: [String: Double] = [:]

    /// The true value of an estimand.
    public func truth(of key: String) -> Double {
      truth.effects.first { $0.estimand.key == key }?.total ?? extraTruths[key] ?? .nan
    }
  }

  /// The experiment window.
  public static var window: Range<Int> { Scenario.calibrationTrapTestWindow }
  /// The estimand keys, in table order.
  /// `go_dark_x1` (switching impressions_x1 off, which acts only through impressions_x3) is the demo's own.
  public static let estimandKeys = ["go_dark_x2", "plus_50_x2", "go_dark_x3", "go_dark_x1"]

  /// Runs the demonstration.
  /// - Parameter progress: called with one line per stage.
  /// - Throws: ``SimulationError`` or an MMM error (invalid data, sampler failure).
  public static func run(_ options: Options, progress: (String) -> Void = { _ in }) throws -> Result {
    let scenario = try Scenario.calibrationTrap(seed: options.seed)
    let trainingDays = window.upperBound
    let truth = try scenario.truth(seed: options.seed)
    let world = try scenario.units[0].model.simulate(days: scenario.days)
    let goDarkWorld = try scenario.units[0].model.simulate(
      days: scenario.days,
      do: [Intervention(node: "impressions_x2", assignment: .constant(0), periods: window)])
    let trueDaily = Array(world.difference(to: goDarkWorld, of: "target")[window])
    let goDarkX1World = try scenario.units[0].model.simulate(
      days: scenario.days,
      do: [Intervention(node: "impressions_x1", assignment: .constant(0), periods: window)])
    let extraTruths = ["go_dark_x1": world.difference(to: goDarkX1World, of: "target")[window].reduce(0, +)]
    func truthValue(_ key: String) -> Double {
      truth.effects.first { $0.estimand.key == key }?.total ?? extraTruths[key] ?? .nan
    }

    // Lift tests on the truth, per-period units; the level check against the training data.
    let goDark = try scenario.runLiftTest(
      LiftTestDesign(
        channel: "impressions_x2", kind: .goDark, periods: window, relativeSigma: options.relativeSigma))
    let scaleUp = try scenario.runLiftTest(
      LiftTestDesign(
        channel: "impressions_x2", kind: .scale(options.secondTestFactor), periods: options.secondTestWindow,
        relativeSigma: options.relativeSigma))
    let rows = goDark + scaleUp
    let maximum = world.series("impressions_x2")?[0..<trainingDays].max() ?? 0
    let warnings = rows.enumerated().flatMap { index, row in
      LiftTestLevelCheck.warnings(for: row, observedMaximum: maximum).map {
        "lift test \(index + 1) (\(row.channel)): \($0)"
      }
    }

    // Specifications from the DAG.
    let allChannels = scenario.channels
    let causalPlan = try CausalPlanner.plan(
      dag: scenario.dag, outcome: "target", channels: ["impressions_x2"])
    let controls = causalPlan.channels[0].controls
    let plan = try CausalPlanner.plan(
      dag: scenario.dag, outcome: "target", channels: allChannels, controls: controls)

    // The training table: days 0..<980, every observed column.
    let data = try trainingData(
      world: world, days: trainingDays, controls: controls, calendar: scenario.units[0].model.calendar)
    let steadyStateLifts = rows.map(\.withoutWindow)
    let specifications: [(String, [String], [LiftTest])] = [
      ("naive", allChannels, []),
      ("naive + calibration", allChannels, [steadyStateLifts[0]]),
      ("causal", ["impressions_x2"], []),
      ("causal + calibration", ["impressions_x2"], [steadyStateLifts[0]]),
      ("causal + two tests", ["impressions_x2"], steadyStateLifts),
    ]
    var models: [ModelResult] = []
    for (index, (name, channels, lifts)) in specifications.enumerated() where !options.onlyStructural {
      progress(
        "fitting \(name): \(channels.joined(separator: " + ")) + \(controls.joined(separator: " + "))"
          + (lifts.isEmpty ? "" : " with \(lifts.count) lift test\(lifts.count == 1 ? "" : "s")"))
      let configuration = modelConfiguration(channels: channels, controls: controls, options: options)
      let model = try MMMModel(configuration: configuration, data: data, liftTests: lifts)
      var sampler = SamplerConfiguration()
      sampler.chains = options.chains
      sampler.tune = options.tune
      sampler.draws = options.draws
      sampler.targetAccept = options.targetAccept
      sampler.seed = options.seed &* 1000 &+ UInt64(index)
      let fit = try FittedMMM.fit(model, sampler: sampler)
      let result = try evaluate(
        name: name, fit: fit, configuration: configuration, data: data, lifts: lifts, rows: rows,
        truth: truthValue)
      progress(
        "  \(name): \(String(format: "%.1f", result.seconds)) s, \(result.divergences) divergences, max R-hat "
          + String(format: "%.3f", result.maxRHat))
      models.append(result)
    }
    if options.structural || options.onlyStructural {
      progress(
        "fitting structural: one equation per mediator (impressions_x3, impressions_x4) and the target, "
          + "compiled from the DAG")
      var configuration = modelConfiguration(channels: allChannels, controls: [], options: options)
      configuration.structure = "dag"
      let specification = try StructuralSpecification.build(
        configuration: configuration, dag: scenario.dag, dagPath: "dags/calibration_trap.dot")
      let model = try StructuralMMM(configuration: configuration, specification: specification, data: data)
      var sampler = SamplerConfiguration()
      sampler.chains = options.chains
      sampler.tune = options.tune
      sampler.draws = options.draws
      sampler.targetAccept = options.targetAccept
      sampler.seed = options.seed &* 1000 &+ UInt64(specifications.count)
      let fit = try StructuralFit.fit(model, sampler: sampler)
      let result = try evaluateStructural(fit: fit, truth: truthValue)
      progress(
        "  structural: \(String(format: "%.1f", result.seconds)) s, \(result.divergences) divergences, max R-hat "
          + String(format: "%.3f", result.maxRHat))
      models.append(result)
    }
    var result = Result(
      options: options, truth: truth, trueDailyGoDark: trueDaily, liftTests: rows, liftTestWarnings: warnings,
      plan: plan, causalControls: controls, models: models)
    result.extraTruths = extraTruths
    return result
  }

  static func modelConfiguration(channels: [String], controls: [String], options: Options) -> MMMConfiguration
  {
    var sampler = MMMConfiguration.SamplerSettings()
    sampler.chains = options.chains
    sampler.tune = options.tune
    sampler.draws = options.draws
    sampler.targetAccept = options.targetAccept
    sampler.seed = options.seed
    return MMMConfiguration(
      dateColumn: "date", targetColumn: "target", channelColumns: channels, controlColumns: controls,
      adstock: .init(type: .geometric, lMax: options.adstockLMax, normalize: true),
      saturation: .init(type: .michaelisMenten),
      priors: [
        // Seed 001's priors.
        "adstock_alpha": .init(dist: .beta, parameters: ["alpha": 1, "beta": 1]),
        "saturation_lam": .init(dist: .gamma, parameters: ["mu": 2, "sigma": 1]),
        "saturation_alpha": .init(dist: .gamma, parameters: ["mu": 0.5, "sigma": 0.5]),
      ],
      sampler: sampler)
  }

  /// The first `days` rows of every observed column; `controls` are standardised (mean 0, sd 1),
  /// which a linear control term absorbs exactly but which spares the sampler a trend of ~100
  /// against an intercept of ~1 (PyMC-Marketing does not scale controls either).
  static func trainingData(
    world: SimulatedWorld, days: Int, controls: [String], calendar: PeriodCalendar
  ) throws -> MMMData {
    var columns: [String: [Double]] = [:]
    for (index, node) in world.dag.nodes.enumerated() where !node.isLatent {
      var values = Array(world.values[index][0..<days])
      if controls.contains(node.name) {
        let mean = values.reduce(0, +) / Double(days)
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(days)).squareRoot()
        values = values.map { sd > 0 ? ($0 - mean) / sd : 0 }
      }
      columns[node.name] = values
    }
    let dates = (0..<days).map { CalendarDate(daysSinceEpoch: calendar.day(ofPeriod: $0)) }
    return try MMMData(dates: dates, columns: columns, sourceName: "<calibration-trap>")
  }

  /// The training table with `channel` multiplied by `factor` on `periods`.
  static func counterfactual(_ data: MMMData, channel: String, factor: Double, periods: Range<Int>) throws
    -> MMMData
  {
    var copy = data
    guard var values = copy.columns[channel] else { return data }
    for t in periods { values[t] *= factor }
    copy.columns[channel] = values
    return copy
  }

  static func evaluate(
    name: String, fit: FittedMMM, configuration: MMMConfiguration, data: MMMData, lifts: [LiftTest],
    rows: [LiftTest], truth truthValue: (String) -> Double
  ) throws -> ModelResult {
    let channels = configuration.channelColumns
    var estimates: [String: Estimate] = [:]
    let goDark = try fit.intervene(
      counterfactual: counterfactual(data, channel: "impressions_x2", factor: 0, periods: window))
    estimates["go_dark_x2"] = Estimate(draws: goDark.totalDraws, truth: truthValue("go_dark_x2"))
    let plus50 = try fit.intervene(
      counterfactual: counterfactual(data, channel: "impressions_x2", factor: 1.5, periods: window))
    estimates["plus_50_x2"] = Estimate(draws: plus50.totalDraws, truth: truthValue("plus_50_x2"))
    if channels.contains("impressions_x3") {
      let x3 = try fit.intervene(
        counterfactual: counterfactual(data, channel: "impressions_x3", factor: 0, periods: window))
      estimates["go_dark_x3"] = Estimate(draws: x3.totalDraws, truth: truthValue("go_dark_x3"))
    }
    if channels.contains("impressions_x1") {
      let x1 = try fit.intervene(
        counterfactual: counterfactual(data, channel: "impressions_x1", factor: 0, periods: window))
      estimates["go_dark_x1"] = Estimate(draws: x1.totalDraws, truth: truthValue("go_dark_x1"))
    }

    // The calibration checks `causal-mmm fit` runs: steady state (PyMC-Marketing's) and window-aware.
    let checks = try fit.calibrationChecks(liftTests: rows, data: data)
    let steady = checks.map(\.steadyState)
    let windowChecks = checks.compactMap(\.window)

    let summary = fit.posterior?.summary(hdiProbability: 0.94) ?? []
    return ModelResult(
      name: name, channels: channels, controls: configuration.controlColumns, liftTestCount: lifts.count,
      estimates: estimates, steadyStateChecks: steady, windowChecks: windowChecks,
      dailyGoDark: Array(goDark.perDate[window]), divergences: fit.posterior?.divergences ?? 0,
      maxRHat: summary.map(\.rHat).filter { $0.isFinite }.max() ?? .nan, seconds: fit.posterior?.seconds ?? 0)
  }

  /// The structural model's answers: each intervention propagated through its equations per draw
  /// (additive-noise counterfactual), summed over the window (the fit ends with it). No lift tests.
  static func evaluateStructural(fit: StructuralFit, truth truthValue: (String) -> Double) throws
    -> ModelResult
  {
    var estimates: [String: Estimate] = [:]
    for (key, channel, factor) in [
      ("go_dark_x2", "impressions_x2", 0.0), ("plus_50_x2", "impressions_x2", 1.5),
      ("go_dark_x3", "impressions_x3", 0),
      ("go_dark_x1", "impressions_x1", 0),
    ] {
      let effect = try fit.effect(channel: channel, factor: factor, window: window, label: key)
      estimates[key] = Estimate(draws: effect.total, truth: truthValue(key))
    }
    let observed = fit.model.columns["impressions_x2", default: []]
    var dark = observed
    for t in window { dark[t] = 0 }
    var daily = [[Double]](repeating: [], count: window.count)
    for v in fit.constrainedDraws {
      let change = fit.outcomeChange(values: v, doValues: ["impressions_x2": dark])
      for (k, t) in window.enumerated() { daily[k].append(change[t]) }
    }
    let summary = fit.posterior?.summary(hdiProbability: 0.94) ?? []
    return ModelResult(
      name: "structural", channels: fit.model.specification.channels, controls: [], liftTestCount: 0,
      estimates: estimates, steadyStateChecks: [], windowChecks: [],
      dailyGoDark: daily.map { DrawSummary($0) },
      divergences: fit.posterior?.divergences ?? 0,
      maxRHat: summary.map(\.rHat).filter { $0.isFinite }.max() ?? .nan, seconds: fit.posterior?.seconds ?? 0)
  }
}
