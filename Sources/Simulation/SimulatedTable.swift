import CausalMMMCore

/// A simulated data set as a table: a date column, an optional unit (geo) column, and one numeric
/// column per observed node. Latent nodes are left out unless asked for (an oracle table, for
/// studies of what leaving them out costs).
public struct SimulatedTable: Sendable {
  /// The numeric column names, in the graph's node order.
  public let columns: [String]
  /// The name of the unit column, if any.
  public let unitColumn: String?
  /// One row per unit and period: its date, its unit label, its values (aligned with `columns`).
  public let rows: [(date: String, unit: String?, values: [Double])]

  /// Tabulates the worlds of a scenario (one per unit, in unit order); `includingLatent` adds the
  /// latent nodes' columns.
  public init(scenario: Scenario, worlds: [SimulatedWorld], includingLatent: Bool = false) {
    let dag = scenario.dag
    let observed = dag.nodes.indices.filter {
      (includingLatent || !dag.nodes[$0].isLatent) && dag.nodes[$0].name != scenario.unitColumn
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
      fields += row.values.map(formatDecimal)
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
