import Foundation

@testable import MMM

/// PyMC-Marketing's reference vectors (`Tests/Fixtures/reference/pymc_marketing_vectors.json`, computed once
/// with PyMC-Marketing and committed).
enum Reference {
  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/reference/pymc_marketing_vectors.json")
  nonisolated(unsafe) static let vectors: [String: Any] = {
    guard let data = try? Data(contentsOf: file),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { preconditionFailure("cannot read the reference vectors at \(file.path)") }
    return object
  }()
  /// The reference vector `key`; a missing key stops the test run (a test against nothing cannot fail).
  static func vector(_ key: String) -> [Double] {
    guard let vector = vectors[key] as? [Double] else { preconditionFailure("no reference vector '\(key)'") }
    return vector
  }
}

/// Central finite difference of f at x in coordinate i.
func finiteDifference(_ f: ([Double]) -> Double, at x: [Double], index i: Int, step: Double = 1e-6) -> Double
{
  var plus = x
  var minus = x
  plus[i] += step
  minus[i] -= step
  return (f(plus) - f(minus)) / (2 * step)
}

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
  precondition(a.count == b.count)
  return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
