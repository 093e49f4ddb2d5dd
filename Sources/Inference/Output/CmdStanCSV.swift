import CausalMMMCore
import Foundation

/// Draws in CmdStan's CSV format, one file per chain, readable by `arviz.from_cmdstan` and
/// `cmdstanpy.from_csv`: a `#` configuration header, the column line
/// `lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,<parameters>`,
/// the adaptation block, one line per kept draw, and the timing block.
public enum CmdStanCSV {
  /// The sampler-statistic columns CmdStan writes before the parameters.
  public static let statisticColumns = [
    "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__",
  ]

  /// CmdStan column names for our parameter names.
  ///
  /// A bracketed label list `base[l1,...,lk]` becomes `base.i1.....ik`, where `i_m` is the
  /// 1-based position of `l_m` among the labels seen in dimension m of `base`, in order of
  /// first appearance: `saturation_lam[geo_00,channel_1]` → `saturation_lam.1.1`. Names
  /// without brackets are kept.
  public static func columnNames(for names: [String]) -> [String] {
    var labelIndices: [String: [[String: Int]]] = [:]
    return names.map { name in
      guard let (base, labels) = splitIndexedName(name) else { return name }
      var dimensions = labelIndices[base] ?? []
      while dimensions.count < labels.count { dimensions.append([:]) }
      var indices: [Int] = []
      for (dimension, label) in labels.enumerated() {
        if let index = dimensions[dimension][label] {
          indices.append(index)
        } else {
          let index = dimensions[dimension].count + 1
          dimensions[dimension][label] = index
          indices.append(index)
        }
      }
      labelIndices[base] = dimensions
      return ([base] + indices.map(String.init)).joined(separator: ".")
    }
  }

  /// A parameter name's base and labels: `"base[a,b]"` gives `("base", ["a", "b"])`; nil when the name
  /// has no trailing bracket list.
  public static func splitIndexedName(_ name: String) -> (String, [String])? {
    guard name.hasSuffix("]"), let open = name.firstIndex(of: "["), open != name.startIndex else {
      return nil
    }
    let base = String(name[..<open])
    let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
    let labels = inner.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    return (base, labels)
  }

  /// The CSV text of chain `chainIndex` (0-based) of `posterior`.
  ///
  /// - Parameters:
  ///   - posterior: the sampler output.
  ///   - chainIndex: which chain, 0-based (written as CmdStan's 1-based `id`).
  ///   - comments: extra `# key = value` header lines (model name, data file, ...), sorted by key.
  public static func write(_ posterior: Posterior, chainIndex: Int, comments: [String: String] = [:])
    -> String
  {
    var text = ""
    emit(posterior, chainIndex: chainIndex, comments: comments) { text += $0 + "\n" }
    return text
  }

  /// `write`'s lines, each passed to `line` without its newline.
  static func emit(
    _ posterior: Posterior, chainIndex: Int, comments: [String: String], line: (String) throws -> Void
  ) rethrows {
    let configuration = posterior.configuration
    let chain = posterior.chains[chainIndex]
    let columns = columnNames(for: posterior.parameterNames)
    try line("# stan_version_major = 2")
    try line("# stan_version_minor = 36")
    try line("# stan_version_patch = 0")
    try line("# sampler = CausalMMM Inference (Swift NUTS)")
    try line("# method = sample (Default)")
    try line("#   sample")
    try line("#     num_samples = \(configuration.draws)")
    try line("#     num_warmup = \(configuration.tune)")
    try line("#     save_warmup = 0")
    try line("#     thin = 1")
    try line("#     adapt")
    try line("#       engaged = 1")
    try line("#       delta = \(format(configuration.targetAccept))")
    try line("#       init_buffer = 75")
    try line("#       term_buffer = 50")
    try line("#       window = 25")
    try line("#     algorithm = hmc")
    try line("#       hmc")
    try line("#         engine = nuts")
    try line("#           nuts")
    try line("#             max_depth = \(configuration.maxTreeDepth)")
    // CmdStan knows diag_e and dense_e only; a block metric is reported as its diagonal, and says so.
    try line("#         metric = \(configuration.metric == .dense ? "dense_e" : "diag_e")")
    if configuration.metric == .blockDiagonal {
      try line(
        "#         metric_blocks = dense blocks adapted; the inverse mass matrix below is its diagonal")
    }
    try line("#     num_chains = 1")
    try line("# id = \(posterior.chainIndices[chainIndex] + 1)")
    try line("# random")
    try line("#   seed = \(configuration.seed)")
    for (key, value) in comments.sorted(by: { $0.key < $1.key }) { try line("# \(key) = \(value)") }
    let renamed = zip(columns, posterior.parameterNames).filter { $0.0 != $0.1 }
    if !renamed.isEmpty {
      try line("# column labels (CmdStan column : parameter name)")
      for (column, name) in renamed { try line("#   label \(column) : \(name)") }
    }
    try line((statisticColumns + columns).joined(separator: ","))
    try line("# Adaptation terminated")
    try line("# Step size = \(format(chain.stepSize))")
    if configuration.metric != .dense {
      try line("# Diagonal elements of inverse mass matrix:")
      try line("# " + chain.inverseMetric.map(format).joined(separator: ", "))
    } else {
      try line("# Elements of inverse mass matrix:")
      let n = Int(Double(chain.inverseMetric.count).squareRoot().rounded())
      for row in 0..<n {
        try line("# " + chain.inverseMetric[(row * n)..<((row + 1) * n)].map(format).joined(separator: ", "))
      }
    }
    for (stats, values) in zip(chain.stats, chain.values) {
      var fields = [
        format(stats.lp), format(stats.acceptStat), format(stats.stepSize), String(stats.treeDepth),
        String(stats.leapfrogSteps), stats.divergent ? "1" : "0", format(stats.energy),
      ]
      fields.append(contentsOf: values.map(format))
      try line(fields.joined(separator: ","))
    }
    try line("# ")
    try line("#  Elapsed Time: \(format(posterior.seconds)) seconds (Total)")
    try line("# ")
  }

  /// Writes `chain-1.csv`, `chain-2.csv`, ... into `directory` (created if needed).
  ///
  /// - Returns: the paths written.
  /// - Throws: the file system's error when the directory or a file cannot be written.
  @discardableResult
  public static func writeFiles(
    _ posterior: Posterior, directory: URL, comments: [String: String] = [:]
  ) throws -> [URL] {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return try posterior.chains.indices.map { index in
      let url = directory.appendingPathComponent("chain-\(index + 1).csv")
      // Streamed a line at a time (a chain of thousands of columns is hundreds of MB of text).
      let file = try TextFileWriter(url: url)
      try emit(posterior, chainIndex: index, comments: comments) { text in
        try file.write(text)
        try file.write(byte: UInt8(ascii: "\n"))
      }
      try file.finish()
      return url
    }
  }

  // Shortest round-trip decimal; CmdStan-compatible spellings for non-finite values.
  static func format(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
  }
}
