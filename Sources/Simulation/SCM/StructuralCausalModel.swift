import CausalGraph
import CausalMMMCore
import Foundation
import Inference

/// A structural causal model over a ``CausalDAG``: one ``StructuralEquation`` per node, seeded
/// exogenous noise, and a calendar.
///
/// `simulate(days:)` evaluates the equations in topological order. `simulate(days:do:)` does the
/// same with some equations replaced by interventions, drawing exactly the same exogenous noise
/// (common random numbers), so the difference of the two worlds is the intervention's effect for
/// this realisation of the noise, with no Monte Carlo error.
public struct StructuralCausalModel: Sendable {
  /// The causal graph.
  public let dag: CausalDAG
  /// `equations[v]`: the structural equation of node `v`.
  public let equations: [StructuralEquation]
  /// The seed of every exogenous draw.
  public let seed: UInt64
  /// The dates of the periods.
  public let calendar: PeriodCalendar

  /// Builds a model and checks it against the graph.
  /// - Parameters:
  ///   - dag: the causal graph; every node needs an equation.
  ///   - equations: equations by node name; a term may read only a parent of its node.
  ///   - seed: the seed of the exogenous noise.
  ///   - calendar: the dates of the periods.
  /// - Throws: ``SimulationError`` for a missing or extra equation, a term reading a non-parent,
  ///   or an invalid parameter (negative sd, adstock alpha outside [0, 1], lam <= 0, ...).
  public init(
    dag: CausalDAG, equations: [String: StructuralEquation], seed: UInt64, calendar: PeriodCalendar
  ) throws(SimulationError) {
    for name in equations.keys.sorted() where dag.index(of: name) == nil {
      throw SimulationError(.equationForUnknownNode(name))
    }
    var ordered: [StructuralEquation] = []
    for node in dag.nodes {
      guard let equation = equations[node.name] else { throw SimulationError(.missingEquation(node.name)) }
      try Self.validate(equation, of: node.name, at: ordered.count, in: dag)
      ordered.append(equation)
    }
    self.dag = dag
    self.equations = ordered
    self.seed = seed
    self.calendar = calendar
  }

  /// The same model with another seed.
  public func reseeded(_ seed: UInt64) -> StructuralCausalModel {
    StructuralCausalModel(unchecked: dag, equations: equations, seed: seed, calendar: calendar)
  }

  /// The observational world over `days` periods.
  /// - Complexity: O(days * (terms + lMax)) per node.
  public func simulate(days: Int) throws(SimulationError) -> SimulatedWorld {
    try simulate(days: days, do: [])
  }

  /// The world under `interventions`, with the same exogenous noise as `simulate(days:)`.
  /// - Throws: ``SimulationError`` for an unknown node, a window outside `0..<days`, or a
  ///   replacement series whose length differs from its window.
  public func simulate(days: Int, do interventions: [Intervention]) throws(SimulationError)
    -> SimulatedWorld
  {
    guard days > 0 else { throw SimulationError(.invalidDays(days)) }
    var byNode = [[Intervention]](repeating: [], count: dag.nodeCount)
    for intervention in interventions {
      guard let index = dag.index(of: intervention.node) else {
        throw SimulationError(.unknownNode(intervention.node, context: "an intervention"))
      }
      let window = intervention.periods ?? 0..<days
      guard window.lowerBound >= 0, window.upperBound <= days else {
        throw SimulationError(.interventionOutOfRange(node: intervention.node, range: window, days: days))
      }
      if case .series(let values) = intervention.assignment, values.count != window.count {
        throw SimulationError(
          .seriesLengthMismatch(node: intervention.node, expected: window.count, actual: values.count))
      }
      byNode[index].append(intervention)
    }
    var values = [[Double]](repeating: [], count: dag.nodeCount)
    for node in dag.topologicalOrder {
      var series = evaluate(node: node, days: days, values: values)
      for intervention in byNode[node] {
        let window = intervention.periods ?? 0..<days
        switch intervention.assignment {
        case .constant(let value):
          for t in window { series[t] = value }
        case .scale(let factor):
          for t in window { series[t] *= factor }
        case .series(let replacement):
          for (offset, t) in window.enumerated() { series[t] = replacement[offset] }
        }
      }
      values[node] = series
    }
    return SimulatedWorld(dag: dag, dates: (0..<days).map(calendar.date(ofPeriod:)), values: values)
  }

  private init(
    unchecked dag: CausalDAG, equations: [StructuralEquation], seed: UInt64, calendar: PeriodCalendar
  ) {
    self.dag = dag
    self.equations = equations
    self.seed = seed
    self.calendar = calendar
  }

  // MARK: - Evaluation

  /// The node's series from its equation, given its parents' (final) series.
  func evaluate(node: Int, days: Int, values: [[Double]]) -> [Double] {
    let equation = equations[node]
    let name = dag.name(of: node)
    var result = [Double](repeating: 0, count: days)
    for (termIndex, term) in equation.terms.enumerated() {
      // Validation guarantees that a term's parent is a node evaluated before this one.
      let parentSeries =
        term.parent.flatMap { dag.index(of: $0) }.map { values[$0] } ?? [Double](repeating: 0, count: days)
      switch term {
      case .constant(let value):
        for t in 0..<days { result[t] += value }
      case .linear(_, let coefficient):
        let x = parentSeries
        for t in 0..<days { result[t] += coefficient * x[t] }
      case .randomCoefficient(_, let distribution, let scale):
        let x = parentSeries
        var generator = stream(node: name, slot: termIndex)
        for t in 0..<days { result[t] += scale * distribution.draw(using: &generator) * x[t] }
      case .media(_, let adstock, let saturation):
        let carried = Self.apply(adstock, to: parentSeries)
        for t in 0..<days { result[t] += Self.apply(saturation, to: carried[t]) }
      case .priceResponse(_, let alpha, let lam):
        let x = parentSeries
        for t in 0..<days { result[t] += alpha / (1 + x[t] / lam) }
      case .events(let bumps):
        let signal = eventSignal(bumps, days: days)
        for t in 0..<days { result[t] += signal[t] }
      case .trend(let scale, let offset, let span, let exponent):
        for t in 0..<days {
          let fraction = days > 1 ? Double(t) / Double(days - 1) : 0
          result[t] += scale * pow(offset + span * fraction, exponent)
        }
      case .exogenous(let distribution, let window, let normalize):
        var generator = stream(node: name, slot: termIndex)
        let series = Self.smoothed(
          distribution.draws(days, using: &generator), window: window, normalize: normalize)
        for t in 0..<days { result[t] += series[t] }
      case .fourier(let period, let sines, let cosines):
        for t in 0..<days {
          let day = Double(t * calendar.periodDays)
          for (k, a) in sines.enumerated() { result[t] += a * sin(2 * .pi * Double(k + 1) * day / period) }
          for (k, b) in cosines.enumerated() { result[t] += b * cos(2 * .pi * Double(k + 1) * day / period) }
        }
      }
    }
    if let noise = equation.noise {
      var generator = stream(node: name, slot: -1)
      for t in 0..<days { result[t] += noise.draw(using: &generator) }
    }
    if let lower = equation.lowerBound { for t in 0..<days where result[t] < lower { result[t] = lower } }
    if let upper = equation.upperBound { for t in 0..<days where result[t] > upper { result[t] = upper } }
    return result
  }

  /// The generator of one exogenous input: it depends only on the seed, the node's name and the
  /// term's position, never on interventions or evaluation order (common random numbers).
  func stream(node: String, slot: Int) -> Xoshiro256StarStar {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
    for byte in node.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    hash = (hash ^ UInt64(bitPattern: Int64(slot))) &* 0x0000_0100_0000_01B3
    return Xoshiro256StarStar(seed: seed ^ hash)
  }

  /// Gaussian bumps around every yearly occurrence of each event's day (one year of margin).
  func eventSignal(_ bumps: [EventBump], days: Int) -> [Double] {
    var signal = [Double](repeating: 0, count: days)
    let firstYear = PeriodCalendar.civil(calendar.day(ofPeriod: 0)).year - 1
    let lastYear = PeriodCalendar.civil(calendar.day(ofPeriod: days - 1)).year + 1
    for bump in bumps {
      let parts = bump.monthDay.split(separator: "-").compactMap { Int($0) }
      for year in firstYear...lastYear {
        let occurrence = PeriodCalendar.dayNumber(year: year, month: parts[0], day: parts[1])
        for t in 0..<days {
          let z = Double(calendar.day(ofPeriod: t) - occurrence) / bump.sdDays
          signal[t] += bump.coefficient * exp(-0.5 * z * z)
        }
      }
    }
    return signal
  }

  /// Geometric adstock of a series (zero before the first period).
  static func apply(_ adstock: Adstock, to x: [Double]) -> [Double] {
    switch adstock {
    case .none:
      return x
    case .geometric(let alpha, let lMax, let normalize):
      var weights = [Double](repeating: 1, count: lMax)
      for l in 1..<max(lMax, 1) { weights[l] = weights[l - 1] * alpha }
      let total = normalize ? weights.reduce(0, +) : 1
      var result = [Double](repeating: 0, count: x.count)
      for t in x.indices {
        var sum = 0.0
        for l in 0..<min(lMax, t + 1) { sum += weights[l] * x[t - l] }
        result[t] = sum / total
      }
      return result
    }
  }

  /// A saturation curve at one level.
  static func apply(_ saturation: Saturation, to x: Double) -> Double {
    switch saturation {
    case .none: return x
    case .michaelisMenten(let alpha, let lam): return alpha * x / (lam + x)
    case .logistic(let lam, let beta):
      let e = exp(-lam * x)
      return beta * (1 - e) / (1 + e)
    }
  }

  /// Centred moving average with the edges set to the mean, then optional max-normalisation.
  static func smoothed(_ draws: [Double], window: Int, normalize: Bool) -> [Double] {
    var series = draws
    if window > 1 {
      let n = draws.count
      let before = (window - 1) / 2
      var averaged = [Double](repeating: 0, count: n)
      for t in 0..<n {
        var sum = 0.0
        for j in (t - before)..<(t - before + window) where j >= 0 && j < n { sum += draws[j] }
        averaged[t] = sum / Double(window)
      }
      let mean = averaged.reduce(0, +) / Double(n)
      for t in 0..<min(window, n) { averaged[t] = mean }
      for t in max(0, n - window)..<n { averaged[t] = mean }
      series = averaged
    }
    if normalize, let maximum = series.max(), maximum > 0 {
      series = series.map { $0 / maximum }
    }
    return series
  }

  // MARK: - Validation

  static func validate(_ equation: StructuralEquation, of node: String, at index: Int, in dag: CausalDAG)
    throws(SimulationError)
  {
    func require(_ ok: Bool, _ parameter: String, _ value: Double, _ requirement: String)
      throws(SimulationError)
    {
      if !ok || !value.isFinite {
        throw SimulationError(
          .invalidParameter(node: node, parameter: parameter, value: value, requirement: requirement))
      }
    }
    func check(_ distribution: Distribution, _ label: String) throws(SimulationError) {
      if let problem = distribution.invalidParameter() {
        throw SimulationError(
          .invalidParameter(
            node: node, parameter: "\(label).\(problem.name)", value: problem.value,
            requirement: problem.requirement))
      }
    }
    for term in equation.terms {
      if let parent = term.parent {
        guard let parentIndex = dag.index(of: parent) else {
          throw SimulationError(.unknownNode(parent, context: "the equation of '\(node)'"))
        }
        guard dag.parents[index].contains(parentIndex) else {
          throw SimulationError(.parentNotInGraph(node: node, parent: parent))
        }
      }
      switch term {
      case .constant(let value): try require(true, "constant", value, "finite")
      case .linear(_, let coefficient): try require(true, "coefficient", coefficient, "finite")
      case .randomCoefficient(_, let distribution, let scale):
        try check(distribution, "coefficient")
        try require(true, "scale", scale, "finite")
      case .media(_, let adstock, let saturation):
        if case .geometric(let alpha, let lMax, _) = adstock {
          try require(alpha >= 0 && alpha <= 1, "adstock alpha", alpha, "in [0, 1]")
          try require(lMax >= 1, "adstock lMax", Double(lMax), ">= 1")
        }
        switch saturation {
        case .none: break
        case .michaelisMenten(let alpha, let lam):
          try require(true, "saturation alpha", alpha, "finite")
          try require(lam > 0, "saturation lam", lam, "> 0")
        case .logistic(let lam, let beta):
          try require(lam > 0, "saturation lam", lam, "> 0")
          try require(true, "saturation beta", beta, "finite")
        }
      case .priceResponse(_, let alpha, let lam):
        try require(true, "price alpha", alpha, "finite")
        try require(lam > 0, "price lam", lam, "> 0")
      case .events(let bumps):
        for bump in bumps {
          let parts = bump.monthDay.split(separator: "-").compactMap { Int($0) }
          guard parts.count == 2, (1...12).contains(parts[0]),
            parts[1] >= 1, parts[1] <= PeriodCalendar.daysInMonth(year: 2000, month: parts[0])
          else { throw SimulationError(.invalidDate(bump.monthDay)) }
          try require(bump.sdDays > 0, "event sd", bump.sdDays, "> 0")
          try require(true, "event coefficient", bump.coefficient, "finite")
        }
      case .trend(let scale, let offset, let span, let exponent):
        try require(true, "trend scale", scale, "finite")
        try require(offset >= 0 && offset + span >= 0, "trend offset", offset, ">= 0 with offset + span >= 0")
        try require(true, "trend exponent", exponent, "finite")
      case .exogenous(let distribution, let window, _):
        try check(distribution, "series")
        try require(window >= 1, "smoothing window", Double(window), ">= 1")
      case .fourier(let period, let sines, let cosines):
        try require(period > 0, "fourier period", period, "> 0")
        for value in sines + cosines { try require(true, "fourier coefficient", value, "finite") }
      }
    }
    if let noise = equation.noise { try check(noise, "noise") }
  }
}
