import CausalGraph
import CausalMMMCore
import Foundation
import Inference

/// A fitted structural model: the model and its draws.
public struct StructuralFit: Sendable {
  public let model: StructuralMMM
  /// The sampler's output (nil when reloaded from saved unconstrained draws).
  public let posterior: Posterior?
  /// Unconstrained draws, chains concatenated.
  public let unconstrainedDraws: [[Double]]
  /// Constrained values per draw (``StructuralMMM/parameterNames`` order).
  public let constrainedDraws: [[Double]]

  /// Pairs a model with its posterior.
  public init(model: StructuralMMM, posterior: Posterior) {
    self.model = model
    self.posterior = posterior
    unconstrainedDraws = posterior.chains.flatMap(\.unconstrained)
    constrainedDraws = unconstrainedDraws.map { model.constrained($0) }
  }

  /// Rebuilds a fit from saved unconstrained draws.
  public init(model: StructuralMMM, unconstrainedDraws: [[Double]]) {
    self.model = model
    posterior = nil
    self.unconstrainedDraws = unconstrainedDraws
    constrainedDraws = unconstrainedDraws.map { model.constrained($0) }
  }

  /// Samples the model with NUTS.
  public static func fit(_ model: StructuralMMM, sampler: SamplerConfiguration) throws -> StructuralFit {
    StructuralFit(model: model, posterior: try sampleNUTS(model, configuration: sampler))
  }

  /// R-hat above 1.01, divergences above 1%, non-finite summaries.
  public func warnings() -> [String] {
    guard let posterior else { return [] }
    var warnings: [String] = []
    let rows = posterior.summary(hdiProbability: 0.94)
    if let worst = rows.filter({ $0.rHat.isFinite }).max(by: { $0.rHat < $1.rHat }),
      worst.rHat > FittedMMM.maximumRHat
    {
      warnings.append(
        "r_hat up to \(String(format: "%.3f", worst.rHat)) (\(worst.name)) exceeds \(FittedMMM.maximumRHat): the chains "
          + "disagree; sample longer (more tune/draws) before using these numbers")
    }
    let kept = posterior.chains.reduce(0) { $0 + $1.values.count }
    if kept > 0, Double(posterior.divergences) > FittedMMM.maximumDivergentShare * Double(kept) {
      warnings.append(
        "\(posterior.divergences) divergent transitions of \(kept) draws exceed 1%: raise target_accept or tighten priors"
      )
    }
    let nonFinite = rows.filter { !($0.mean.isFinite && $0.sd.isFinite) }.map(\.name)
    if !nonFinite.isEmpty { warnings.append("non-finite summaries for \(nonFinite.joined(separator: ", "))") }
    return warnings
  }
}

/// Writes a structural fit directory and reads it back (no Graphviz needed: the compiled structure is
/// saved as `structure.json`).
///
/// Files: `summary.json` (parameters, sampler, `structure`, `scales`, `warnings`), `chain-N.csv`
/// (CmdStan), `config.json`, `structure.json`, `data.csv` (byte copy), `draws_unconstrained.csv`.
public enum StructuralFitArchive {
  /// Writes the fit.
  public static func write(
    fit: StructuralFit, to directory: URL, dataPath: String, extraWarnings: [String] = []
  )
    throws
  {
    guard let posterior = fit.posterior else { throw LocatedError("no posterior to write") }
    do {
      try FitArchive.prepareDirectory(directory, chainCount: posterior.chains.count)
      func save(_ text: String, _ name: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
      }
      try save(
        summaryJSON(fit: fit, posterior: posterior, warnings: extraWarnings + fit.warnings()), "summary.json")
      try CmdStanCSV.writeFiles(
        posterior, directory: directory, comments: ["model": "causal-mmm structural MMM"])
      try save(fit.model.configuration.jsonText(), "config.json")
      try save(try JSONValue.encode(fit.model.specification), "structure.json")
      try FitArchive.copy(dataPath, to: directory.appendingPathComponent("data.csv"))
      // Names hold commas (`gamma_control[m,x]`): quoted (RFC 4180).
      let header = CSV.line(fit.model.parameterNames)
      let rows = fit.unconstrainedDraws.map { $0.map { "\($0)" }.joined(separator: ",") }
      try save(([header] + rows).joined(separator: "\n") + "\n", "draws_unconstrained.csv")
    } catch let error as LocatedError {
      throw error
    } catch {
      throw LocatedError(file: directory.path, "cannot write fit: \(error.localizedDescription)")
    }
  }

  /// Whether a fit directory holds a structural fit.
  public static func isStructural(_ directory: URL) -> Bool {
    FileManager.default.fileExists(atPath: directory.appendingPathComponent("structure.json").path)
  }

  /// Reloads a fit written by ``write(fit:to:dataPath:extraWarnings:)``.
  public static func load(from directory: URL) throws -> StructuralFit {
    let configPath = directory.appendingPathComponent("config.json").path
    guard let configData = FitArchive.fileData(configPath) else {
      throw LocatedError(file: configPath, "cannot read file")
    }
    let configuration: MMMConfiguration
    do {
      configuration = try MMMConfiguration.decodingJSON(configData)
    } catch {
      throw LocatedError(file: configPath, "not a saved configuration: \(error)")
    }
    let structurePath = directory.appendingPathComponent("structure.json").path
    guard let structureData = FitArchive.fileData(structurePath) else {
      throw LocatedError(
        file: structurePath, "cannot read file (is this a structural fit? `fit` writes it for structure: dag)"
      )
    }
    let specification: StructuralSpecification
    do {
      specification = try JSONValue.decode(StructuralSpecification.self, from: structureData)
    } catch {
      throw LocatedError(file: structurePath, "not a saved structure: \(error)")
    }
    let dataPath = directory.appendingPathComponent("data.csv").path
    let data = try MMMData.readCSV(
      path: dataPath, dateColumn: configuration.dateColumn, geoColumn: nil,
      numericColumns: specification.columns,
      rejectOtherColumns: false)
    let model = try StructuralMMM(configuration: configuration, specification: specification, data: data)
    let drawsPath = directory.appendingPathComponent("draws_unconstrained.csv").path
    guard let text = try? String(contentsOfFile: drawsPath, encoding: .utf8) else {
      throw LocatedError(file: drawsPath, "cannot read file")
    }
    let lines = CSV.lines(text)
    guard let header = lines.first, header.fields == model.parameterNames else {
      throw LocatedError(
        file: drawsPath, line: 1, "header does not match the model's \(model.dimension) coordinates")
    }
    let draws = try lines.dropFirst().map { line -> [Double] in
      let values = line.fields.compactMap(Double.init)
      guard values.count == model.dimension else {
        throw LocatedError(file: drawsPath, line: line.line, "bad draw row")
      }
      return values
    }
    return StructuralFit(model: model, unconstrainedDraws: draws)
  }

  static func summaryJSON(fit: StructuralFit, posterior: Posterior, warnings: [String]) -> String {
    var text = posterior.summaryJSON(hdiProbability: 0.94)
    let model = fit.model
    let structure = JSONValue.object([
      ("outcome", .string(model.specification.outcome)), ("channels", .strings(model.specification.channels)),
      ("mediators", .strings(model.specification.mediators)),
      (
        "equations",
        .array(
          model.specification.equations.map { equation in
            .object([
              ("node", .string(equation.node)),
              (
                "terms",
                .array(
                  equation.terms.map { term in
                    switch term.kind {
                    case .linear:
                      return .object([("parent", .string(term.parent)), ("transform", .string("linear"))])
                    case .media(let adstock, let saturation):
                      return .object([
                        ("parent", .string(term.parent)), ("transform", .string("adstock_saturation")),
                        ("adstock", .string(adstock.rawValue)), ("saturation", .string(saturation.rawValue)),
                      ])
                    }
                  })
              ),
            ])
          })
      ),
    ])
    let scales = JSONValue.object(model.specification.columns.map { ($0, .number(model.scales[$0] ?? .nan)) })
    let extra =
      "  \"structure\": " + structure.rendered(indent: 1) + ",\n  \"scales\": " + scales.rendered(indent: 1)
      + ",\n  \"warnings\": " + JSONValue.strings(warnings).rendered(indent: 1)
    if let end = text.range(of: "}", options: .backwards) {
      text.replaceSubrange(end, with: ",\n" + extra + "\n}")
    }
    return text
  }
}

extension FitJob {
  /// `fit` for `structure: dag`: compile the DAG into a structural model, sample it, write the directory.
  static func runStructural(
    _ request: FitRequest, configuration: MMMConfiguration, loadDAG: (String) throws -> CausalDAG
  ) throws -> FitOutcome {
    if let liftTestPath = request.liftTestPath {
      throw LocatedError(
        file: liftTestPath,
        "lift tests are not supported with structure: dag yet (fit without --lift-tests)")
    }
    guard let dagPath = resolvedDAGPath(configuration, request: request) else {
      throw LocatedError(
        file: request.configurationPath, column: "dag", "structure: dag needs a dag: FILE.dot")
    }
    let dag = try loadDAG(dagPath)
    let specification = try StructuralSpecification.build(
      configuration: configuration, dag: dag, dagPath: dagPath)
    let data = try MMMData.readCSV(
      path: request.dataPath, dateColumn: configuration.dateColumn, geoColumn: configuration.geoColumn,
      numericColumns: specification.columns, rejectOtherColumns: request.strictColumns)
    var notes: [String] = []
    if !data.ignoredColumns.isEmpty {
      notes.append(
        "note: \(request.dataPath): ignoring \(data.ignoredColumns.count) column(s) the structural model does not "
          + "use: \(data.ignoredColumns.joined(separator: ", ")) (--strict-columns refuses them)")
    }
    let model = try StructuralMMM(configuration: configuration, specification: specification, data: data)
    var sampler = try configuration.samplerConfiguration(
      chains: request.chains, tune: request.tune, draws: request.draws, targetAccept: request.targetAccept,
      seed: request.seed, metric: request.metric, maxTreeDepth: request.maxTreeDepth, density: model)
    sampler.showProgress = request.showProgress
    sampler.maxThreads = request.threads
    try FitJob.initialize(
      &sampler, model, FitJob.resolvedInitialization(request.initialization, configuration))
    let fit = try StructuralFit.fit(model, sampler: sampler)
    let outURL = URL(fileURLWithPath: request.outputDirectory)
    try StructuralFitArchive.write(fit: fit, to: outURL, dataPath: request.dataPath)
    let provenance = try FitProvenance(
      toolVersion: CausalMMMVersion.string, configPath: request.configurationPath, dataPath: request.dataPath,
      liftTestPath: nil, seed: sampler.seed, chains: sampler.chains, tune: sampler.tune, draws: sampler.draws)
    do {
      try provenance.jsonText(configuration: configuration).write(
        to: outURL.appendingPathComponent("provenance.json"), atomically: true, encoding: .utf8)
    } catch {
      throw LocatedError(
        file: request.outputDirectory, "cannot write provenance.json: \(error.localizedDescription)")
    }
    return FitOutcome(
      fit: nil, structural: fit, sampler: sampler, notes: notes, warnings: fit.warnings(), calibration: [])
  }
}
