import CausalMMMCore
import MMM

/// The design of a simulated lift test: an intervention on one channel over a window of periods,
/// optionally in some geos only.
public struct LiftTestDesign: Sendable, Hashable {
  /// What the test does to the channel.
  public enum Kind: Sendable, Hashable {
    /// The channel is switched off: `do(channel := 0)`.
    case goDark
    /// The channel is multiplied: `do(channel := factor * channel)` (1.5: +50%).
    case scale(Double)
  }

  /// The channel (a node of the scenario).
  public var channel: String
  /// Go-dark or scale-up.
  public var kind: Kind
  /// The test window (0-based periods).
  public var periods: Range<Int>
  /// The reported standard error as a fraction of the measured lift (0.1: 10%).
  public var relativeSigma: Double
  /// The geos tested (`nil`: every unit, one row each).
  public var geos: [String]?

  /// Creates a design.
  public init(
    channel: String, kind: Kind, periods: Range<Int>, relativeSigma: Double = 0.1, geos: [String]? = nil
  ) {
    self.channel = channel
    self.kind = kind
    self.periods = periods
    self.relativeSigma = relativeSigma
    self.geos = geos
  }

  /// The interventions the test applies.
  public var interventions: [Intervention] {
    switch kind {
    case .goDark: return [Intervention(node: channel, assignment: .constant(0), periods: periods)]
    case .scale(let factor):
      return [Intervention(node: channel, assignment: .scale(factor), periods: periods)]
    }
  }
}

extension Scenario {
  /// Runs a lift test on the truth: per tested unit, `do()` on the channel over the window with
  /// the same exogenous noise, giving exact per-period `x`, `deltaX`, `deltaY` (PyMC-Marketing's
  /// per-period convention) and the window's first and last dates; `sigma` is
  /// `relativeSigma * |deltaY|`.
  /// - Throws: ``SimulationError`` for an unknown channel or geo, or a window outside the data.
  public func runLiftTest(_ design: LiftTestDesign) throws(SimulationError) -> [LiftTest] {
    guard let channelIndex = dag.index(of: design.channel) else {
      throw SimulationError(.unknownChannel(design.channel, known: channels))
    }
    guard design.relativeSigma > 0, design.relativeSigma.isFinite else {
      throw SimulationError(
        .invalidParameter(
          node: design.channel, parameter: "relative sigma", value: design.relativeSigma, requirement: "> 0"))
    }
    var rows: [LiftTest] = []
    for index in try unitIndices(design.geos) {
      let model = units[index].model
      let observed = try model.simulate(days: days)
      let tested = try model.simulate(days: days, do: design.interventions)
      let channelChange = observed.difference(to: tested, of: design.channel)
      let outcomeChange = observed.difference(to: tested, of: outcome)
      let level = observed.values[channelIndex]
      let n = Double(design.periods.count)
      let x = design.periods.reduce(0) { $0 + level[$1] } / n
      let deltaX = design.periods.reduce(0) { $0 + channelChange[$1] } / n
      let deltaY = design.periods.reduce(0) { $0 + outcomeChange[$1] } / n
      let dates = observed.dates.map { CalendarDate(parsing: $0) }
      rows.append(
        LiftTest(
          channel: design.channel, x: x, deltaX: deltaX, deltaY: deltaY,
          sigma: design.relativeSigma * abs(deltaY),
          geo: units[index].label, start: dates[design.periods.lowerBound],
          end: dates[design.periods.upperBound - 1], sourceName: "<lift test on the simulated truth>"))
    }
    return rows
  }
}

extension LiftTestDesign {
  /// A design from `CHANNEL:go-dark:START-END` or `CHANNEL:scale=1.5:START-END` (0-based periods, end
  /// exclusive), as `causal-mmm simulate --lift-test` takes it.
  /// - Throws: `LocatedError` (option `--lift-test`) naming what is wrong.
  public init(specification spec: String) throws {
    let parts = spec.split(separator: ":").map(String.init)
    let bounds = parts.count == 3 ? parts[2].split(separator: "-").compactMap { Int($0) } : []
    guard parts.count == 3, bounds.count == 2, bounds[0] < bounds[1] else {
      throw LocatedError(
        column: "--lift-test", "invalid --lift-test '\(spec)': expected CHANNEL:go-dark|scale=F:START-END")
    }
    let kind: LiftTestDesign.Kind
    if parts[1] == "go-dark" {
      kind = .goDark
    } else if parts[1].hasPrefix("scale="), let factor = Double(parts[1].dropFirst(6)), factor.isFinite {
      kind = .scale(factor)
    } else {
      throw LocatedError(
        column: "--lift-test", "invalid --lift-test kind '\(parts[1])': expected go-dark or scale=F")
    }
    self.init(channel: parts[0], kind: kind, periods: bounds[0]..<bounds[1])
  }
}
