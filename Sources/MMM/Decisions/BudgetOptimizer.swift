import CausalMMMCore
import Inference

/// What to maximise over the posterior draws of the incremental outcome.
public enum BudgetObjective: Sendable, Equatable, CustomStringConvertible {
  /// The posterior mean.
  case mean
  /// The mean of the worst `q` share of draws (conditional value at risk, 0 < q <= 1).
  case cvar(Double)

  /// Parses `mean` or `cvar:Q`.
  ///
  /// - Throws: `LocatedError` located at `--objective`.
  public init(parsing text: String) throws {
    if text == "mean" {
      self = .mean
      return
    }
    if text.hasPrefix("cvar:"), let q = Double(text.dropFirst(5)), q > 0, q <= 1 {
      self = .cvar(q)
      return
    }
    throw LocatedError(file: "--objective", message: "'\(text)' is neither mean nor cvar:Q with 0 < Q <= 1")
  }

  public var description: String {
    switch self {
    case .mean: "mean"
    case .cvar(let q): "cvar:\(q)"
    }
  }
}

/// A linear-constrained allocation problem over separable response curves:
/// maximise the objective of `Σ_u R_du(b_u)` subject to `Σ_{u ∈ group g} b_u = budget_g` and
/// `lower_u <= b_u <= upper_u`.
struct AllocationProblem: Sendable {
  let responses: ResponseSet
  /// The group of each unit (one group: a total budget; one per geo: geo budgets).
  let group: [Int]
  let budgets: [Double]
  let lower: [Double]
  let upper: [Double]
  let objective: BudgetObjective

  var unitCount: Int { group.count }

  /// The objective and its gradient at `b` (per-draw totals in `totals`).
  func value(_ b: [Double], gradient: inout [Double], totals: inout [Double], derivatives: inout [Double])
    -> Double
  {
    responses.evaluate(b, totals: &totals, derivatives: &derivatives)
    let D = responses.drawCount
    let U = unitCount
    for u in 0..<U { gradient[u] = 0 }
    switch objective {
    case .mean:
      var sum = 0.0
      for d in 0..<D {
        sum += totals[d]
        for u in 0..<U { gradient[u] += derivatives[d * U + u] }
      }
      for u in 0..<U { gradient[u] /= Double(D) }
      return sum / Double(D)
    case .cvar(let q):
      let count = max(1, Int((q * Double(D)).rounded(.up)))
      let worst = totals.indices.sorted { (totals[$0], $0) < (totals[$1], $1) }.prefix(count)
      var sum = 0.0
      for d in worst {
        sum += totals[d]
        for u in 0..<U { gradient[u] += derivatives[d * U + u] }
      }
      for u in 0..<U { gradient[u] /= Double(count) }
      return sum / Double(count)
    }
  }

  /// The Euclidean projection onto the constraint set: per group, `clip(y_u − τ, lower_u, upper_u)`
  /// with τ found by bisection, then the rounding residual given to a unit strictly inside its bounds.
  func project(_ y: [Double]) -> [Double] {
    var x = y
    for g in budgets.indices {
      let members = group.indices.filter { group[$0] == g }
      func sum(_ tau: Double) -> Double {
        members.reduce(0.0) { $0 + min(upper[$1], max(lower[$1], y[$1] - tau)) }
      }
      guard !members.isEmpty else { continue }
      var lo = (members.map { y[$0] - upper[$0] }.min() ?? 0) - 1
      var hi = (members.map { y[$0] - lower[$0] }.max() ?? 0) + 1
      for _ in 0..<200 {
        let mid = 0.5 * (lo + hi)
        if mid == lo || mid == hi { break }
        if sum(mid) > budgets[g] { lo = mid } else { hi = mid }
      }
      let tau = 0.5 * (lo + hi)
      for u in members { x[u] = min(upper[u], max(lower[u], y[u] - tau)) }
      var residual = budgets[g] - members.reduce(0.0) { $0 + x[$1] }
      // Units strictly inside their bounds take the rounding residual first (largest room first), so
      // units at a bound stay exactly at it.
      let order = members.sorted { a, b in
        let roomA = min(x[a] - lower[a], upper[a] - x[a])
        let roomB = min(x[b] - lower[b], upper[b] - x[b])
        return (roomA, -a) > (roomB, -b)
      }
      for u in order where residual != 0 {
        let moved = min(upper[u], max(lower[u], x[u] + residual))
        residual -= moved - x[u]
        x[u] = moved
      }
    }
    return x
  }

  /// Spectral projected gradient ascent (Birgin, Martínez & Raydan's SPG with a non-monotone
  /// Armijo search) from `start`.
  func solve(from start: [Double], maxIterations: Int = 2000) -> (
    allocation: [Double], value: Double, iterations: Int
  ) {
    let U = unitCount
    let D = responses.drawCount
    var totals = [Double](repeating: 0, count: D)
    var derivatives = [Double](repeating: 0, count: D * U)
    var gradient = [Double](repeating: 0, count: U)
    var x = project(start)
    var f = value(x, gradient: &gradient, totals: &totals, derivatives: &derivatives)
    let scale = max(budgets.reduce(0, +), 1e-300)
    let gradientScale = max(gradient.map(abs).max() ?? 1, 1e-300)
    var lambda = 0.01 * scale / gradientScale
    let lambdaMax = 1e6 * scale / gradientScale
    var history = [f]
    var candidateGradient = gradient
    var iterations = 0
    for iteration in 0..<maxIterations {
      iterations = iteration + 1
      let target = project(zip(x, gradient).map { $0 + lambda * $1 })
      let direction = zip(target, x).map { $0 - $1 }
      let stepNorm = direction.map(abs).max() ?? 0
      if stepNorm <= 1e-13 * scale { break }
      let slope = zip(direction, gradient).reduce(0.0) { $0 + $1.0 * $1.1 }
      if slope <= 0 { break }
      let reference = history.suffix(10).max() ?? f
      var alpha = 1.0
      var candidate = x
      var fc = -Double.infinity
      for _ in 0..<60 {
        for u in 0..<U { candidate[u] = x[u] + alpha * direction[u] }
        if alpha < 1 { candidate = project(candidate) }
        fc = value(candidate, gradient: &candidateGradient, totals: &totals, derivatives: &derivatives)
        if fc >= reference + 1e-4 * alpha * slope { break }
        alpha *= 0.5
      }
      guard fc.isFinite, fc >= reference + 1e-4 * alpha * slope || fc > f else { break }
      let s = zip(candidate, x).map { $0 - $1 }
      let yv = zip(candidateGradient, gradient).map { $0 - $1 }
      let sy = zip(s, yv).reduce(0.0) { $0 + $1.0 * $1.1 }
      let ss = s.reduce(0.0) { $0 + $1 * $1 }
      // Ascent on a concave function: s·y < 0; λ = s·s / (−s·y).
      lambda = sy < 0 ? min(lambdaMax, max(1e-12 * lambdaMax, ss / -sy)) : lambdaMax
      let change = s.map(abs).max() ?? 0
      x = candidate
      gradient = candidateGradient
      f = fc
      history.append(f)
      if change <= 1e-14 * scale { break }
    }
    return (x, f, iterations)
  }
}
