import CausalMMMCore
import RealModule

/// PyMC-Marketing's time index on the model's period grid, centred as PyMC's HSGP centres it:
/// x = (days since the first training date) / (days per period) − (T − 1)/2. Every table's scaled inputs
/// carry it (`ScaledInputs.times`), so a time-varying term is evaluated at any date, training or later.
public struct TimeIndex: Sendable, Equatable {
  /// The first training date (days since the epoch) and days per period.
  public let firstDay: Int
  public let resolutionDays: Double
  /// Number of training periods.
  public let trainingCount: Int

  /// - Parameters:
  ///   - dates: the training period grid.
  public init(dates: [CalendarDate]) {
    let first = dates.first?.daysSinceEpoch ?? 0
    firstDay = first
    resolutionDays = dates.count > 1 ? Double(max(dates[1].daysSinceEpoch - first, 1)) : 1
    trainingCount = dates.count
  }

  /// The centred time index of `date`.
  public func point(_ date: CalendarDate) -> Double {
    Double(date.daysSinceEpoch - firstDay) / resolutionDays - Double(trainingCount - 1) / 2
  }
}

/// One HSGP's basis on the model's time index: PyMC-Marketing's `L` default, the frequencies √λ_j and the
/// basis rows φ(x) at any centred time (minus the training column means with `demeaned_basis`).
public struct TimeVaryingBasis: Sendable {
  public let settings: MMMConfiguration.TimeVaryingSettings
  public let index: TimeIndex
  /// Half-width of the domain (periods).
  public let L: Double
  /// √λ_j = π j / (2L), j = 1..m.
  public let frequencies: [Double]
  /// Subtracted from each column (the training mean with `demeaned_basis`, else 0).
  public let columnShifts: [Double]

  /// - Parameters:
  ///   - dates: the training period grid (at least one date).
  public init(settings: MMMConfiguration.TimeVaryingSettings, dates: [CalendarDate]) {
    self.settings = settings
    let index = TimeIndex(dates: dates)
    self.index = index
    let L = settings.L ?? HSGPTerm.defaultL(dateCount: dates.count, resolutionDays: index.resolutionDays)
    self.L = L
    frequencies = (0..<settings.m).map { Double.pi * Double($0 + 1) / (2 * L) }
    var shifts = [Double](repeating: 0, count: settings.m)
    if settings.demeanedBasis, !dates.isEmpty {
      for date in dates {
        let x = index.point(date)
        for j in 0..<settings.m {
          shifts[j] += HSGPTerm.basisFunction(j + 1, at: x, L: L) / Double(dates.count)
        }
      }
    }
    columnShifts = shifts
  }

  /// The centred time index of `date`.
  public func point(_ date: CalendarDate) -> Double { index.point(date) }

  /// φ_j at the centred times `points`, row-major (`[t * m + j]`): the layout the hot loops read.
  public func rows(at points: [Double]) -> [Double] {
    let m = settings.m
    var out = [Double](repeating: 0, count: m * points.count)
    for (t, x) in points.enumerated() {
      for j in 0..<m { out[t * m + j] = HSGPTerm.basisFunction(j + 1, at: x, L: L) - columnShifts[j] }
    }
    return out
  }
}
