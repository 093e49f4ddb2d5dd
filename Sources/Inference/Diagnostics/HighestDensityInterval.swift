extension Diagnostics {
  /// The narrowest interval holding `probability` of the draws (ArviZ's `hdi` for unimodal
  /// draws): among the windows of ⌊probability·n⌋ + 1 consecutive sorted draws, the first
  /// of minimal width.
  ///
  /// - Parameters:
  ///   - values: draws, in any order; NaN when empty.
  ///   - probability: interval mass in (0, 1].
  /// - Returns: the interval's ends.
  /// - Complexity: O(n log n).
  public static func hdi(_ values: [Double], probability: Double) -> (lower: Double, upper: Double) {
    guard !values.isEmpty, probability > 0, probability <= 1 else { return (.nan, .nan) }
    let sorted = values.sorted()
    let n = sorted.count
    let span = Int((probability * Double(n)).rounded(.down))
    let windows = n - span
    guard windows > 0 else { return (sorted[0], sorted[n - 1]) }
    var best = 0
    var bestWidth = Double.infinity
    for start in 0..<windows {
      let width = sorted[start + span] - sorted[start]
      if width < bestWidth {
        bestWidth = width
        best = start
      }
    }
    return (sorted[best], sorted[best + span])
  }
}
