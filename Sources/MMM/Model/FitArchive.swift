import CausalMMMCore
import Foundation
import Inference

/// Writes a fit to a directory (the `causal-mmm fit` contract) and reads it back for queries.
///
/// Files: `summary.json`, `chain-1.csv`... (CmdStan), `contributions.csv`, `roas.json`, `fitted.csv`,
/// `time_varying.csv` (with time-varying terms), plus what a reload
/// needs: `config.json`, `data.csv` (a byte copy of the input), `lift_tests.csv` (if any) and
/// `draws_unconstrained.csv` (every kept draw on the sampler's scale, full precision).
public enum FitArchive {
  /// Writes every output file of a fit.
  ///
  /// - Parameters:
  ///   - fit: the fitted model (must hold a posterior).
  ///   - directory: the output directory (created if needed).
  ///   - dataPath: the data CSV to copy for reloads.
  ///   - liftTestPath: the lift-test CSV to copy, if any.
  /// - Throws: `LocatedError` when a file cannot be written.
  public static func write(
    fit: FittedMMM, to directory: URL, dataPath: String, liftTestPath: String?, extraWarnings: [String] = [],
    calibration: [LiftTestCalibration] = []
  ) throws {
    guard let posterior = fit.posterior else { throw LocatedError("no posterior to write") }
    do {
      try prepareDirectory(directory, chainCount: posterior.chains.count)
      func save(_ text: String, _ name: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
      }
      try save(
        summaryJSON(fit: fit, posterior: posterior, extraWarnings: extraWarnings, calibration: calibration),
        "summary.json")
      try CmdStanCSV.writeFiles(
        posterior, directory: directory,
        comments: ["model": "causal-mmm MMM", "target_scale": "\(fit.model.targetScale)"])
      let contributions = fit.contributions()
      try writeContributionsCSV(
        fit, contributions: contributions, to: directory.appendingPathComponent("contributions.csv"))
      try save(roasJSON(fit, totals: contributions.map(\.totalDraws)), "roas.json")
      let table = try readData(path: dataPath, configuration: fit.model.configuration, requireTarget: true)
      let prediction = try fit.predict(data: table)
      try writeFittedCSV(
        fit, prediction: prediction, data: table, contributions: contributions,
        to: directory.appendingPathComponent("fitted.csv"))
      if let timeVarying = timeVaryingCSV(prediction.timeVarying) {
        try save(timeVarying, "time_varying.csv")
      } else {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("time_varying.csv"))
      }
      try save(fit.model.configuration.jsonText(), "config.json")
      try copy(dataPath, to: directory.appendingPathComponent("data.csv"))
      if let liftTestPath { try copy(liftTestPath, to: directory.appendingPathComponent("lift_tests.csv")) }
      try writeUnconstrainedDrawsCSV(fit, to: directory.appendingPathComponent("draws_unconstrained.csv"))
    } catch let error as LocatedError {
      throw error
    } catch {
      throw LocatedError(file: directory.path, "cannot write fit: \(error.localizedDescription)")
    }
  }

  /// Creates `directory` and removes chain files beyond `chainCount` that an earlier fit with more
  /// chains (written with --force) left there.
  static func prepareDirectory(_ directory: URL, chainCount: Int) throws {
    let fm = FileManager.default
    try fm.createDirectory(at: directory, withIntermediateDirectories: true)
    for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
    where name.hasPrefix("chain-") && name.hasSuffix(".csv") {
      if let index = Int(name.dropFirst("chain-".count).dropLast(".csv".count)), index > chainCount {
        try fm.removeItem(at: directory.appendingPathComponent(name))
      }
    }
  }

  /// Reloads a fit written by `write`.
  ///
  /// - Throws: `LocatedError` naming the missing or damaged file.
  public static func load(from directory: URL) throws -> FittedMMM {
    if StructuralFitArchive.isStructural(directory) {
      throw LocatedError(
        file: directory.path,
        "a structural fit (structure: dag): query it with `causal-mmm effects --fit \(directory.path)`")
    }
    let configPath = directory.appendingPathComponent("config.json").path
    guard let configData = fileData(configPath) else {
      throw LocatedError(file: configPath, "cannot read file")
    }
    let configuration: MMMConfiguration
    do {
      configuration = try MMMConfiguration.decodingJSON(configData)
    } catch {
      throw LocatedError(file: configPath, "not a saved configuration: \(error)")
    }
    let dataPath = directory.appendingPathComponent("data.csv").path
    let data = try readData(path: dataPath, configuration: configuration, requireTarget: true)
    let liftPath = directory.appendingPathComponent("lift_tests.csv").path
    let lifts = FileManager.default.fileExists(atPath: liftPath) ? try LiftTest.readCSV(path: liftPath) : []
    let drawsPath = directory.appendingPathComponent("draws_unconstrained.csv").path
    let model = try MMMModel(
      configuration: plainOffsetsIfWritten(configuration, drawsPath: drawsPath), data: data, liftTests: lifts)
    let draws = try readUnconstrainedDraws(path: drawsPath, model: model)
    return FittedMMM(model: model, unconstrainedDraws: draws)
  }

  /// A fit written before pooled logistic lam and beta were sampled rotated holds plain offsets
  /// (`saturation_lam_offset[...]` and `saturation_beta_offset[...]` in its draws' header) under a
  /// configuration that leaves `centered` unset: it reloads with `centered: false` on both, its model.
  static func plainOffsetsIfWritten(_ configuration: MMMConfiguration, drawsPath: String) -> MMMConfiguration
  {
    let names = ["saturation_lam", "saturation_beta"]
    guard
      names.allSatisfy({
        configuration.priors[$0]?.pooledOver != nil && configuration.priors[$0]?.centered == nil
      }),
      let handle = FileHandle(forReadingAtPath: drawsPath)
    else { return configuration }
    defer { try? handle.close() }
    let head = String(decoding: handle.readData(ofLength: 1 << 16), as: UTF8.self)
    let header = head.prefix { $0 != "\n" }
    guard names.allSatisfy({ header.contains($0 + "_offset[") }) else { return configuration }
    var plain = configuration
    for name in names { plain.priors[name]?.centered = false }
    return plain
  }

  /// `draws_unconstrained.csv`: a header of the model's coordinate names (RFC 4180: geo-varying
  /// names such as `saturation_lam[geo_00,tv]` hold a comma and are quoted), then one row per kept
  /// draw at full precision.
  static func unconstrainedDrawsCSV(_ fit: FittedMMM) -> String {
    let header = CSV.line(Array(fit.model.parameterNames.prefix(fit.model.dimension)))
    let rows = fit.unconstrainedDraws.map { $0.map { "\($0)" }.joined(separator: ",") }
    return ([header] + rows).joined(separator: "\n") + "\n"
  }

  /// Writes `unconstrainedDrawsCSV(fit)`'s bytes to `url`, a row at a time.
  static func writeUnconstrainedDrawsCSV(_ fit: FittedMMM, to url: URL) throws {
    let file = try TextFileWriter(url: url)
    try file.write(CSV.line(Array(fit.model.parameterNames.prefix(fit.model.dimension))))
    for draw in fit.unconstrainedDraws {
      try file.write(byte: UInt8(ascii: "\n"))
      for (index, value) in draw.enumerated() {
        if index > 0 { try file.write(byte: UInt8(ascii: ",")) }
        try file.write("\(value)")
      }
    }
    try file.write(byte: UInt8(ascii: "\n"))
    try file.finish()
  }

  /// Reads `draws_unconstrained.csv` (written by `write`) for `model`: one row per kept draw, chains concatenated.
  static func readUnconstrainedDraws(path drawsPath: String, model: MMMModel) throws -> [[Double]] {
    guard let text = try? String(contentsOfFile: drawsPath, encoding: .utf8) else {
      throw LocatedError(file: drawsPath, "cannot read file")
    }
    // A plain numeric file written by `write` (no quotes): split its bytes directly, which is many
    // times faster than the general CSV reader on 4,000 x 40 numbers.
    let rows = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    // The header is read as CSV; fits written before names were quoted held their geo-varying names'
    // commas bare, so the whole unquoted line is accepted too.
    let names = Array(model.parameterNames.prefix(model.dimension))
    guard let header = rows.first.map({ String(decoding: $0, as: UTF8.self) }),
      CSV.split(Substring(header.trimmingCharacters(in: .whitespacesAndNewlines))).fields == names
        || header.trimmingCharacters(in: .whitespacesAndNewlines) == names.joined(separator: ",")
    else {
      throw LocatedError(
        file: drawsPath, line: 1, "header does not match the model's \(model.dimension) coordinates")
    }
    var draws: [[Double]] = []
    draws.reserveCapacity(rows.count)
    for (index, row) in rows.enumerated().dropFirst() {
      let fields = row.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
      if fields.count == 1 && fields[0].allSatisfy({ $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: " ") }) {
        continue
      }
      var values: [Double] = []
      values.reserveCapacity(fields.count)
      for field in fields {
        guard let value = Double(Substring(field)) else { break }
        values.append(value)
      }
      guard values.count == model.dimension, fields.count == model.dimension else {
        throw LocatedError(file: drawsPath, line: index + 1, "bad draw row")
      }
      draws.append(values)
    }
    return draws
  }

  /// Reads a data CSV for a configuration: the columns it names; the others are ignored (listed in
  /// `ignoredColumns`) or, with `strictColumns`, refused as likely typos.
  public static func readData(
    path: String, configuration c: MMMConfiguration, requireTarget: Bool, strictColumns: Bool = false
  ) throws -> MMMData {
    try MMMData.readCSV(
      path: path, dateColumn: c.dateColumn, geoColumn: c.geoColumn,
      numericColumns: c.channelColumns + c.controlColumns + (requireTarget ? [c.targetColumn] : []),
      rejectOtherColumns: strictColumns)
  }

  static func fileData(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

  static func copy(_ path: String, to url: URL) throws {
    guard let data = fileData(path) else { throw LocatedError(file: path, "cannot read file") }
    try data.write(to: url)
  }

  /// `text` as a JSON string literal.
  static func jsonString(_ text: String) -> String { JSONValue.quote(text) }

  static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }

  static func summaryJSON(
    fit: FittedMMM, posterior: Posterior, extraWarnings: [String] = [],
    calibration: [LiftTestCalibration] = []
  ) -> String {
    // `parameterSummary` is `posterior.summary(hdiProbability: 0.94)`, computed when the fit was made.
    var text = posterior.summaryJSON(
      hdiProbability: 0.94, rows: fit.parameterSummary.isEmpty ? nil : fit.parameterSummary)
    let model = fit.model
    let scales =
      "  \"scales\": {\"target\": \(number(model.targetScale)), \"channels\": {"
      + zip(model.channelNames, model.channelScales).map { "\"\($0)\": \(number($1))" }.joined(
        separator: ", ") + "}}"
    let checks = fit.liftChecks().map { check in
      "{\"channel\": \"\(check.test.channel)\", \"geo\": \(check.test.geo.map { "\"\($0)\"" } ?? "null"), "
        + "\"measured_delta_y\": \(number(check.test.deltaY)), \"model_mean\": \(number(check.modelLift.mean)), "
        + "\"model_hdi_3%\": \(number(check.modelLift.hdiLower)), \"model_hdi_97%\": \(number(check.modelLift.hdiUpper)), "
        + "\"z\": \(number(check.zScore))}"
    }
    let warnings = (extraWarnings + fit.warnings()).map(jsonString)
    let calibrationChecks = JSONValue.array(calibration.map(calibrationJSON)).rendered(indent: 1)
    let extra =
      scales + ",\n  \"lift_checks\": [" + checks.joined(separator: ", ") + "],\n  \"calibration_checks\": "
      + calibrationChecks + ",\n  \"warnings\": [" + warnings.joined(separator: ", ") + "]"
    if let end = text.range(of: "}", options: .backwards) {
      text.replaceSubrange(end, with: ",\n" + extra + "\n}")
      // The sampler block ends on the line before; keep the document one object.
    }
    return text
  }

  /// `contributions.csv` for `fit.contributions()` (`contributions`), a line at a time.
  static func writeContributionsCSV(
    _ fit: FittedMMM, contributions: [ChannelContribution], to url: URL
  ) throws {
    let file = try TextFileWriter(url: url)
    try file.write("date,geo,channel,mean,hdi_3%,hdi_97%\n")
    for contribution in contributions {
      for (g, geo) in fit.model.geoNames.enumerated() {
        for (t, date) in fit.model.dates.enumerated() {
          let s = contribution.series[g][t]
          try file.write("\(date),\(geo),\(contribution.channel),\(s.mean),\(s.hdiLower),\(s.hdiUpper)\n")
        }
      }
    }
    try file.finish()
  }

  /// `roas.json`; `totals` are `fit.contributions()`'s `totalDraws` when already computed.
  static func roasJSON(_ fit: FittedMMM, totals: [[Double]]? = nil) -> String {
    let entries = fit.roas(totals: totals).map { r in
      "  \"\(r.channel)\": {\"spend\": \(number(r.spend)), \"contribution_mean\": \(number(r.contribution.mean)), "
        + "\"contribution_hdi_3%\": \(number(r.contribution.hdiLower)), \"contribution_hdi_97%\": \(number(r.contribution.hdiUpper)), "
        + "\"roas_mean\": \(number(r.roas.mean)), \"roas_hdi_3%\": \(number(r.roas.hdiLower)), \"roas_hdi_97%\": \(number(r.roas.hdiUpper))}"
    }
    return "{\n" + entries.joined(separator: ",\n") + "\n}\n"
  }

  /// One lift test's checks (summary.json's `calibration_checks`): the row, the steady-state and the
  /// window-aware readings (`window` is null without dates), the level warnings.
  static func calibrationJSON(_ check: LiftTestCalibration) -> JSONValue {
    func reading(_ reading: CalibrationCheck) -> JSONValue {
      .object([
        ("model_mean", .number(reading.model)),
        ("model_sd", reading.modelSD.isFinite ? .number(reading.modelSD) : .null),
        ("model_hdi_3%", .number(reading.hdiLower)), ("model_hdi_97%", .number(reading.hdiUpper)),
        ("z", .number(reading.zScore)), ("verdict", .string(reading.verdict)),
      ])
    }
    let test = check.liftTest
    return .object([
      ("test", .string(check.steadyState.test)), ("channel", .string(test.channel)),
      ("geo", test.geo.map(JSONValue.string) ?? .null), ("line", .integer(test.line)),
      ("start", test.start.map { .string($0.description) } ?? .null),
      ("end", test.end.map { .string($0.description) } ?? .null),
      ("x", .number(test.x)), ("delta_x", .number(test.deltaX)), ("measured_delta_y", .number(test.deltaY)),
      ("sigma", .number(test.sigma)), ("steady_state", reading(check.steadyState)),
      ("window", check.window.map(reading) ?? .null), ("calibration_trap", .bool(check.isTrap)),
      ("level_warnings", .strings(check.levelWarnings)),
    ])
  }
}
