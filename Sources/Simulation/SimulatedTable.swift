/// A simulated data set as a table: a date column, an optional unit (geo) column, and one numeric
/// column per observed node. Latent nodes are left out.
public struct SimulatedTable: Sendable {
  /// The numeric column names, in the graph's node order.
  public let columns: [String]
  /// The name of the unit column, if any.
  public let unitColumn: String?
  /// One row per unit and period: its date, its unit label, its values (aligned with `columns`).
  public let rows: [(date: String, unit: String?, values: [Double])]

  /// Tabulates the worlds of a scenario (one per unit, in unit order).
  public init(scenario: Scenario, worlds: [SimulatedWorld]) {
    let dag = scenario.dag
    let observed = dag.nodes.indices.filter {
      !dag.nodes[$0].isLatent && dag.nodes[$0].name != scenario.unitColumn
    }
    columns = observed.map { dag.name(of: $0) }
    unitColumn = scenario.unitColumn
    var rows: [(date: String, unit: String?, values: [Double])] = []
    for (unit, world) in zip(scenario.units, worlds) {
      for t in 0..<world.days {
        rows.append((world.dates[t], unit.label, observed.map { world.values[$0][t] }))
      }
    }
    self.rows = rows
  }

  /// The table as CSV text: header `date[,geo],column...`, values with up to 6 decimals.
  public func csv() -> String {
    var lines = [(["date"] + (unitColumn.map { [$0] } ?? []) + columns).joined(separator: ",")]
    lines.reserveCapacity(rows.count + 1)
    for row in rows {
      var fields = [row.date]
      if unitColumn != nil { fields.append(row.unit ?? "") }
      fields += row.values.map(formatNumber)
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// A number with at most 6 decimals and no trailing zeros (`12.5`, `0.000123`, `-3`).
func formatNumber(_ value: Double) -> String {
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
