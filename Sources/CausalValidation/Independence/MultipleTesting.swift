// Adjusted p-values for a family of tests, as R's p.adjust computes them.

/// A multiple-testing correction.
public enum MultipleTestingCorrection: String, Sendable, Hashable, CaseIterable, Codable {
  /// Holm's step-down Bonferroni (controls the family-wise error rate).
  case holm
  /// Benjamini–Hochberg (controls the false discovery rate under independence or positive dependence).
  case bh
  /// No correction.
  case none

  /// The adjusted p-values, in the input's order (R's `p.adjust`).
  /// - Complexity: O(m log m).
  public func adjust(_ pValues: [Double]) -> [Double] {
    let m = pValues.count
    guard m > 0 else { return [] }
    var adjusted = [Double](repeating: 0, count: m)
    switch self {
    case .none:
      return pValues
    case .holm:
      // p_(i) (m - i + 1), running maximum over the sorted order, capped at 1.
      let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
      var running = 0.0
      for (rank, index) in order.enumerated() {
        running = max(running, min(1, Double(m - rank) * pValues[index]))
        adjusted[index] = running
      }
    case .bh:
      // p_(i) m / i, running minimum from the largest down, capped at 1.
      let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
      var running = 1.0
      for (rank, index) in order.enumerated().reversed() {
        running = min(running, Double(m) / Double(rank + 1) * pValues[index])
        adjusted[index] = min(1, running)
      }
    }
    return adjusted
  }

  /// How the correction is named in text output.
  public var displayName: String {
    switch self {
    case .holm: return "Holm"
    case .bh: return "Benjamini-Hochberg"
    case .none: return "no"
    }
  }
}
