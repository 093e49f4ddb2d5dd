import CausalMMMCore
import Foundation

extension DAGTestReport {
  /// The report as JSON with stable snake_case keys (sorted), the contract `render --tests` reads.
  public func jsonText() throws -> String {
    try JSONValue.encode(self, snakeCaseKeys: true)
  }

  /// Decodes a report written by ``jsonText()``.
  public static func decoding(json: Data) throws -> DAGTestReport {
    try JSONValue.decode(DAGTestReport.self, from: json, snakeCaseKeys: true)
  }

  /// The report as aligned text: one line per test, ranked, the summary, the explaining edges of each
  /// rejected statement and the skipped statements.
  public func text() -> String {
    var lines: [String] = []
    let methodText =
      method == .pcor
      ? "pcor (partial correlation, Fisher's z; assumes independent rows)"
      : "hac (residual regression, AR(1)-prewhitened Newey-West standard error)"
    let statementText =
      statements == .basisSet
      ? "\(statementCount) basis-set statements (local Markov), split into \(tests.count + skipped.count) pairwise tests"
      : "\(statementCount) pairwise statements (one per non-adjacent pair)"
    lines.append(
      "Test: \(methodText); \(rows) rows\(geos > 1 ? " in \(geos) geos (within-geo; pooled alongside)" : "")")
    lines.append("Implications: \(statementText)")
    if !missingColumns.isEmpty {
      lines.append("No data column (treated as latent): \(missingColumns.joined(separator: ", "))")
    }
    let adjustedHeader = correction == .none ? "p" : "p(\(correction == .holm ? "Holm" : "BH"))"
    var rows: [[String]] = [
      ["statement", "estimate", "\(Int((0.95 * 100).rounded()))% CI", "p", adjustedHeader, "verdict"]
        + (geos > 1 ? ["pooled r", "pooled p"] : [])
    ]
    for test in tests {
      let r = test.result
      var row = [
        test.statement.description, Self.format(r.estimate),
        "[\(Self.format(r.lower)), \(Self.format(r.upper))]",
        Self.formatP(r.pValue), Self.formatP(test.adjustedPValue), test.rejected ? "REJECTED" : "consistent",
      ]
      if geos > 1 {
        row += [
          test.pooled.map { Self.format($0.estimate) } ?? "-",
          test.pooled.map { Self.formatP($0.pValue) } ?? "-",
        ]
      }
      rows.append(row)
    }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
      let cells = row.enumerated().map { column, cell in
        column == 0 || column == 5
          ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[column] - cell.count) + cell
      }
      lines.append("  " + cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
    }
    lines.append(summary)
    if !rejected.isEmpty {
      lines.append("Rejected, and the edges whose addition would explain each:")
      for test in rejected {
        let edges = test.explainingEdges.map { "\($0.from) -> \($0.to)" }
        lines.append(
          "  \(test.statement.description): "
            + (edges.isEmpty
              ? "no single edge between the two (look for a missing common cause)"
              : "add "
                + edges.joined(separator: " or ")))
      }
    }
    if !skipped.isEmpty {
      lines.append("Not tested (\(skipped.count)):")
      for entry in skipped { lines.append("  \(entry.statement.description): \(entry.reason)") }
    }
    return lines.joined(separator: "\n")
  }

  static func format(_ value: Double) -> String { String(format: "%.3f", value) }

  static func formatP(_ p: Double) -> String {
    if p < 1e-4 { return String(format: "%.1e", p) }
    return String(format: "%.4f", p)
  }
}
