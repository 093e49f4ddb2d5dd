extension Diagnostics {
  /// The narrowest interval holding `probability` of the draws (ArviZ's `hdi` for unimodal
  /// draws): among the windows of ⌊probability·n⌋ + 1 consecutive sorted draws, the first
  /// of minimal width.
  ///
  /// - Parameters:
  ///   - values: draws, in any order; NaN when empty.
  ///   - probability: interval mass in (0, 1].
  /// - Returns: the interval's ends.
  /// - Complexity: O(n log n); O(n) when the windows are few (94% of many draws).
  public static func hdi(_ values: [Double], probability: Double) -> (lower: Double, upper: Double) {
    guard !values.isEmpty, probability > 0, probability <= 1 else { return (.nan, .nan) }
    if let interval = hdiFromTails(values, probability: probability) { return interval }
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

  /// `hdi` from the sorted tails alone: the windows' lower ends are the smallest draws and their upper
  /// ends the largest, so selecting those (quickselect) and sorting only them gives the same windows,
  /// widths and ends as sorting every draw. Nil (sort everything) when the windows are not few, or
  /// with a NaN (no order) or a zero (0 and -0 are equal but print differently, so which one a full
  /// sort puts at an end is kept by not taking this path): otherwise equal draws are the same bits.
  static func hdiFromTails(_ values: [Double], probability: Double) -> (lower: Double, upper: Double)? {
    let n = values.count
    let span = Int((probability * Double(n)).rounded(.down))
    let windows = n - span
    guard windows > 0, windows * 4 <= n, !values.contains(where: { $0.isNaN || $0 == 0 }) else { return nil }
    var work = values
    var low: [Double] = []
    var high: [Double] = []
    work.withUnsafeMutableBufferPointer { buffer in
      select(buffer, index: windows, from: 0)  // buffer[..<windows]: the smallest
      select(buffer, index: n - windows, from: windows)  // buffer[(n - windows)...]: the largest
      low = buffer[0..<windows].sorted()
      high = buffer[(n - windows)..<n].sorted()
    }
    // sorted[start] is low[start] and sorted[start + span] is high[start] (span = n - windows).
    var best = 0
    var bestWidth = Double.infinity
    for start in 0..<windows {
      let width = high[start] - low[start]
      if width < bestWidth {
        bestWidth = width
        best = start
      }
    }
    return (low[best], high[best])
  }

  /// Hoare's selection on `buffer[from...]` (no NaN): afterwards `buffer[index]` is the value a sort
  /// of that range would put there, with nothing greater before it and nothing smaller after it.
  static func select(_ buffer: UnsafeMutableBufferPointer<Double>, index k: Int, from lower: Int) {
    var left = lower
    var right = buffer.count - 1
    while left < right {
      let pivot = buffer[k]
      var i = left
      var j = right
      repeat {
        while buffer[i] < pivot { i += 1 }
        while pivot < buffer[j] { j -= 1 }
        if i <= j {
          buffer.swapAt(i, j)
          i += 1
          j -= 1
        }
      } while i <= j
      if j < k { left = i }
      if k < i { right = j }
    }
  }
}
