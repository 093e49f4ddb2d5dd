import CausalMMMCore
import RealModule

/// The time-varying intercept's HSGP on the model's period grid: PyMC-Marketing's time index
/// (days since the first training date ÷ days per period), centred as PyMC's HSGP centres it, and the
/// basis columns φ_j at any table's dates. The weights β_j are parameter slots (`ParameterLayout`'s
/// `.spectral` source), the columns are features, so f(t) = Σ_j φ_j(t) β_j enters the mean like any
/// regressor and the likelihood's hot path is unchanged.
public struct TimeVaryingBasis: Sendable {
  /// The parameter names' prefix, PyMC-Marketing's for `time_varying_intercept`
  /// (`<prefix>_eta`, `<prefix>_ls`, `<prefix>_hsgp_coefs[j]`, `<prefix>_hsgp_coefs_offset[j]`).
  public static let parameterPrefix = "intercept_temporal_latent_multiplier_raw"

  public let settings: MMMConfiguration.TimeVaryingSettings
  /// Half-width of the domain (periods).
  public let L: Double
  /// The first training date (days since the epoch) and days per period.
  public let firstDay: Int
  public let resolutionDays: Double
  /// Number of training periods.
  public let trainingCount: Int
  /// √λ_j = π j / (2L), j = 1..m.
  public let frequencies: [Double]
  /// Subtracted from each column (the training mean with `demeaned_basis`, else 0).
  public let columnShifts: [Double]

  /// - Parameters:
  ///   - dates: the training period grid (at least one date).
  public init(settings: MMMConfiguration.TimeVaryingSettings, dates: [CalendarDate]) {
    self.settings = settings
    let first = dates.first?.daysSinceEpoch ?? 0
    firstDay = first
    resolutionDays = dates.count > 1 ? Double(max(dates[1].daysSinceEpoch - first, 1)) : 1
    trainingCount = dates.count
    let L = settings.L ?? HSGPTerm.defaultL(dateCount: dates.count, resolutionDays: resolutionDays)
    self.L = L
    frequencies = (0..<settings.m).map { Double.pi * Double($0 + 1) / (2 * L) }
    var shifts = [Double](repeating: 0, count: settings.m)
    if settings.demeanedBasis, !dates.isEmpty {
      let mid = Double(dates.count - 1) / 2
      for t in 0..<dates.count {
        let x = Double(dates[t].daysSinceEpoch - first) / resolutionDays - mid
        for j in 0..<settings.m {
          shifts[j] += HSGPTerm.basisFunction(j + 1, at: x, L: L) / Double(dates.count)
        }
      }
    }
    columnShifts = shifts
  }

  /// The centred time index of `date`: (days since the first training date) / resolution − (T − 1)/2.
  public func point(_ date: CalendarDate) -> Double {
    Double(date.daysSinceEpoch - firstDay) / resolutionDays - Double(trainingCount - 1) / 2
  }

  /// φ_j at `dates`, column-major as `ScaledInputs.features` (`[j * dates.count + t]`).
  public func columns(for dates: [CalendarDate]) -> [Double] {
    let T = dates.count
    var out = [Double](repeating: 0, count: settings.m * T)
    for (t, date) in dates.enumerated() {
      let x = point(date)
      for j in 0..<settings.m {
        out[j * T + t] = HSGPTerm.basisFunction(j + 1, at: x, L: L) - columnShifts[j]
      }
    }
    return out
  }
}
