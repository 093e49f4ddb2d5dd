import CausalGraph
import CausalMMMCore
import Foundation
import Inference

/// How a unit's total spend is spread over the horizon's periods.
public enum Flighting: String, Sendable {
  /// As over the last N training periods (flat when the unit spent nothing then).
  case historical
  /// Equal spend in every period.
  case flat
}

/// What `causal-mmm optimize` is asked.
public struct BudgetRequest: Sendable {
  /// Total spend over the horizon (original units), all channels and geos.
  public var budget: Double
  /// The horizon's first date (on the training grid, at most one period after the training data).
  public var start: CalendarDate
  public var periods: Int
  /// Absolute bounds per channel on each decision unit's total spend (per geo in a geo model).
  public var bounds: [(channel: String, lower: Double, upper: Double)] = []
  /// Bounds relative to the current spend of each unit.
  public var relativeBounds: (lower: Double, upper: Double)? = nil
  /// Per-geo budgets (must sum to `budget`), with where they came from.
  public var geoBudgets: [(geo: String, budget: Double, line: Int)]? = nil
  public var geoBudgetSource = "--geo-budgets"
  /// Channels kept at their current spend.
  public var fixed: [String] = []
  public var objective: BudgetObjective = .mean
  public var flighting: Flighting = .historical
  /// Allocate channels whose total effect the model does not estimate (by the fit's DAG).
  public var allowNonCausal = false
  /// Starting points for S-shaped curves besides the current and the equal allocations.
  public var randomStarts = 6

  /// Creates a request.
  public init(budget: Double, start: CalendarDate, periods: Int) {
    self.budget = budget
    self.start = start
    self.periods = periods
  }

  /// Reads a `geo,budget` CSV.
  ///
  /// - Throws: `LocatedError` at file, line and column.
  public static func readGeoBudgets(path: String) throws -> [(geo: String, budget: Double, line: Int)] {
    let lines = try CSV.table(try CSV.readText(path: path), name: path)
    guard let header = lines.first else {
      throw LocatedError(file: path, line: 1, "empty file, expected geo,budget")
    }
    guard let gi = header.fields.firstIndex(of: "geo"), let bi = header.fields.firstIndex(of: "budget") else {
      throw LocatedError(file: path, line: header.line, "expected the columns geo,budget")
    }
    return try lines.dropFirst().map { row in
      guard row.fields.count == header.fields.count else {
        throw LocatedError(
          file: path, line: row.line, "expected \(header.fields.count) fields, found \(row.fields.count)")
      }
      guard let value = Double(row.fields[bi]), value.isFinite, value >= 0 else {
        throw LocatedError(
          file: path, line: row.line, column: "budget", "'\(row.fields[bi])' is not a budget >= 0")
      }
      return (row.fields[gi], value, row.line)
    }
  }
}

/// One decision unit's result.
public struct AllocationRow: Sendable {
  public let channel: String
  /// The geo, nil for a national model.
  public let geo: String?
  /// The last N training periods' spend, scaled to the budget.
  public let current: Double
  public let optimal: Double
  public var change: Double { optimal - current }
  /// d(objective)/d(spend) at the optimum (the posterior mean of the marginal ROAS for `mean`).
  public let marginalROAS: Double
  /// Marginal ROAS at the current allocation.
  public let currentMarginalROAS: Double
  /// `lower`, `upper`, `fixed` or nil when strictly inside its bounds.
  public let bound: String?
  public let lower: Double
  public let upper: Double
}

/// The optimizer's answer.
public struct BudgetAllocation: Sendable {
  public let start: CalendarDate
  public let end: CalendarDate
  public let periods: Int
  /// Periods of carry-over counted after the horizon.
  public let tailPeriods: Int
  public let budget: Double
  public let objective: BudgetObjective
  public let flighting: Flighting
  public let rows: [AllocationRow]
  /// Expected incremental outcome (against zero spend over the horizon) per allocation, 94% HDI.
  public let expectedCurrent: DrawSummary
  public let expectedOptimal: DrawSummary
  /// Optimal minus current, paired by draw.
  public let uplift: DrawSummary
  /// The objective's value at each allocation.
  public let objectiveCurrent: Double
  public let objectiveOptimal: Double
  /// Per budget group: (max − min) / mean of the marginal ROAS over units strictly inside their
  /// bounds (0 when fewer than two); the KKT condition asks for 0.
  public let kktSpread: Double
  /// Whether every unit at a bound has a marginal ROAS on the right side of the free units'.
  public let kktBoundsConsistent: Bool
  public let starts: Int
  public let iterations: Int
  public let drawCount: Int
  /// Causal-guard warnings (with --allow-non-causal) and other notes.
  public let warnings: [String]
  /// The solved problem, for cross-checks (`problemJSON`).
  var problem: AllocationProblem? = nil
  var saturationType = ""

  /// The problem as solved, for an independent solver: per draw and unit the response terms
  /// (`parameters`, `base`, `slope`, `weight` in `[(d * units + u) * terms + k]` order), the target
  /// scale, groups, budgets, bounds, labels, and the current and optimal allocations.
  public func problemJSON() -> JSONValue? {
    guard let problem else { return nil }
    let r = problem.responses
    return .object([
      ("saturation", .string(saturationType)), ("draws", .integer(r.drawCount)),
      ("units", .integer(r.unitCount)),
      ("terms", .integer(r.termCount)), ("target_scale", .number(r.targetScale)),
      ("parameters", .array(r.parameters.map(JSONValue.number))),
      ("base", .array(r.base.map(JSONValue.number))),
      ("slope", .array(r.slope.map(JSONValue.number))), ("weight", .array(r.weight.map(JSONValue.number))),
      ("group", .array(problem.group.map(JSONValue.integer))),
      ("budgets", .array(problem.budgets.map(JSONValue.number))),
      ("lower", .array(problem.lower.map(JSONValue.number))),
      ("upper", .array(problem.upper.map(JSONValue.number))),
      (
        "labels",
        .strings(
          unitOrder.map { (index: Int) -> String in
            let row = rows[index]
            return row.geo.map { "\(row.channel)@\($0)" } ?? row.channel
          })
      ),
      ("current", .array(unitOrder.map { .number(rows[$0].current) })),
      ("optimal", .array(unitOrder.map { .number(rows[$0].optimal) })),
    ])
  }
  /// `rows` index of each problem unit.
  var unitOrder: [Int] = []
}

/// The `optimize` workflow: load the causal guard's DAG, build the constraints, solve.
public enum BudgetJob {
  /// The DOT file a fit directory keeps for the causal guard.
  public static let dagFileName = "dag.dot"

  /// Loads the fit at `directory` and optimises.
  ///
  /// - Parameter loadDAG: reads a DOT file (the caller owns DOT parsing).
  /// - Throws: `LocatedError` for invalid requests, infeasible constraints and (without
  ///   `allowNonCausal`) channels whose total effect the model does not estimate.
  public static func run(
    _ request: BudgetRequest, fitDirectory: String, loadDAG: (String) throws -> CausalDAG
  ) throws
    -> BudgetAllocation
  {
    let fit = try FitArchive.load(from: URL(fileURLWithPath: fitDirectory))
    let guardWarnings = try causalGuard(
      fit.model.configuration, fitDirectory: fitDirectory, allowNonCausal: request.allowNonCausal,
      loadDAG: loadDAG)
    return try fit.optimizeBudget(request, warnings: guardWarnings)
  }

  /// The causal planner's verdict per channel when the fit's configuration names a `dag:`.
  /// Refuses (one error naming every such channel, why, and the specification that would estimate
  /// it) unless `allowNonCausal`, when the same sentences come back as warnings.
  static func causalGuard(
    _ configuration: MMMConfiguration, fitDirectory: String, allowNonCausal: Bool,
    loadDAG: (String) throws -> CausalDAG
  ) throws -> [String] {
    guard let named = configuration.dag else { return [] }
    // As the user named the directory, so the error reads `DIR/dag.dot: error: ...`.
    let stored = fitDirectory.hasSuffix("/") ? fitDirectory + dagFileName : fitDirectory + "/" + dagFileName
    let path: String
    if FileManager.default.fileExists(atPath: stored) {
      path = stored
    } else if named.hasPrefix("/"), FileManager.default.fileExists(atPath: named) {
      path = named
    } else {
      return [
        "the fit's configuration names dag: \(named) but the fit directory holds no \(dagFileName) (fitted by an older "
          + "version): the causal guard could not check the channels"
      ]
    }
    let dag = try loadDAG(path)
    let target = configuration.targetColumn
    guard dag.index(of: target) != nil else {
      return [
        "the causal DAG has no node '\(target)' (the model's target): the causal guard could not check the channels"
      ]
    }
    let channels = configuration.channelColumns.filter { dag.index(of: $0) != nil }
    let controls = configuration.controlColumns.filter { dag.index(of: $0) != nil }
    let plan: CausalPlan
    do {
      plan = try CausalPlanner.plan(dag: dag, outcome: target, channels: channels, controls: controls)
    } catch {
      throw LocatedError(file: path, message: "\(error)")
    }
    var problems: [String] = []
    for (verdict, channelPlan) in zip(plan.verdicts, plan.channels) where !verdict.isValid {
      let why = verdict.reasons.joined(separator: "; ")
      let remedy =
        channelPlan.identifiable
        ? "the specification that estimates it: \(target) ~ \(([verdict.channel] + channelPlan.controls).joined(separator: " + ")) "
          + "(controls {\(channelPlan.controls.joined(separator: ", "))})"
        : "no adjustment set of observed variables identifies its total effect"
      problems.append("\(verdict.channel): \(why); \(remedy)")
    }
    for channel in configuration.channelColumns where dag.index(of: channel) == nil {
      problems.append("\(channel): not a node of the causal DAG, so the DAG says nothing about its effect")
    }
    guard !problems.isEmpty else { return [] }
    if allowNonCausal {
      return problems.map { "causal guard (overridden by --allow-non-causal): " + $0 }
    }
    throw LocatedError(
      file: path,
      message: "causal guard: the model does not estimate the total effect of "
        + problems.map { $0.components(separatedBy: ":")[0] }.joined(separator: ", ")
        + ", so optimize will not allocate budget on \(problems.count == 1 ? "it" : "them"): "
        + problems.joined(separator: " | ")
        + " (refit with that specification, or pass --allow-non-causal to allocate anyway)")
  }
}

extension FittedMMM {
  /// Optimises the allocation of `request.budget` over the horizon (see `BudgetRequest`).
  ///
  /// - Throws: `LocatedError` for an invalid request or infeasible constraints.
  public func optimizeBudget(_ request: BudgetRequest, warnings: [String] = []) throws -> BudgetAllocation {
    guard request.budget.isFinite, request.budget >= 0 else {
      throw LocatedError(file: "--budget", message: "the budget must be a number >= 0, got \(request.budget)")
    }
    let window = try forwardWindow(start: request.start, periods: request.periods)
    let C = model.channelNames.count
    let G = model.geoNames.count
    let N = request.periods
    let T0 = model.inputs.dateCount
    let units = (0..<G).flatMap { g in (0..<C).map { (geo: g, channel: $0) } }
    let U = units.count
    let history = units.map { trainingSpend(geo: $0.geo, channel: $0.channel, range: (T0 - N)..<T0) }
    let historyTotals = history.map { $0.reduce(0, +) }
    // Budget groups.
    var group = [Int](repeating: 0, count: U)
    var budgets = [request.budget]
    if let geoBudgets = request.geoBudgets {
      guard model.hasGeo else {
        throw LocatedError(
          file: request.geoBudgetSource, message: "the fit has no geo column, so it takes no geo budgets")
      }
      var byGeo: [String: Double] = [:]
      for entry in geoBudgets {
        guard model.geoNames.contains(entry.geo) else {
          throw LocatedError(
            file: request.geoBudgetSource, line: entry.line, column: "geo",
            "unknown geo '\(entry.geo)'\(didYouMean(entry.geo, model.geoNames))")
        }
        guard byGeo[entry.geo] == nil else {
          throw LocatedError(
            file: request.geoBudgetSource, line: entry.line, column: "geo", "duplicate geo '\(entry.geo)'")
        }
        byGeo[entry.geo] = entry.budget
      }
      if let missing = model.geoNames.first(where: { byGeo[$0] == nil }) {
        throw LocatedError(file: request.geoBudgetSource, message: "no budget for geo '\(missing)'")
      }
      let sum = byGeo.values.reduce(0, +)
      guard abs(sum - request.budget) <= 1e-9 * max(1, request.budget) else {
        throw LocatedError(
          file: request.geoBudgetSource,
          message:
            "the geo budgets sum to \(formatDecimal(sum)), not the total budget \(formatDecimal(request.budget))"
        )
      }
      budgets = model.geoNames.map { byGeo[$0, default: 0] }
      group = units.map { $0.geo }
    }
    // Current allocation: the last N periods, scaled to each group's budget.
    var current = [Double](repeating: 0, count: U)
    for g in budgets.indices {
      let members = (0..<U).filter { group[$0] == g }
      let total = members.reduce(0.0) { $0 + historyTotals[$1] }
      for u in members {
        current[u] = total > 0 ? historyTotals[u] / total * budgets[g] : budgets[g] / Double(members.count)
      }
    }
    // Bounds.
    func unitName(_ u: Int) -> String {
      model.hasGeo
        ? "\(model.channelNames[units[u].channel]) in \(model.geoNames[units[u].geo])"
        : model.channelNames[units[u].channel]
    }
    var lower = [Double](repeating: 0, count: U)
    var upper = (0..<U).map { budgets[group[$0]] }
    var fixedUnit = [Bool](repeating: false, count: U)
    var absolute = [Int: (Double, Double)]()
    for bound in request.bounds {
      let c = try channelIndices([bound.channel], option: "--bounds")[0]
      guard bound.lower >= 0, bound.lower <= bound.upper else {
        throw LocatedError(
          file: "--bounds",
          message:
            "\(bound.channel)=\(formatDecimal(bound.lower)):\(formatDecimal(bound.upper)): need 0 <= LO <= HI"
        )
      }
      absolute[c] = (bound.lower, bound.upper)
    }
    let fixedChannels = Set(request.fixed.isEmpty ? [] : try channelIndices(request.fixed, option: "--fix"))
    if let relative = request.relativeBounds {
      guard relative.lower >= 0, relative.lower <= relative.upper else {
        throw LocatedError(
          file: "--relative-bounds",
          message: "\(formatDecimal(relative.lower)):\(formatDecimal(relative.upper)): need 0 <= LO <= HI")
      }
    }
    for u in 0..<U {
      let c = units[u].channel
      if let (lo, hi) = absolute[c] {
        lower[u] = max(lower[u], lo)
        upper[u] = min(upper[u], hi)
      }
      if let relative = request.relativeBounds {
        let lo = relative.lower * current[u]
        let hi = relative.upper * current[u]
        if lo > upper[u] || hi < lower[u] {
          throw LocatedError(
            file: "--relative-bounds",
            message:
              "\(unitName(u)): the relative bounds \(formatDecimal(lo)):\(formatDecimal(hi)) (of the current "
              + "\(formatDecimal(current[u]))) do not overlap the absolute bounds \(formatDecimal(lower[u])):\(formatDecimal(upper[u]))"
          )
        }
        lower[u] = max(lower[u], lo)
        upper[u] = min(upper[u], hi)
      }
      if fixedChannels.contains(c) {
        lower[u] = current[u]
        upper[u] = current[u]
        fixedUnit[u] = true
      }
      if lower[u] > upper[u] {
        throw LocatedError(
          file: "--bounds",
          message:
            "infeasible: \(unitName(u)): the lower bound \(formatDecimal(lower[u])) exceeds its upper bound "
            + "\(formatDecimal(upper[u])) (the budget unless bounded lower)")
      }
    }
    for g in budgets.indices {
      let members = (0..<U).filter { group[$0] == g }
      let low = members.reduce(0.0) { $0 + lower[$1] }
      let high = members.reduce(0.0) { $0 + upper[$1] }
      let scope = budgets.count > 1 ? " in geo \(model.geoNames[g])" : ""
      let source = request.geoBudgets != nil ? request.geoBudgetSource : "--budget"
      if low > budgets[g] * (1 + 1e-12) {
        throw LocatedError(
          file: source,
          message:
            "infeasible: the lower bounds\(scope) (fixed channels included) sum to \(formatDecimal(low)), above the "
            + "budget \(formatDecimal(budgets[g]))")
      }
      if high < budgets[g] * (1 - 1e-12) {
        throw LocatedError(
          file: source,
          message:
            "infeasible: the upper bounds\(scope) sum to \(formatDecimal(high)), below the budget \(formatDecimal(budgets[g]))"
        )
      }
    }
    // Spend patterns per unit of budget, scaled units.
    let patterns = (0..<U).map { u -> [Double] in
      let scale = model.channelScales[units[u].channel]
      if request.flighting == .historical, historyTotals[u] > 0 {
        return history[u].map { $0 / historyTotals[u] / scale }
      }
      return [Double](repeating: 1 / Double(N) / scale, count: N)
    }
    let responses = responseSet(units: units, window: window, patterns: patterns)
    let problem = AllocationProblem(
      responses: responses, group: group, budgets: budgets, lower: lower, upper: upper,
      objective: request.objective)
    // Starts: the current and equal allocations, plus seeded random ones for S-shaped curves.
    // Concave curves (every saturation but Hill, adstock linear) have one optimum: one start suffices.
    var starts = [current]
    if model.components.saturation is HillSaturation {
      starts.append(
        (0..<U).map { u in budgets[group[u]] / Double((0..<U).filter { group[$0] == group[u] }.count) })
      var rng = Xoshiro256StarStar(seed: 14)
      for _ in 0..<request.randomStarts {
        var point = (0..<U).map { _ in -Double.log(max(rng.nextUniform(), 1e-300)) }
        for g in budgets.indices {
          let members = (0..<U).filter { group[$0] == g }
          let sum = members.reduce(0.0) { $0 + point[$1] }
          for u in members { point[u] = point[u] / sum * budgets[g] }
        }
        starts.append(point)
      }
    }
    var best: (allocation: [Double], value: Double, iterations: Int)? = nil
    var iterations = 0
    for start in starts {
      let solution = problem.solve(from: start)
      iterations += solution.iterations
      if solution.value > best?.value ?? -.infinity { best = solution }
    }
    let optimal = problem.project(best?.allocation ?? current)
    // Summaries at both allocations.
    let D = responses.drawCount
    var totalsCurrent = [Double](repeating: 0, count: D)
    var totalsOptimal = [Double](repeating: 0, count: D)
    var derivatives = [Double](repeating: 0, count: D * U)
    var gradientCurrent = [Double](repeating: 0, count: U)
    var gradientOptimal = [Double](repeating: 0, count: U)
    let objectiveCurrent = problem.value(
      current, gradient: &gradientCurrent, totals: &totalsCurrent, derivatives: &derivatives)
    let objectiveOptimal = problem.value(
      optimal, gradient: &gradientOptimal, totals: &totalsOptimal, derivatives: &derivatives)
    // KKT: equal marginal returns among free units of each group; bound units on the right side.
    var spread = 0.0
    var consistent = true
    var rows: [AllocationRow] = []
    for g in budgets.indices {
      let members = (0..<U).filter { group[$0] == g }
      let tolerance = 1e-7 * max(budgets[g], 1e-300)
      let free = members.filter {
        !fixedUnit[$0] && optimal[$0] > lower[$0] + tolerance && optimal[$0] < upper[$0] - tolerance
      }
      if free.count >= 2 {
        let values = free.map { gradientOptimal[$0] }
        let mean = values.reduce(0, +) / Double(values.count)
        spread = max(spread, (values.max() ?? 0) - (values.min() ?? 0)) / max(abs(mean), 1e-300)
      }
      if let reference = free.first.map({ gradientOptimal[$0] }) {
        for u in members where !free.contains(u) && !fixedUnit[u] && upper[u] > lower[u] + tolerance {
          let relativeTolerance = 1e-4 * abs(reference)
          if optimal[u] <= lower[u] + tolerance && gradientOptimal[u] > reference + relativeTolerance {
            consistent = false
          }
          if optimal[u] >= upper[u] - tolerance && gradientOptimal[u] < reference - relativeTolerance {
            consistent = false
          }
        }
      }
      for u in members {
        let tol = 1e-7 * max(budgets[g], 1e-300)
        let bound: String? =
          fixedUnit[u]
          ? "fixed" : optimal[u] <= lower[u] + tol ? "lower" : optimal[u] >= upper[u] - tol ? "upper" : nil
        rows.append(
          AllocationRow(
            channel: model.channelNames[units[u].channel],
            geo: model.hasGeo ? model.geoNames[units[u].geo] : nil,
            current: current[u], optimal: optimal[u], marginalROAS: gradientOptimal[u],
            currentMarginalROAS: gradientCurrent[u], bound: bound, lower: lower[u], upper: upper[u]))
      }
    }
    // Rows were appended group by group; keep the unit order for the cross-check export.
    var rowOfUnit = [Int](repeating: 0, count: U)
    var position = 0
    for g in budgets.indices { for u in 0..<U where group[u] == g { rowOfUnit[u] = position; position += 1 } }
    let grid = model.periodGrid
    var allocation = BudgetAllocation(
      start: grid.date(at: window.start), end: grid.date(at: window.start + N - 1), periods: N,
      tailPeriods: model.components.adstock.tapCount - 1, budget: request.budget,
      objective: request.objective,
      flighting: request.flighting, rows: rows, expectedCurrent: DrawSummary(totalsCurrent),
      expectedOptimal: DrawSummary(totalsOptimal),
      uplift: DrawSummary(zip(totalsOptimal, totalsCurrent).map { $0 - $1 }),
      objectiveCurrent: objectiveCurrent, objectiveOptimal: objectiveOptimal, kktSpread: spread,
      kktBoundsConsistent: consistent, starts: starts.count, iterations: iterations, drawCount: D,
      warnings: warnings)
    allocation.problem = problem
    allocation.unitOrder = rowOfUnit
    allocation.saturationType = model.configuration.saturation.type.rawValue
    return allocation
  }
}
