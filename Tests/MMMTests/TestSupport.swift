import Foundation

@testable import MMM

/// PyMC-Marketing's reference vectors.
enum Reference {
  nonisolated(unsafe) static let vectors: [String: Any] = {
    let url = URL(fileURLWithPath: "/work/shared/reference/pymc_marketing_vectors.json")
    let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
  }()
  static func vector(_ key: String) -> [Double] { (vectors[key] as? [Double]) ?? [] }
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
