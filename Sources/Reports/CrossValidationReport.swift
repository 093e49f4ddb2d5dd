import CausalMMMCore
import Foundation
import Inference
import MMM

/// What `causal-mmm cv` prints and writes, built from the cross-validation folds: the per-fold
/// table (``table(_:channels:)``), `cv.json` (``json(_:)``) and the HTML report
/// (``report(_:channels:truth:title:)``).
public enum CrossValidationReport {
  /// A lift test as listed per fold: `channel@geo date (line N)`.
  public static func liftLabel(_ test: LiftTest) -> String {
    let date = (try? TimeSliceCrossValidator.knownDate(of: test)).map { "\($0)" } ?? "?"
    return "\(test.channel)\(test.geo.map { "@\($0)" } ?? "") \(date) (line \(test.line))"
  }

  /// The per-fold summary table (fold, dates, lift tests, CRPS, ROAS per channel).
  public static func table(_ folds: [CrossValidationFold], channels: [String]) -> Table {
    Table(
      columns: ["fold", "training end", "test", "lift tests used", "excluded", "CRPS"]
        + channels.map { "ROAS \($0) mean [94% HDI]" },
      rows: folds.map { f in
        var row: [TableCell] = [
          .integer(f.fold.index), .text("\(f.trainingEnd)"), .text("\(f.testStart)...\(f.testEnd)"),
          .integer(f.usedLiftTests.count), .integer(f.excludedLiftTests.count), .number(f.crps, decimals: 3),
        ]
        for channel in channels {
          if let r = f.roas.first(where: { $0.channel == channel }) {
            row.append(
              .text(String(format: "%.3f [%.3f, %.3f]", r.roas.mean, r.roas.hdiLower, r.roas.hdiUpper)))
          } else {
            row.append(.empty)
          }
        }
        return row
      },
      caption: "Per fold: training window end, test window, lift tests used/excluded, CRPS, ROAS")
  }

  public static func json(_ folds: [CrossValidationFold]) throws -> String {
    func number(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
    let entries: [[String: Any]] = folds.map { f in
      var parameters: [String: Any] = [:]
      for p in f.parameters {
        parameters[p.name] = [
          "mean": number(p.mean), "sd": number(p.sd), "hdi_3%": number(p.hdiLower),
          "hdi_97%": number(p.hdiUpper),
          "r_hat": number(p.rHat), "ess_bulk": number(p.essBulk),
        ]
      }
      var roas: [String: Any] = [:]
      for r in f.roas {
        roas[r.channel] = [
          "mean": number(r.roas.mean), "hdi_3%": number(r.roas.hdiLower), "hdi_97%": number(r.roas.hdiUpper),
        ]
      }
      return [
        "fold": f.fold.index, "training_start": "\(f.trainingStart)", "training_end": "\(f.trainingEnd)",
        "training_dates": f.fold.training.count, "test_start": "\(f.testStart)", "test_end": "\(f.testEnd)",
        "lift_tests_used": f.usedLiftTests.map(liftLabel),
        "lift_tests_excluded": f.excludedLiftTests.map(liftLabel),
        "crps": number(f.crps), "crps_per_date": f.crpsPerDate.map(number), "parameters": parameters,
        "roas": roas,
        "divergences": f.divergences, "seconds": number(f.seconds),
      ]
    }
    let data = try JSONSerialization.data(
      withJSONObject: ["folds": entries], options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The HTML report: per-fold parameter stability (one chart per parameter family), ROAS, CRPS.
  public static func report(
    _ folds: [CrossValidationFold], channels: [String], truth: [String: Double], title: String
  ) -> HTMLReport {
    let x = folds.map { Double($0.fold.index) }
    var report = HTMLReport(
      title: title,
      subtitle: "\(folds.count) folds; training windows end \(folds.first.map { "\($0.trainingEnd)" } ?? "")"
        + " ... \(folds.last.map { "\($0.trainingEnd)" } ?? "")")
    report = report.section("Folds", [.table(table(folds, channels: channels))])
    var roasSeries: [Series] = []
    var roasBands: [Band] = []
    for (c, channel) in channels.enumerated() {
      let rows = folds.map { f in f.roas.first { $0.channel == channel } }
      let color = Palette.color(c)
      roasSeries.append(
        Series(
          name: "ROAS \(channel)", x: x, y: rows.map { $0?.roas.mean ?? .nan }, showsMarkers: true,
          color: color))
      roasBands.append(
        Band(
          name: "ROAS \(channel)", x: x, lower: rows.map { $0?.roas.hdiLower ?? .nan },
          upper: rows.map { $0?.roas.hdiUpper ?? .nan }))
      if let value = truth[channel] {
        roasSeries.append(
          Series(name: "true ROAS \(channel)", x: x, y: x.map { _ in value }, dashed: true, color: color))
      }
    }
    var liftNotes: [String] = []
    for f in folds {
      let used = f.usedLiftTests.map(liftLabel).joined(separator: "; ")
      liftNotes.append(
        "fold \(f.fold.index) (training to \(f.trainingEnd)): " + (used.isEmpty ? "no lift test" : used))
    }
    report = report.section(
      "ROAS per fold",
      [
        .chart(
          LineChart(
            title: "ROAS per fold (mean and 94% HDI)", xLabel: "fold",
            yLabel: "ROAS (outcome per unit spend)",
            series: roasSeries, bands: roasBands, integerX: true),
          caption: "Dashed: true ROAS where known. A fold uses only the lift tests known by its training end."
        ),
        .list(liftNotes),
      ])
    var families: [String: [String]] = [:]
    var order: [String] = []
    for p in folds.first?.parameters ?? [] {
      let family = p.name.split(separator: "[").first.map(String.init) ?? p.name
      if families[family] == nil { order.append(family) }
      families[family, default: []].append(p.name)
    }
    var blocks: [ReportBlock] = []
    for family in order {
      guard let names = families[family], names.count <= 12 else { continue }
      var series: [Series] = []
      var bands: [Band] = []
      for (k, name) in names.enumerated() {
        let rows = folds.map { f in f.parameters.first { $0.name == name } }
        series.append(
          Series(
            name: name, x: x, y: rows.map { $0?.mean ?? .nan }, showsMarkers: true, color: Palette.color(k)))
        bands.append(
          Band(
            name: name, x: x, lower: rows.map { $0?.hdiLower ?? .nan },
            upper: rows.map { $0?.hdiUpper ?? .nan }))
      }
      blocks.append(
        .chart(
          LineChart(
            title: "\(family) per fold (mean and 94% HDI)", xLabel: "fold", yLabel: "\(family) (model scale)",
            series: series, bands: bands, integerX: true),
          caption: "Parameter stability over folds"))
    }
    report = report.section("Parameters per fold", blocks)
    report = report.section(
      "Out-of-sample CRPS",
      [
        .chart(
          BarChart(
            title: "Mean CRPS of the test window per fold", xLabel: "CRPS (outcome units, lower is better)",
            categories: folds.map { "fold \($0.fold.index) (\($0.testStart)...\($0.testEnd))" },
            series: [BarSeries(name: "CRPS", values: folds.map(\.crps))]),
          caption: "CRPS = E|X - y| - E|X - X'| / 2 over posterior predictive draws")
      ])
    return report
  }

  /// Writes `cv.json` and the HTML report `cv.html` into `directory` (created if missing).
  /// - Throws: `LocatedError` naming the file that cannot be written.
  public static func write(
    _ folds: [CrossValidationFold], channels: [String], truth: [String: Double], title: String,
    to directory: String
  ) throws {
    let url = URL(fileURLWithPath: directory)
    var current = url
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      current = url.appendingPathComponent("cv.json")
      try json(folds).write(to: current, atomically: true, encoding: .utf8)
      current = url.appendingPathComponent("cv.html")
      try report(folds, channels: channels, truth: truth, title: title).write(to: current)
    } catch let error as LocatedError {
      throw error
    } catch {
      throw LocatedError(file: current.path, message: "cannot write the file (\(error.localizedDescription))")
    }
  }
}
