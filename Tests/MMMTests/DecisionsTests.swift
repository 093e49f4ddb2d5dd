import CausalMMMCore
import Foundation
import RealModule
import Testing

@testable import MMM

/// Michaelis-Menten curves with one term each: R_du(b) = α_du b P_u / (λ_u + b P_u) = α_du b / (k_u + b).
func michaelisMentenSet(alphas: [[Double]], lambdas: [Double], slopes: [Double]) -> ResponseSet {
  let D = alphas.count
  let U = lambdas.count
  var parameters: [Double] = []
  for d in 0..<D { for u in 0..<U { parameters += [alphas[d][u], lambdas[u]] } }
  return ResponseSet(
    drawCount: D, unitCount: U, termCount: 1, saturation: MichaelisMentenSaturation(), parameters: parameters,
    base: [Double](repeating: 0, count: D * U), slope: (0..<D).flatMap { _ in slopes },
    weight: [Double](repeating: 1, count: D * U), targetScale: 1)
}

/// Equal marginal returns for R_u = a_u b / (k_u + b): a_u k_u / (k_u + b_u)^2 = μ for every free unit,
/// so b_u = √(a_u k_u / μ) − k_u with 1/√μ = (B + Σ k_u) / Σ √(a_u k_u).
func closedFormAllocation(a: [Double], k: [Double], budget: Double) -> [Double] {
  let inverseRootMu = (budget + k.reduce(0, +)) / zip(a, k).reduce(0.0) { $0 + ($1.0 * $1.1).squareRoot() }
  return zip(a, k).map { ($0 * $1).squareRoot() * inverseRootMu - $1 }
}

@Suite struct BudgetOptimizerTests {
  let alphas = [[3.0, 2.0, 5.0], [1.0, 4.0, 3.0]]  // two draws: the mean curve has a = [2, 3, 4]
  let lambdas = [0.5, 0.8, 2.0]
  let slopes = [0.01, 0.02, 0.01]  // k = λ / P = [50, 40, 200]

  @Test func theMeanObjectiveReachesTheClosedFormEqualMarginalReturnsOptimum() throws {
    let set = michaelisMentenSet(alphas: alphas, lambdas: lambdas, slopes: slopes)
    let budget = 300.0
    let problem = AllocationProblem(
      responses: set, group: [0, 0, 0], budgets: [budget], lower: [0, 0, 0], upper: [budget, budget, budget],
      objective: .mean)
    let expected = closedFormAllocation(a: [2, 3, 4], k: [50, 40, 200], budget: budget)
    #expect(expected.allSatisfy { $0 > 0 })
    let solution = problem.solve(from: [100, 100, 100])
    for u in 0..<3 {
      #expect(
        abs(solution.allocation[u] - expected[u]) <= 1e-6 * expected[u],
        "unit \(u): \(solution.allocation) vs \(expected)")
    }
    #expect(abs(solution.allocation.reduce(0, +) - budget) <= 1e-12 * budget)
  }

  @Test func aBindingUpperBoundHoldsExactlyAndTheRestSplitsInClosedForm() throws {
    let set = michaelisMentenSet(alphas: alphas, lambdas: lambdas, slopes: slopes)
    let budget = 300.0
    let cap = 50.0  // below unit 1's unconstrained optimum
    #expect(closedFormAllocation(a: [2, 3, 4], k: [50, 40, 200], budget: budget)[1] > cap)
    let problem = AllocationProblem(
      responses: set, group: [0, 0, 0], budgets: [budget], lower: [0, 0, 0], upper: [budget, cap, budget],
      objective: .mean)
    let solution = problem.solve(from: [0, 0, 300])
    let rest = closedFormAllocation(a: [2, 4], k: [50, 200], budget: budget - cap)
    #expect(solution.allocation[1] == cap)
    #expect(abs(solution.allocation[0] - rest[0]) <= 1e-6 * rest[0])
    #expect(abs(solution.allocation[2] - rest[1]) <= 1e-6 * rest[1])
    #expect(abs(solution.allocation.reduce(0, +) - budget) <= 1e-12 * budget)
  }

  @Test func theObjectiveGradientMatchesFiniteDifferencesForMeanAndCVaR() throws {
    // Hill curves with a carry-in base, several terms, four draws.
    let D = 4
    let U = 2
    let K = 3
    var parameters: [Double] = []
    for d in 0..<D {
      for u in 0..<U { parameters += [1.5 + 0.2 * Double(d), 0.4 + 0.1 * Double(u), 1 + Double(d + u)] }
    }
    let base = (0..<(D * U * K)).map { 0.05 * Double($0 % 5) }
    let slope = (0..<(D * U * K)).map { 0.001 * Double(1 + $0 % 3) }
    let set = ResponseSet(
      drawCount: D, unitCount: U, termCount: K, saturation: HillSaturation(), parameters: parameters,
      base: base,
      slope: slope, weight: [Double](repeating: 1, count: D * U * K), targetScale: 2)
    for objective in [BudgetObjective.mean, .cvar(0.5)] {
      let problem = AllocationProblem(
        responses: set, group: [0, 0], budgets: [500], lower: [0, 0], upper: [500, 500], objective: objective)
      var gradient = [0.0, 0.0]
      var totals = [Double](repeating: 0, count: D)
      var derivatives = [Double](repeating: 0, count: D * U)
      let b = [180.0, 320.0]
      _ = problem.value(b, gradient: &gradient, totals: &totals, derivatives: &derivatives)
      for u in 0..<U {
        let numeric = finiteDifference(
          { x in
            var g = [0.0, 0.0]
            var t = [Double](repeating: 0, count: D)
            var dd = [Double](repeating: 0, count: D * U)
            return problem.value(x, gradient: &g, totals: &t, derivatives: &dd)
          }, at: b, index: u, step: 1e-3)
        #expect(abs(gradient[u] - numeric) <= 1e-6 * max(abs(numeric), 1e-6), "\(objective) unit \(u)")
      }
    }
  }

  @Test func projectionHoldsTheBudgetAndBoundsExactly() {
    let set = michaelisMentenSet(alphas: [[1, 1, 1, 1]], lambdas: [1, 1, 1, 1], slopes: [1, 1, 1, 1])
    let problem = AllocationProblem(
      responses: set, group: [0, 0, 1, 1], budgets: [10, 0.3], lower: [1, 0, 0.1, 0], upper: [3, 20, 0.1, 1],
      objective: .mean)
    let x = problem.project([100, -5, 7, 0.123456789])
    // Exact up to the rounding of the final sum.
    #expect(abs(x[0] + x[1] - 10) <= 2 * (10.0).ulp)
    #expect(abs(x[2] + x[3] - 0.3) <= 2 * (0.3).ulp)
    #expect(x[0] == 3 && x[2] == 0.1)
  }
}

@Suite struct ResponseCurveTests {
  @Test func atMultiplierOneTheCurveIsTheChannelsContributionAndMarginalROASIsTheDerivative() throws {
    let data = geoWorkload(geos: 2, weeks: 30)
    let model = try MMMModel(configuration: seed000Configuration(), data: data)
    let fit = FittedMMM(
      model: model,
      unconstrainedDraws: [
        pseudoRandomPoint(model.dimension, seed: 31), pseudoRandomPoint(model.dimension, seed: 32),
      ])
    let curves = try fit.responseCurves(multipliers: [0, 0.5, 1, 1.5])
    let contributions = fit.contributions()
    for (c, curve) in curves.curves.enumerated() {
      let total = contributions[c].totalDraws.reduce(0, +) / 2
      let one = curve.points[2]
      #expect(abs(one.incremental.mean - total) <= 1e-10 * abs(total))
      #expect(curve.points[0].incremental.mean == 0)
      let spend = data.columns[curve.channel]!.reduce(0, +)
      #expect(abs(curve.currentSpend - spend) <= 1e-10 * spend)
      // Marginal ROAS at m = 1 against a central difference of the curve in spend.
      let h = 1e-5
      let around = try fit.responseCurves(channels: [curve.channel], multipliers: [1 - h, 1 + h]).curves[0]
        .points
      let numeric = (around[1].incremental.mean - around[0].incremental.mean) / (2 * h * spend)
      #expect(abs(one.marginalROAS.mean - numeric) <= 1e-6 * abs(numeric), "\(curve.channel)")
    }
  }

  @Test(arguments: [true, false])
  func aForwardCurveEqualsTheInterventionOnAForwardTableWithItsTail(adstockFirst: Bool) throws {
    let f = try ForwardScenarioTests.FixedFit(adstockFirst: adstockFirst)
    let last = f.data.dates.last!
    let curves = try f.fit.responseCurves(multipliers: [0.5, 2], start: last.adding(days: 7), periods: 3)
    #expect(curves.start == last.adding(days: 7) && curves.end == last.adding(days: 21))
    let recent = Array(f.data.columns["x"]!.suffix(3))
    let dates = (1...3).map { last.adding(days: 7 * $0) }
    let z = [0.0, 0.0, 0.0]
    let zero = try ForwardScenarioTests.table(dates: dates, x: [0, 0, 0], z: z)
    for (i, m) in [0.5, 2.0].enumerated() {
      let scaled = try ForwardScenarioTests.table(dates: dates, x: recent.map { m * $0 }, z: z)
      let effect = try f.fit.intervene(counterfactual: scaled, baseline: zero, includeCarryoverTail: true)
      let got = curves.curves[0].points[i].incremental.mean
      #expect(abs(got - effect.total.mean) <= 1e-10 * abs(effect.total.mean), "m = \(m)")
    }
  }

  @Test func theEvenlySpacedLogisticShortcutMatchesPointByPointEvaluation() throws {
    let data = geoWorkload(geos: 2, weeks: 30)
    let model = try MMMModel(configuration: seed000Configuration(), data: data)
    let fit = FittedMMM(model: model, unconstrainedDraws: [pseudoRandomPoint(model.dimension, seed: 77)])
    let grid = try ResponseCurves.multipliers(from: "0.2:2:0.3")  // 7 evenly spaced points
    #expect(ResponseSet.isEvenlySpaced(grid))
    let fast = try fit.responseCurves(multipliers: grid)
    for (j, m) in grid.enumerated() {
      let single = try fit.responseCurves(multipliers: [m]).curves  // one point: the generic kernel
      for (c, curve) in fast.curves.enumerated() {
        let a = curve.points[j]
        let b = single[c].points[0]
        #expect(abs(a.incremental.mean - b.incremental.mean) <= 1e-12 * abs(b.incremental.mean))
        #expect(abs(a.marginalROAS.mean - b.marginalROAS.mean) <= 1e-12 * abs(b.marginalROAS.mean))
      }
    }
  }

  @Test func multiplierRangesParseAndBadOnesAreLocated() throws {
    let range = try ResponseCurves.multipliers(from: "0:2:0.1")
    #expect(range.count == 21 && abs(range[20] - 2) < 1e-12)
    #expect(try ResponseCurves.multipliers(from: "0.5,1,2") == [0.5, 1, 2])
    #expect(throws: LocatedError.self) { try ResponseCurves.multipliers(from: "2:0:0.1") }
  }
}

@Suite struct OptimizeBudgetTests {
  @Test func aGeoAllocationHoldsTheBudgetsAndBoundsAndMeetsKKT() throws {
    let data = geoWorkload(geos: 3, weeks: 30)
    let model = try MMMModel(configuration: seed000Configuration(), data: data)
    let fit = FittedMMM(
      model: model, unconstrainedDraws: (0..<4).map { pseudoRandomPoint(model.dimension, seed: 40 + $0) })
    var request = BudgetRequest(budget: 12, start: data.dates.last!.adding(days: 7), periods: 4)
    request.relativeBounds = (0.5, 1.5)
    let result = try fit.optimizeBudget(request)
    #expect(result.rows.count == 6)
    let total = result.rows.reduce(0.0) { $0 + $1.optimal }
    #expect(abs(total - 12) <= 1e-12 * 12)
    for row in result.rows {
      #expect(row.optimal >= row.lower && row.optimal <= row.upper)
      #expect(abs(row.lower - 0.5 * row.current) <= 1e-12 && abs(row.upper - 1.5 * row.current) <= 1e-12)
    }
    #expect(result.kktSpread < 1e-5 && result.kktBoundsConsistent)
    #expect(result.objectiveOptimal >= result.objectiveCurrent)
    // Per-geo budgets hold exactly too.
    request.geoBudgets = [("geo_00", 2, 2), ("geo_01", 4, 3), ("geo_02", 6, 4)]
    request.relativeBounds = nil
    let byGeo = try fit.optimizeBudget(request)
    for (geo, budget) in [("geo_00", 2.0), ("geo_01", 4.0), ("geo_02", 6.0)] {
      let sum = byGeo.rows.filter { $0.geo == geo }.reduce(0.0) { $0 + $1.optimal }
      #expect(abs(sum - budget) <= 1e-12 * budget)
    }
  }

  @Test func infeasibleRequestsAreLocatedErrors() throws {
    let data = geoWorkload(geos: 2, weeks: 20)
    let model = try MMMModel(configuration: seed000Configuration(), data: data)
    let fit = FittedMMM(model: model, unconstrainedDraws: [pseudoRandomPoint(model.dimension, seed: 1)])
    let start = data.dates.last!.adding(days: 7)
    func error(_ edit: (inout BudgetRequest) -> Void) -> LocatedError? {
      var request = BudgetRequest(budget: 10, start: start, periods: 4)
      edit(&request)
      do { _ = try fit.optimizeBudget(request) } catch let e as LocatedError { return e } catch { return nil }
      return nil
    }
    #expect(error { $0.budget = -1 }?.file == "--budget")
    #expect(error { $0.bounds = [("channel_1", 6, 9)] }?.message.contains("lower bounds") == true)
    #expect(
      error { $0.bounds = [("channel_1", 0, 1), ("channel_2", 0, 1)] }?.message.contains("upper bounds")
        == true)
    #expect(error { $0.bounds = [("tv", 0, 1)] }?.message.contains("not a channel of the fit") == true)
    #expect(error { $0.start = start.adding(days: 14) }?.message.contains("gap") == true)
    #expect(
      error { $0.geoBudgets = [("geo_00", 1, 2), ("geo_01", 2, 3)] }?.message.contains("sum to 3") == true)
  }
}
