/// A number with at most 6 decimals and no trailing zeros (`12.5`, `0.000123`, `-3`).
public func formatDecimal(_ value: Double) -> String {
  guard value.isFinite else { return "nan" }
  let rounded = (value * 1_000_000).rounded() / 1_000_000
  if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
  var text = String(rounded)
  if text.contains("e") {
    // Swift prints small magnitudes in exponent form; expand to fixed 6 decimals.
    let scaled = Int((abs(rounded) * 1_000_000).rounded())
    let digits = String(scaled)
    let padded = String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    text = (rounded < 0 ? "-" : "") + padded.dropLast(6) + "." + padded.suffix(6)
    while text.hasSuffix("0") { text.removeLast() }
  }
  return text
}
