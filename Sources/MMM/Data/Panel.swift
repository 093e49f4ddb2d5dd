import CausalMMMCore

/// A validated data table arranged as a (geo × date) grid, unscaled.
struct Panel: Sendable {
  /// Geo labels, sorted; `[""]` for a national table.
  let geoNames: [String]
  let hasGeo: Bool
  let dates: [CalendarDate]
  /// `channels[(g * C + c) * T + t]`
  let channels: [Double]
  /// `controls[(g * K + k) * T + t]`
  let controls: [Double]
  /// `target[g * T + t]`, empty when the target was not required.
  let target: [Double]

  var geoCount: Int { geoNames.count }
  var dateCount: Int { dates.count }

  /// Each channel's spend summed over dates and geos, in channel order (the `cost_share` numerators).
  var totalSpendByChannel: [Double] {
    let T = dateCount
    let C = geoCount == 0 ? 0 : channels.count / (geoCount * max(T, 1))
    return (0..<C).map { c in
      (0..<geoCount).reduce(0.0) { sum, g in
        sum + channels[((g * C + c) * T)..<((g * C + c) * T + T)].reduce(0, +)
      }
    }
  }

  /// The first step between consecutive dates that differs from the usual one, or nil when the
  /// dates are evenly spaced (adstock treats consecutive rows as consecutive periods, so a missing
  /// week would silently shift the carry-over). Monthly data (steps of 28 to 31 days) must step by
  /// exactly one calendar month.
  static func firstGap(
    in dates: [CalendarDate]
  ) -> (previous: CalendarDate, next: CalendarDate, days: Int, usual: String)? {
    guard dates.count >= 3 else { return nil }
    let steps = zip(dates, dates.dropFirst()).map { $1.daysSinceEpoch - $0.daysSinceEpoch }
    if steps.filter({ (28...31).contains($0) }).count * 2 > steps.count {
      for (a, b) in zip(dates, dates.dropFirst()) {
        let (ya, ma, _) = a.civil
        let (yb, mb, _) = b.civil
        if yb * 12 + mb != ya * 12 + ma + 1 {
          return (a, b, b.daysSinceEpoch - a.daysSinceEpoch, "one month")
        }
      }
      return nil
    }
    var counts: [Int: Int] = [:]
    for step in steps { counts[step, default: 0] += 1 }
    guard let usual = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key,
      let k = steps.firstIndex(where: { $0 != usual })
    else { return nil }
    return (dates[k], dates[k + 1], steps[k], usual == 1 ? "1 day" : "\(usual) days")
  }

  /// Arranges and validates `data` for `configuration`.
  ///
  /// - Parameter requireTarget: false for counterfactual tables, whose target column is ignored.
  /// - Throws: `LocatedError` located at the offending row and column.
  init(data: MMMData, configuration: MMMConfiguration, requireTarget: Bool) throws {
    let file = data.sourceName
    let channelNames = configuration.channelColumns
    let controlNames = configuration.controlColumns
    var numeric = channelNames + controlNames
    if requireTarget { numeric.append(configuration.targetColumn) }
    for name in numeric where data.columns[name] == nil {
      throw LocatedError(
        file: file, column: name, "missing column\(didYouMean(name, data.columns.keys.sorted()))")
    }
    for name in numeric {
      let values = data.columns[name, default: []]
      for (row, v) in values.enumerated() where !v.isFinite {
        throw LocatedError(
          file: file, line: data.line(ofRow: row), column: name, "value is \(v), expected a finite number")
      }
    }
    for name in channelNames {
      for (row, v) in data.columns[name, default: []].enumerated() where v < 0 {
        throw LocatedError(file: file, line: data.line(ofRow: row), column: name, "negative spend \(v)")
      }
    }
    let geoColumnName = configuration.geoColumn ?? "geo"
    if configuration.geoColumn != nil, data.geos == nil {
      throw LocatedError(
        file: file, column: geoColumnName, "the configuration names a geo column but the table has none")
    }
    let rowGeos = data.geos ?? [String](repeating: "", count: data.rowCount)
    hasGeo = data.geos != nil
    let geoNames = Array(Set(rowGeos)).sorted()
    let geoIndex = Dictionary(uniqueKeysWithValues: geoNames.enumerated().map { ($1, $0) })
    // Rows per geo, in file order; dates must increase strictly within a geo.
    var rowsByGeo = [[Int]](repeating: [], count: geoNames.count)
    for row in 0..<data.rowCount {
      let g = geoIndex[rowGeos[row], default: 0]
      if let previous = rowsByGeo[g].last {
        let a = data.dates[previous]
        let b = data.dates[row]
        let geoText = hasGeo ? " for geo '\(rowGeos[row])'" : ""
        if a == b {
          throw LocatedError(
            file: file, line: data.line(ofRow: row), column: configuration.dateColumn,
            "duplicate row for date \(b)\(geoText) (first at line \(data.line(ofRow: previous)))")
        }
        if b < a {
          throw LocatedError(
            file: file, line: data.line(ofRow: row), column: configuration.dateColumn,
            "dates are not sorted\(geoText): \(b) after \(a)")
        }
      }
      rowsByGeo[g].append(row)
    }
    let allDates = Array(Set(data.dates)).sorted()
    for (g, rows) in rowsByGeo.enumerated() where rows.count != allDates.count {
      let present = Set(rows.map { data.dates[$0] })
      let missing = allDates.first { !present.contains($0) }.map { " for date \($0)" } ?? ""
      throw LocatedError(
        file: file, column: geoColumnName,
        "geo '\(geoNames[g])' has no row\(missing) (\(allDates.count - rows.count) dates missing)")
    }
    if let gap = Panel.firstGap(in: allDates) {
      let row = rowsByGeo[0].first { data.dates[$0] == gap.next }
      throw LocatedError(
        file: file, line: row.map(data.line(ofRow:)), column: configuration.dateColumn,
        "dates are not evenly spaced: \(gap.next) follows \(gap.previous) (\(gap.days) days; the others are "
          + "\(gap.usual) apart), a period is missing")
    }
    self.geoNames = geoNames
    self.dates = allDates
    let T = allDates.count
    var channels = [Double](repeating: 0, count: geoNames.count * channelNames.count * T)
    var controls = [Double](repeating: 0, count: geoNames.count * controlNames.count * T)
    var target = [Double](repeating: 0, count: requireTarget ? geoNames.count * T : 0)
    for (g, rows) in rowsByGeo.enumerated() {
      for (t, row) in rows.enumerated() {
        for (c, name) in channelNames.enumerated() {
          channels[(g * channelNames.count + c) * T + t] = data.columns[name, default: []][row]
        }
        for (k, name) in controlNames.enumerated() {
          controls[(g * controlNames.count + k) * T + t] = data.columns[name, default: []][row]
        }
        if requireTarget { target[g * T + t] = data.columns[configuration.targetColumn, default: []][row] }
      }
    }
    self.channels = channels
    self.controls = controls
    self.target = target
  }
}
