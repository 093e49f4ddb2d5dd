import CausalMMMCore
import Foundation
import GraphvizIO

// Reading a `causal-mmm fit --out DIR` directory from its files alone (no model reload), so a
// report can be built from any saved fit:
//   summary.json       {"parameters": {name: {"mean", "sd", "hdi_3%", "hdi_97%", "r_hat",
//                      "ess_bulk", "ess_tail", ...}}, "sampler": {...}, "scales": {"target": s},
//                      "lift_checks": [{"channel", "geo", "measured_delta_y", "model_mean",
//                      "model_hdi_3%", "model_hdi_97%", "z"}]}                       (required)
//   chain-N.csv        CmdStan CSV; "#   label COLUMN : NAME" comment lines map CmdStan
//                      column names back to parameter names                          (optional)
//   contributions.csv  date,geo,channel,mean,hdi_3%,hdi_97%                           (optional)
//   roas.json          {channel: {"spend", "contribution_mean", "contribution_hdi_3%",
//                      "contribution_hdi_97%", "roas_mean", "roas_hdi_3%", "roas_hdi_97%"}} (optional)
//   fitted.csv         date,geo,observed,mean,hdi_3%,hdi_97%,pp_3%,pp_97%,baseline_mean  (optional;
//                      fit directories written before it existed lack it)
//   time_varying.csv   term,geo,date,mean,hdi_3%,hdi_97%: the intercept over time and the media
//                      multiplier (optional; only fits with time-varying terms have it)

/// One parameter's posterior summary from `summary.json`.
public struct FitParameter: Sendable, Hashable {
  public var name: String
  public var mean: Double
  public var sd: Double
  /// The lower 94% HDI edge (`hdi_3%`).
  public var hdiLower: Double
  /// The upper 94% HDI edge (`hdi_97%`).
  public var hdiUpper: Double
  public var rHat: Double
  public var essBulk: Double
  public var essTail: Double
}

/// A lift test checked against the fitted model (`summary.json`'s `lift_checks`).
public struct FitLiftCheck: Sendable, Hashable {
  public var channel: String
  public var geo: String?
  public var measuredDeltaY: Double
  public var modelMean: Double
  public var modelLower: Double
  public var modelUpper: Double
  public var z: Double
}

/// One row of `contributions.csv`: a channel's contribution on one date in one geo.
public struct FitContribution: Sendable, Hashable {
  /// The date as written (`YYYY-MM-DD`).
  public var date: String
  public var geo: String
  public var channel: String
  public var mean: Double
  public var lower: Double
  public var upper: Double
}

/// One row of `fitted.csv`: the observed target and the model's fit on one date in one geo.
public struct FitFitted: Sendable, Hashable {
  /// The date as written (`YYYY-MM-DD`).
  public var date: String
  public var geo: String
  /// The observed target.
  public var observed: Double
  /// Posterior mean of the expected outcome, and its 94% HDI.
  public var mean: Double
  public var lower: Double
  public var upper: Double
  /// The 94% posterior predictive interval (observation noise included).
  public var predictiveLower: Double
  public var predictiveUpper: Double
  /// The posterior mean of the baseline: the fit minus every channel's contribution.
  public var baseline: Double

  /// Creates a row.
  public init(
    date: String, geo: String, observed: Double, mean: Double, lower: Double, upper: Double,
    predictiveLower: Double, predictiveUpper: Double, baseline: Double
  ) {
    self.date = date
    self.geo = geo
    self.observed = observed
    self.mean = mean
    self.lower = lower
    self.upper = upper
    self.predictiveLower = predictiveLower
    self.predictiveUpper = predictiveUpper
    self.baseline = baseline
  }
}

/// One row of `time_varying.csv`: a time-varying term on one date in one geo.
public struct FitTimeVarying: Sendable, Hashable {
  /// `intercept` (intercept_baseline × p(t), outcome units) or `media` (the media multiplier M(t)).
  public var term: String
  public var geo: String
  /// The date as written (`YYYY-MM-DD`).
  public var date: String
  /// The posterior mean and 94% HDI.
  public var mean: Double
  public var lower: Double
  public var upper: Double

  /// Creates a row.
  public init(term: String, geo: String, date: String, mean: Double, lower: Double, upper: Double) {
    self.term = term
    self.geo = geo
    self.date = date
    self.mean = mean
    self.lower = lower
    self.upper = upper
  }
}

/// One channel's entry of `roas.json`.
public struct FitROAS: Sendable, Hashable {
  public var channel: String
  public var spend: Double
  public var contributionMean: Double
  public var contributionLower: Double
  public var contributionUpper: Double
  public var roasMean: Double
  public var roasLower: Double
  public var roasUpper: Double
}

/// A saved fit read from its directory.
public struct FitDirectory: Sendable {
  /// The directory as the user named it.
  public var path: String
  /// Parameters in the order of `summary.json`.
  public var parameters: [FitParameter]
  /// The sampler block of `summary.json` as (key, printed value), in file order.
  public var sampler: [(key: String, value: String)]
  /// `scales.target` (the factor from the model's scaled outcome to the original units), if given.
  public var targetScale: Double?
  public var liftChecks: [FitLiftCheck]
  /// Empty when `contributions.csv` is absent.
  public var contributions: [FitContribution]
  /// Empty when `roas.json` is absent.
  public var roas: [FitROAS]
  /// Empty when `fitted.csv` is absent (fits written before it existed).
  public var fitted: [FitFitted] = []
  /// Empty when `time_varying.csv` is absent (a model without time-varying terms).
  public var timeVarying: [FitTimeVarying] = []
  /// Draws per parameter name, pooled over the chain files (empty without chain files).
  public var draws: [String: [Double]]
  /// How many chain files were read.
  public var chainCount: Int

  /// Reads the directory at `path`.
  /// - Throws: ``LocatedError`` naming the file (and line) that is missing or malformed.
  public static func load(_ path: String) throws(LocatedError) -> FitDirectory {
    let directory = URL(fileURLWithPath: path)
    let summaryPath = directory.appendingPathComponent("summary.json").path
    let summaryText = try readText(summaryPath)
    let summary = try parseSummary(summaryText, file: summaryPath)
    var fit = FitDirectory(
      path: path, parameters: summary.parameters, sampler: summary.sampler,
      targetScale: summary.targetScale, liftChecks: summary.liftChecks, contributions: [], roas: [],
      draws: [:], chainCount: 0)
    let contributionsPath = directory.appendingPathComponent("contributions.csv").path
    if FileManager.default.fileExists(atPath: contributionsPath) {
      fit.contributions = try parseContributions(try readText(contributionsPath), file: contributionsPath)
    }
    let roasPath = directory.appendingPathComponent("roas.json").path
    if FileManager.default.fileExists(atPath: roasPath) {
      fit.roas = try parseROAS(try readText(roasPath), file: roasPath)
    }
    let fittedPath = directory.appendingPathComponent("fitted.csv").path
    if FileManager.default.fileExists(atPath: fittedPath) {
      fit.fitted = try parseFitted(try readText(fittedPath), file: fittedPath)
    }
    let timeVaryingPath = directory.appendingPathComponent("time_varying.csv").path
    if FileManager.default.fileExists(atPath: timeVaryingPath) {
      fit.timeVarying = try parseTimeVarying(try readText(timeVaryingPath), file: timeVaryingPath)
    }
    var chain = 1
    while true {
      let chainPath = directory.appendingPathComponent("chain-\(chain).csv").path
      guard FileManager.default.fileExists(atPath: chainPath) else { break }
      let draws = try parseCmdStanCSV(try readText(chainPath), file: chainPath)
      for (name, values) in draws { fit.draws[name, default: []] += values }
      chain += 1
    }
    fit.chainCount = chain - 1
    return fit
  }

  static func readText(_ path: String) throws(LocatedError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocatedError(file: path, message: "cannot read the file (missing or unreadable)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw LocatedError(file: path, message: "not UTF-8 text")
    }
    return text
  }

  /// The 1-based line on which `needle` first occurs in `text`, if it does.
  static func line(of needle: String, in text: String) -> Int? {
    guard let range = text.range(of: needle) else { return nil }
    return text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
  }

  /// A JSON number (`null` becomes NaN); `nil` when the value is missing or not a number.
  static func number(_ value: Any?) -> Double? {
    if value is NSNull { return .nan }
    // On Linux an integral NSNumber also casts to Bool, so booleans cannot be told apart here;
    // a `true` in a numeric field reads as 1.
    if let number = value as? NSNumber { return number.doubleValue }
    return nil
  }

  static func parseSummary(_ text: String, file: String) throws(LocatedError) -> (
    parameters: [FitParameter], sampler: [(key: String, value: String)], targetScale: Double?,
    liftChecks: [FitLiftCheck]
  ) {
    let object: [String: Any]
    do {
      guard let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw LocatedError(file: file, line: 1, message: "expected a JSON object")
      }
      object = parsed
    } catch let error as LocatedError {
      throw error
    } catch {
      throw LocatedError(file: file, message: "not valid JSON (\(error.localizedDescription))")
    }
    guard let parameterObject = object["parameters"] as? [String: Any] else {
      throw LocatedError(file: file, message: "missing the \"parameters\" object")
    }
    // JSONSerialization forgets key order; recover the file's order from where each key appears.
    let names = parameterObject.keys.sorted { left, right in
      let leftOffset = text.range(of: "\"\(left)\"")?.lowerBound ?? text.endIndex
      let rightOffset = text.range(of: "\"\(right)\"")?.lowerBound ?? text.endIndex
      return leftOffset == rightOffset ? left < right : leftOffset < rightOffset
    }
    var parameters: [FitParameter] = []
    for name in names {
      let line = Self.line(of: "\"\(name)\"", in: text)
      guard let fields = parameterObject[name] as? [String: Any] else {
        throw LocatedError(file: file, line: line, message: "parameter '\(name)' is not an object")
      }
      func value(_ key: String, required: Bool = true) throws(LocatedError) -> Double {
        if let number = Self.number(fields[key]) { return number }
        if !required && fields[key] == nil { return .nan }
        throw LocatedError(file: file, line: line, message: "parameter '\(name)' has no numeric \"\(key)\"")
      }
      parameters.append(
        FitParameter(
          name: name, mean: try value("mean"), sd: try value("sd", required: false),
          hdiLower: try value("hdi_3%"), hdiUpper: try value("hdi_97%"),
          rHat: try value("r_hat", required: false), essBulk: try value("ess_bulk", required: false),
          essTail: try value("ess_tail", required: false)))
    }
    var sampler: [(key: String, value: String)] = []
    if let samplerObject = object["sampler"] as? [String: Any] {
      let samplerText = text.range(of: "\"sampler\"").map { String(text[$0.lowerBound...]) } ?? text
      let keys = samplerObject.keys.sorted { left, right in
        (samplerText.range(of: "\"\(left)\"")?.lowerBound ?? samplerText.endIndex)
          < (samplerText.range(of: "\"\(right)\"")?.lowerBound ?? samplerText.endIndex)
      }
      for key in keys {
        let raw = samplerObject[key]
        let printed: String
        if let number = Self.number(raw) {
          printed = formatNumber(number, significantDigits: 4)
        } else if let array = raw as? [Any] {
          printed = array.map { Self.number($0).map { formatNumber($0, significantDigits: 3) } ?? "\($0)" }
            .joined(separator: ", ")
        } else {
          printed = raw.map { "\($0)" } ?? ""
        }
        sampler.append((key, printed))
      }
    }
    let targetScale = Self.number((object["scales"] as? [String: Any])?["target"])
    var checks: [FitLiftCheck] = []
    for (index, entry) in ((object["lift_checks"] as? [Any]) ?? []).enumerated() {
      guard let fields = entry as? [String: Any], let channel = fields["channel"] as? String,
        let measured = Self.number(fields["measured_delta_y"]), let mean = Self.number(fields["model_mean"]),
        let lower = Self.number(fields["model_hdi_3%"]), let upper = Self.number(fields["model_hdi_97%"])
      else {
        throw LocatedError(
          file: file, line: Self.line(of: "\"lift_checks\"", in: text),
          message: "lift check \(index + 1) lacks channel, measured_delta_y, model_mean or model HDI")
      }
      checks.append(
        FitLiftCheck(
          channel: channel, geo: fields["geo"] as? String, measuredDeltaY: measured, modelMean: mean,
          modelLower: lower, modelUpper: upper, z: Self.number(fields["z"]) ?? .nan))
    }
    return (parameters, sampler, targetScale, checks)
  }

  /// The fields of one CSV line (the package's one CSV reader).
  static func fields(_ line: Substring) -> [String] { CSV.split(line).fields }

  /// A CSV number; CmdStan's `nan`, `inf`, `-inf` are accepted.
  static func parseNumber(_ text: String) -> Double? {
    switch text.lowercased() {
    case "nan": return .nan
    case "inf", "+inf": return .infinity
    case "-inf": return -.infinity
    default: return Double(text)
    }
  }

  static func parseContributions(_ text: String, file: String) throws(LocatedError) -> [FitContribution] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let headerLine = lines.first else { throw LocatedError(file: file, line: 1, message: "empty file") }
    let header = fields(headerLine)
    var column: [String: Int] = [:]
    for name in ["date", "geo", "channel", "mean", "hdi_3%", "hdi_97%"] {
      guard let index = header.firstIndex(of: name) else {
        throw LocatedError(file: file, line: 1, message: "missing column '\(name)'")
      }
      column[name] = index
    }
    var rows: [FitContribution] = []
    for (offset, line) in lines.enumerated().dropFirst()
    where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let cells = fields(line)
      func cell(_ name: String) throws(LocatedError) -> String {
        let index = column[name] ?? 0
        guard index < cells.count else {
          throw LocatedError(
            file: file, line: offset + 1, message: "row has \(cells.count) fields, expected \(header.count)")
        }
        return cells[index]
      }
      func value(_ name: String) throws(LocatedError) -> Double {
        let text = try cell(name)
        guard let number = parseNumber(text) else {
          throw LocatedError(
            file: file, line: offset + 1, message: "column '\(name)': '\(text)' is not a number")
        }
        return number
      }
      rows.append(
        FitContribution(
          date: try cell("date"), geo: try cell("geo"), channel: try cell("channel"), mean: try value("mean"),
          lower: try value("hdi_3%"), upper: try value("hdi_97%")))
    }
    return rows
  }

  /// The rows of a CSV with a header, as (line number, cells by column name), requiring `columns`.
  static func namedRows(_ text: String, file: String, columns required: [String]) throws(LocatedError)
    -> [(line: Int, cells: [String: String])]
  {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let headerLine = lines.first else { throw LocatedError(file: file, line: 1, message: "empty file") }
    let header = fields(headerLine)
    for name in required where !header.contains(name) {
      throw LocatedError(file: file, line: 1, message: "missing column '\(name)'")
    }
    var rows: [(line: Int, cells: [String: String])] = []
    for (offset, line) in lines.enumerated().dropFirst()
    where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let cells = fields(line)
      guard cells.count >= header.count else {
        throw LocatedError(
          file: file, line: offset + 1, message: "row has \(cells.count) fields, expected \(header.count)")
      }
      var named: [String: String] = [:]
      for (index, name) in header.enumerated() { named[name] = cells[index] }
      rows.append((offset + 1, named))
    }
    return rows
  }

  // The named numeric cells of a row, in order; a cell that is not a number is located.
  static func numbers(_ row: (line: Int, cells: [String: String]), _ names: [String], file: String)
    throws(LocatedError) -> [Double]
  {
    var values: [Double] = []
    for name in names {
      let cell = row.cells[name] ?? ""
      guard let number = parseNumber(cell) else {
        throw LocatedError(file: file, line: row.line, message: "column '\(name)': '\(cell)' is not a number")
      }
      values.append(number)
    }
    return values
  }

  static func parseFitted(_ text: String, file: String) throws(LocatedError) -> [FitFitted] {
    let numeric = ["observed", "mean", "hdi_3%", "hdi_97%", "pp_3%", "pp_97%", "baseline_mean"]
    var result: [FitFitted] = []
    for row in try namedRows(text, file: file, columns: ["date", "geo"] + numeric) {
      let values = try numbers(row, numeric, file: file)
      result.append(
        FitFitted(
          date: row.cells["date"] ?? "", geo: row.cells["geo"] ?? "", observed: values[0], mean: values[1],
          lower: values[2], upper: values[3], predictiveLower: values[4], predictiveUpper: values[5],
          baseline: values[6]))
    }
    return result
  }

  static func parseTimeVarying(_ text: String, file: String) throws(LocatedError) -> [FitTimeVarying] {
    let numeric = ["mean", "hdi_3%", "hdi_97%"]
    var result: [FitTimeVarying] = []
    for row in try namedRows(text, file: file, columns: ["term", "geo", "date"] + numeric) {
      let values = try numbers(row, numeric, file: file)
      result.append(
        FitTimeVarying(
          term: row.cells["term"] ?? "", geo: row.cells["geo"] ?? "", date: row.cells["date"] ?? "",
          mean: values[0], lower: values[1], upper: values[2]))
    }
    return result
  }

  static func parseROAS(_ text: String, file: String) throws(LocatedError) -> [FitROAS] {
    let object: [String: Any]
    do {
      guard let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw LocatedError(file: file, line: 1, message: "expected a JSON object of channels")
      }
      object = parsed
    } catch let error as LocatedError {
      throw error
    } catch {
      throw LocatedError(file: file, message: "not valid JSON (\(error.localizedDescription))")
    }
    let channels = object.keys.sorted {
      (text.range(of: "\"\($0)\"")?.lowerBound ?? text.endIndex)
        < (text.range(of: "\"\($1)\"")?.lowerBound ?? text.endIndex)
    }
    var entries: [FitROAS] = []
    for channel in channels {
      let line = Self.line(of: "\"\(channel)\"", in: text)
      guard let fields = object[channel] as? [String: Any] else {
        throw LocatedError(file: file, line: line, message: "channel '\(channel)' is not an object")
      }
      func value(_ key: String) throws(LocatedError) -> Double {
        guard let number = Self.number(fields[key]) else {
          throw LocatedError(
            file: file, line: line, message: "channel '\(channel)' has no numeric \"\(key)\"")
        }
        return number
      }
      entries.append(
        FitROAS(
          channel: channel, spend: try value("spend"), contributionMean: try value("contribution_mean"),
          contributionLower: try value("contribution_hdi_3%"),
          contributionUpper: try value("contribution_hdi_97%"),
          roasMean: try value("roas_mean"), roasLower: try value("roas_hdi_3%"),
          roasUpper: try value("roas_hdi_97%")))
    }
    return entries
  }

  /// Parameter draws from a CmdStan CSV: columns ending in `__` (sampler statistics) are skipped;
  /// `#   label COLUMN : NAME` comments rename columns to parameter names.
  static func parseCmdStanCSV(_ text: String, file: String) throws(LocatedError) -> [String: [Double]] {
    var labels: [String: String] = [:]
    var header: [String]? = nil
    var kept: [Int] = []
    var columns: [[Double]] = []
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      if trimmed.hasPrefix("#") {
        let body = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("label "), let colon = body.range(of: " : ") {
          let column = body[body.index(body.startIndex, offsetBy: 6)..<colon.lowerBound]
            .trimmingCharacters(in: .whitespaces)
          labels[column] = String(body[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        continue
      }
      let cells = fields(line)
      guard let names = header else {
        header = cells
        kept = cells.indices.filter { !cells[$0].hasSuffix("__") }
        columns = kept.map { _ in [] }
        continue
      }
      guard cells.count == names.count else {
        throw LocatedError(
          file: file, line: offset + 1,
          message: "row has \(cells.count) fields, the header has \(names.count)")
      }
      for (slot, index) in kept.enumerated() {
        guard let value = parseNumber(cells[index]) else {
          throw LocatedError(
            file: file, line: offset + 1,
            message: "column '\(names[index])': '\(cells[index])' is not a number")
        }
        columns[slot].append(value)
      }
    }
    guard let names = header else {
      throw LocatedError(file: file, message: "no header line (expected lp__,accept_stat__,...)")
    }
    var draws: [String: [Double]] = [:]
    for (slot, index) in kept.enumerated() {
      draws[labels[names[index]] ?? names[index]] = columns[slot]
    }
    return draws
  }
}
