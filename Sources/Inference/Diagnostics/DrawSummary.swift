/// The package's one summary of a derived quantity's draws: mean, standard deviation and
/// highest-density interval (94% unless asked otherwise).
public struct DrawSummary: Sendable, Codable, Equatable {
  /// The mean of the draws.
  public var mean: Double
  /// The standard deviation of the draws (n - 1 denominator; 0 for a single draw).
  public var sd: Double
  /// The HDI's lower end.
  public var hdiLower: Double
  /// The HDI's upper end.
  public var hdiUpper: Double

  /// Summarises draws with an HDI of the given mass.
  public init(_ draws: [Double], probability: Double = 0.94) {
    let n = Double(max(draws.count, 1))
    let mean = draws.reduce(0, +) / n
    self.mean = mean
    sd = (draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)).squareRoot()
    (hdiLower, hdiUpper) = Diagnostics.hdi(draws, probability: probability)
  }
}
