import CausalMMMCore
import Foundation
import Inference
import Yams

extension MMMConfiguration {
  /// Parses YAML or JSON text, rejecting unknown keys (with a did-you-mean suggestion) and bad values.
  ///
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - name: the file name used in error messages.
  /// - Throws: `LocatedError` naming the file, line (where known) and key.
  public static func parse(text: String, name: String) throws -> MMMConfiguration {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw LocatedError(file: name, "empty configuration")
      }
      root = node
    } catch let error as LocatedError {
      throw error
    } catch let error as YamlError {
      throw Self.locate(error, name: name)
    } catch {
      throw LocatedError(file: name, "not valid YAML/JSON: \(error)")
    }
    return try ConfigurationReader(name: name).read(root)
  }

  /// A Yams error as one located line (Yams' own description spans several lines with a snippet).
  static func locate(_ error: YamlError, name: String) -> LocatedError {
    func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> LocatedError {
      let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
      return LocatedError(
        file: name, line: mark.line, "not valid YAML/JSON: \(problem) at column \(mark.column)\(detail)")
    }
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return located(context, problem, mark)
    case .duplicatedKeysInMapping(let duplicates, let context):
      return LocatedError(
        file: name, line: context.mark.line,
        "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in this mapping")
    default:
      let oneLine = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
      return LocatedError(file: name, "not valid YAML/JSON: \(oneLine)")
    }
  }

  /// Reads a `.yaml`, `.yml` or `.json` file (see `parse`).
  public static func read(path: String) throws -> MMMConfiguration {
    try parse(text: try CSV.readText(path: path), name: path)
  }
}

/// Walks the YAML node tree by hand so that every key is checked and located.
struct ConfigurationReader {
  let name: String

  func fail(_ node: Node, _ key: String?, _ message: String) -> LocatedError {
    var error = LocatedError(file: name, line: node.mark.map { $0.line }, column: key, message)
    error.fieldKind = "key"
    return error
  }

  func mapping(_ node: Node, _ key: String?, allowed: [String]) throws -> [(String, Node)] {
    guard let map = node.mapping else { throw fail(node, key, "expected a mapping") }
    var out: [(String, Node)] = []
    for (k, v) in map {
      guard let keyText = k.string else { throw fail(k, key, "keys must be strings") }
      guard allowed.contains(keyText) else {
        throw fail(k, keyText, "unknown key\(didYouMean(keyText, allowed))")
      }
      out.append((keyText, v))
    }
    return out
  }

  func string(_ node: Node, _ key: String) throws -> String {
    guard let s = node.scalar?.string else { throw fail(node, key, "expected a string") }
    return s
  }

  func strings(_ node: Node, _ key: String) throws -> [String] {
    if let s = node.scalar?.string, s == "[]" || s.isEmpty { return [] }
    guard let seq = node.sequence else { throw fail(node, key, "expected a list of strings") }
    return try seq.map { try string($0, key) }
  }

  func int(_ node: Node, _ key: String, minimum: Int) throws -> Int {
    guard let s = node.scalar?.string, let v = Int(s) else { throw fail(node, key, "expected an integer") }
    guard v >= minimum else { throw fail(node, key, "must be >= \(minimum), got \(v)") }
    return v
  }

  func double(_ node: Node, _ key: String) throws -> Double {
    guard let s = node.scalar?.string else { throw fail(node, key, "expected a number") }
    let lowered = s.lowercased()
    if lowered == ".inf" || lowered == "inf" { return .infinity }
    if lowered == "-.inf" || lowered == "-inf" { return -.infinity }
    guard let v = Double(s), !v.isNaN else { throw fail(node, key, "'\(s)' is not a number") }
    return v
  }

  /// A name of a closed vocabulary, matched ignoring case; unknown names get a did-you-mean.
  func name<N: SpecificationName>(_ node: Node, _ key: String, _ type: N.Type, text: String? = nil) throws
    -> N
  {
    let value = try text ?? string(node, key)
    switch N.parse(value) {
    case .success(let kind): return kind
    case .failure(let error): throw fail(node, key, error.message)
    }
  }

  func bool(_ node: Node, _ key: String) throws -> Bool {
    guard let s = node.scalar?.string.lowercased() else { throw fail(node, key, "expected true or false") }
    switch s {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: throw fail(node, key, "expected true or false, got '\(s)'")
    }
  }

  func read(_ root: Node) throws -> MMMConfiguration {
    let keys = MMMConfiguration.CodingKeys.allValues
    var config = MMMConfiguration(channelColumns: [])
    var seen = Set<String>()
    var priorLines: [String: Int] = [:]
    var keyLines: [String: Int] = [:]
    // Lines of keys below a prior (`saturation_beta.sigma`, `saturation_beta.sigma.x1`), for errors that
    // the one validation finds after the whole file is read.
    var detailLines: [String: Int] = [:]
    var timeVarying: Set<TimeVaryingTerm> = []
    var tvpNodes: [TimeVaryingTerm: Node] = [:]
    for (key, node) in try mapping(root, nil, allowed: keys) {
      seen.insert(key)
      keyLines[key] = node.mark?.line
      switch key {
      case "date_column": config.dateColumn = try string(node, key)
      case "target_column": config.targetColumn = try string(node, key)
      case "channel_columns": config.channelColumns = try strings(node, key)
      case "control_columns": config.controlColumns = try strings(node, key)
      case "geo_column": config.geoColumn = try string(node, key)
      case "adstock_first": config.adstockFirst = try bool(node, key)
      case "yearly_seasonality": config.yearlySeasonality = try int(node, key, minimum: 0)
      case "trend": config.trend = try bool(node, key)
      case "dag": config.dag = try string(node, key)
      case "time_varying_intercept", "time_varying_media":
        let term: TimeVaryingTerm = key == "time_varying_media" ? .media : .intercept
        if try bool(node, key) { timeVarying.insert(term) }
      case "intercept_tvp_config":
        tvpNodes[.intercept] = node
        config.interceptTVPConfig = try timeVaryingSettings(node, key)
      case "media_tvp_config":
        tvpNodes[.media] = node
        config.mediaTVPConfig = try timeVaryingSettings(node, key)
      case "structure":
        let value = try string(node, key)
        guard value == "dag" || value == "single_equation" else {
          throw fail(node, key, "expected dag or single_equation, got '\(value)'")
        }
        config.structure = value == "dag" ? "dag" : nil
      case "lift_test_likelihood":
        config.liftTestLikelihood = try name(node, key, LiftTestLikelihoodKind.self)
      case "adstock":
        for (k, v) in try mapping(node, key, allowed: ["type", "l_max", "normalize"]) {
          switch k {
          case "type": config.adstock.type = try name(v, k, AdstockKind.self)
          case "l_max": config.adstock.lMax = try int(v, k, minimum: 1)
          default: config.adstock.normalize = try bool(v, k)
          }
        }
      case "saturation":
        if node.scalar != nil {
          config.saturation.type = try name(node, "type", SaturationKind.self)
        } else {
          for (k, v) in try mapping(node, key, allowed: ["type"]) {
            config.saturation.type = try name(v, k, SaturationKind.self)
          }
        }
      case "likelihood":
        if node.scalar != nil {
          config.likelihood.dist = try name(node, key, LikelihoodKind.self)
        } else {
          for (k, v) in try mapping(node, key, allowed: ["dist", "nu"]) {
            if k == "dist" {
              config.likelihood.dist = try name(node, key, LikelihoodKind.self, text: try string(v, k))
            } else {
              config.likelihood.nu = try double(v, k)
            }
          }
        }
        guard config.likelihood.nu > 0, config.likelihood.nu.isFinite else {
          throw fail(node, "nu", "must be a finite number > 0")
        }
      case "priors":
        guard let map = node.mapping else { throw fail(node, key, "expected a mapping") }
        for (k, v) in map {
          guard let priorName = k.string else { throw fail(k, key, "keys must be strings") }
          config.priors[priorName] = try prior(v, priorName, lines: &detailLines)
          priorLines[priorName] = k.mark?.line
        }
        keyLines["priors"] = node.mark?.line
      case "sampler":
        for (k, v) in try mapping(
          node, key,
          allowed: [
            "chains", "tune", "draws", "target_accept", "seed", "metric", "max_tree_depth", "initialization",
            "partial_centering", "warmup_max_tree_depth",
          ])
        {
          switch k {
          case "metric":
            config.sampler.metric = try name(v, k, MetricKind.self)
          case "initialization":
            config.sampler.initialization = try name(v, k, InitializationKind.self)
          case "partial_centering":
            config.sampler.partialCentering = try name(v, k, PartialCenteringKind.self)
          case "chains": config.sampler.chains = try int(v, k, minimum: 1)
          case "tune": config.sampler.tune = try int(v, k, minimum: 0)
          case "draws": config.sampler.draws = try int(v, k, minimum: 1)
          case "seed": config.sampler.seed = UInt64(try int(v, k, minimum: 0))
          case "max_tree_depth": config.sampler.maxTreeDepth = try int(v, k, minimum: 1)
          case "warmup_max_tree_depth": config.sampler.warmupMaxTreeDepth = try int(v, k, minimum: 1)
          default:
            let t = try double(v, k)
            guard t > 0, t < 1 else { throw fail(v, k, "must be in (0, 1), got \(t)") }
            config.sampler.targetAccept = t
          }
        }
      default: break
      }
    }
    for term in TimeVaryingTerm.allCases {
      if let tvpNode = tvpNodes[term], !timeVarying.contains(term) {
        // Located at the key's line (a block mapping's value starts on the next one).
        let keyNode = root.mapping?.first { $0.key.string == term.configurationKey }?.key
        throw fail(
          keyNode ?? tvpNode, term.configurationKey,
          "is given but \(term.flag) is not true; add \(term.flag): true")
      }
    }
    if timeVarying.contains(.intercept), config.interceptTVPConfig == nil {
      config.interceptTVPConfig = .init()
    }
    if timeVarying.contains(.media), config.mediaTVPConfig == nil { config.mediaTVPConfig = .init() }
    for required in ["channel_columns"] where !seen.contains(required) {
      throw fail(root, required, "missing required key")
    }
    if config.structure == "dag", config.dag == nil {
      throw fail(root, "structure", "structure: dag needs a 'dag: FILE.dot' key naming the causal DAG")
    }
    guard !config.channelColumns.isEmpty else {
      throw fail(root, "channel_columns", "needs at least one channel")
    }
    // Prior names depend on the chosen transforms; check them now.
    let components = try ModelComponents.make(configuration: config).mapError(file: name)
    let known = components.priorNames
    for priorName in config.priors.keys {
      guard known.contains(priorName) else {
        var error = LocatedError(
          file: name, line: priorLines[priorName], column: priorName,
          "unknown prior name\(didYouMean(priorName, known))")
        error.fieldKind = "key"
        throw error
      }
    }
    // Everything else (a target listed as a channel, a column listed twice, ...) is the model's own
    // validation, located here at the key's line.
    do {
      return try config.validated()
    } catch var error as LocatedError {
      error.file = name
      let top = error.column.map { String($0.split(separator: ".").first ?? "") } ?? ""
      error.line = error.column.flatMap { detailLines[$0] } ?? priorLines[top] ?? keyLines[top] ?? error.line
      throw error
    }
  }

  /// `intercept_tvp_config` and `media_tvp_config`: PyMC-Marketing's HSGPKwargs keys; `L` and `cov_func` may be null (defaults).
  func timeVaryingSettings(_ node: Node, _ key: String) throws -> MMMConfiguration.TimeVaryingSettings {
    var settings = MMMConfiguration.TimeVaryingSettings()
    func isNull(_ v: Node) -> Bool {
      guard let s = v.scalar?.string.lowercased() else { return false }
      return s == "null" || s == "~" || s == "none" || s.isEmpty
    }
    for (k, v) in try mapping(
      node, key, allowed: ["m", "L", "eta_lam", "ls_mu", "ls_sigma", "cov_func", "demeaned_basis"])
    {
      let located = "\(key).\(k)"
      func positive() throws -> Double {
        let value = try double(v, located)
        guard value > 0, value.isFinite else {
          throw fail(v, located, "must be a finite number > 0, got \(value)")
        }
        return value
      }
      switch k {
      case "m": settings.m = try int(v, located, minimum: 1)
      case "L": settings.L = isNull(v) ? nil : try positive()
      case "eta_lam": settings.etaLam = try positive()
      case "ls_mu": settings.lsMu = try positive()
      case "ls_sigma": settings.lsSigma = try positive()
      case "demeaned_basis": settings.demeanedBasis = try bool(v, located)
      default: if !isNull(v) { settings.covFunc = try name(v, located, HSGPCovariance.self) }
      }
    }
    return settings
  }

  /// One prior: `{dist: NAME, PARAMETER: VALUE, ..., dims: [...]}`, where a value is a number or, per
  /// channel, a mapping keyed by channel, a list in channel order or `cost_share`; `lines` receives the
  /// lines of the per-channel keys.
  func prior(_ node: Node, _ key: String, lines: inout [String: Int]) throws -> MMMConfiguration.PriorSettings
  {
    guard let map = node.mapping else {
      throw fail(node, key, "expected a mapping like {dist: Gamma, alpha: 3, beta: 1}")
    }
    var distribution: PriorDistribution? = nil
    var parameters: [String: Double] = [:]
    var channelParameters: [String: MMMConfiguration.ChannelValues] = [:]
    var settings = MMMConfiguration.PriorSettings(dist: .normal, parameters: [:])
    for (k, v) in map {
      guard let name = k.string else { throw fail(k, key, "keys must be strings") }
      switch name {
      case "dist":
        distribution = try self.name(node, key, PriorDistribution.self, text: try string(v, "\(key).dist"))
      case "dims":
        // PyMC's `dims="channel"` or `dims=("geo", "channel")`.
        if let one = v.scalar?.string, one != "[]", !one.isEmpty {
          settings.dims = [one]
        } else {
          settings.dims = try strings(v, "\(key).dims")
        }
      case "pooled_over": settings.pooledOver = try string(v, "\(key).pooled_over")
      case "pooling_sigma": settings.poolingSigma = try double(v, "\(key).pooling_sigma")
      case "centered": settings.centered = try bool(v, "\(key).centered")
      default:
        let allowedParameters = ["mu", "sigma", "alpha", "beta", "lam", "b", "nu", "lower", "upper"]
        guard allowedParameters.contains(name) else {
          throw fail(
            k, "\(key).\(name)",
            "unknown key\(didYouMean(name, allowedParameters + ["dist", "dims", "pooled_over", "centered"]))")
        }
        let path = "\(key).\(name)"
        lines[path] = k.mark?.line
        if let values = v.mapping {
          var byChannel: [String: Double] = [:]
          for (channelNode, valueNode) in values {
            guard let channel = channelNode.string else {
              throw fail(channelNode, path, "keys must be channel names")
            }
            lines["\(path).\(channel)"] = channelNode.mark?.line
            byChannel[channel] = try double(valueNode, "\(path).\(channel)")
          }
          channelParameters[name] = .byChannel(byChannel)
        } else if let list = v.sequence {
          channelParameters[name] = .inChannelOrder(try list.map { try double($0, path) })
        } else if v.scalar?.string == MMMConfiguration.ChannelValues.costShareName {
          channelParameters[name] = .costShare
        } else if let text = v.scalar?.string, Double(text) == nil,
          !["inf", ".inf", "-inf", "-.inf"].contains(text.lowercased())
        {
          throw fail(
            v, path,
            "'\(text)' is not a number, a mapping by channel, a list in channel order or "
              + "\(MMMConfiguration.ChannelValues.costShareName)"
              + didYouMean(text, [MMMConfiguration.ChannelValues.costShareName]))
        } else {
          parameters[name] = try double(v, path)
        }
      }
    }
    guard let distribution else { throw fail(node, key, "missing 'dist'") }
    (settings.dist, settings.parameters) = (distribution, parameters)
    if !channelParameters.isEmpty {
      // Checked against the channels by the one validation once the whole file is read.
      settings.channelParameters = channelParameters
    } else if case .failure(let e) = Prior.make(distribution, parameters: parameters) {
      throw fail(node, key, e.message)
    }
    if let pooled = settings.pooledOver, pooled != "geo" {
      throw fail(node, "\(key).pooled_over", "only 'geo' is supported, got '\(pooled)'")
    }
    return settings
  }
}

extension MMMConfiguration.CodingKeys {
  static var allValues: [String] {
    [
      "date_column", "target_column", "channel_columns", "control_columns", "geo_column", "adstock",
      "saturation",
      "adstock_first", "yearly_seasonality", "trend", "likelihood", "priors", "lift_test_likelihood",
      "sampler", "dag", "structure", "time_varying_intercept", "intercept_tvp_config", "time_varying_media",
      "media_tvp_config",
    ]
  }
}
