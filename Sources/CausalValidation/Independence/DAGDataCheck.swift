import CausalGraph
import CausalMMMCore
import MMM

// Testing a DAG against data: every pairwise conditional independence the DAG implies is tested
// with a partial-correlation test, the p-values are corrected for multiplicity, and each rejected
// independence is reported with the edges whose addition would explain it.
//
// Which statements: by default DAGitty's basis set (`impliedConditionalIndependencies(type =
// "basis.set")`, the local Markov property v ⊥ ND(v) \ Pa(v) | Pa(v)). A statement with several
// separated nodes is split into one test per node w: v ⊥ w | Pa(v). Each pairwise test is a
// consequence of the statement (decomposition), the pairs together imply it for Gaussian data only up
// to the joint test DAGitty runs with a canonical correlation; here every pair is reported and
// corrected as one family, so the verdict names the two variables that disagree with the DAG. A pair
// that two statements yield with the same conditioning set (w ⊥ v | S from v's statement and v ⊥ w | S
// from w's) is tested once.
// `allPairs` tests one statement per non-adjacent observed pair instead
// (``CausalDAG/impliedConditionalIndependencies()``).
//
// Latent nodes: nodes declared latent, and DAG nodes with no column in the data, are unobserved. A
// pair whose two variables or conditioning set include one cannot be tested and is listed as skipped.
// Geo panels: a DAG node named like the geo column is observed; conditioning on it is what the
// within-geo residualisation (and the pooled test's geo intercepts) does, and a pair involving it
// (a category, not a number) is listed as not tested.

/// Options of ``DAGDataCheck``.
public struct DAGTestOptions: Sendable, Hashable {
  /// Which implied independencies to test.
  public enum StatementSet: String, Sendable, Hashable, Codable {
    /// DAGitty's basis set (local Markov statements), split into pairs.
    case basisSet = "basis-set"
    /// One statement per non-adjacent pair of observed nodes.
    case allPairs = "all-pairs"
  }

  /// The test; ``IndependenceTestMethod/hac`` by default (time series).
  public var method: IndependenceTestMethod
  /// The significance level of the verdicts.
  public var alpha: Double
  /// The multiple-testing correction applied to the family of tests.
  public var correction: MultipleTestingCorrection
  /// Which statements are tested.
  public var statements: StatementSet
  /// The level of the reported confidence intervals.
  public var confidenceLevel: Double

  /// Creates options.
  public init(
    method: IndependenceTestMethod = .hac, alpha: Double = 0.05,
    correction: MultipleTestingCorrection = .holm,
    statements: StatementSet = .basisSet, confidenceLevel: Double = 0.95
  ) {
    self.method = method
    self.alpha = alpha
    self.correction = correction
    self.statements = statements
    self.confidenceLevel = confidenceLevel
  }
}

/// A pairwise statement by node names: `node ⊥ other | given`.
public struct NamedIndependence: Sendable, Hashable, Codable {
  /// The first variable.
  public let node: String
  /// The second variable.
  public let other: String
  /// The conditioning set, sorted.
  public let given: [String]

  /// `node _||_ other | a, b`, as DAGitty prints it.
  public var description: String {
    "\(node) _||_ \(other)" + (given.isEmpty ? "" : " | " + given.joined(separator: ", "))
  }
}

/// An edge `from -> to` by names.
public struct NamedEdge: Sendable, Hashable, Codable {
  /// The tail.
  public let from: String
  /// The head.
  public let to: String
}

/// The result of testing a DAG against data.
public struct DAGTestReport: Sendable, Codable {
  /// One tested independence.
  public struct Test: Sendable, Codable {
    /// The statement.
    public let statement: NamedIndependence
    /// The test's result (within geo for geo panels).
    public let result: PartialCorrelationResult
    /// The p-value after the multiple-testing correction.
    public let adjustedPValue: Double
    /// Whether the independence is rejected (adjusted p < alpha).
    public let rejected: Bool
    /// Geo panels only: the pooled test (geo intercepts, common slopes).
    public let pooled: PartialCorrelationResult?
    /// Edges, each acyclic to add, after whose addition the DAG no longer implies the statement.
    public let explainingEdges: [NamedEdge]
  }

  /// A statement that was not tested, and why.
  public struct Skipped: Sendable, Codable {
    /// The statement.
    public let statement: NamedIndependence
    /// Why it was not tested.
    public let reason: String
  }

  /// The tests, strongest evidence against the DAG first (ascending p-value).
  public let tests: [Test]
  /// The statements that could not be tested.
  public let skipped: [Skipped]
  /// The number of statements before splitting into pairs (local Markov statements, or pairs).
  public let statementCount: Int
  /// The options used.
  public let method: IndependenceTestMethod
  /// The significance level.
  public let alpha: Double
  /// The correction.
  public let correction: MultipleTestingCorrection
  /// Which statements were tested.
  public let statements: DAGTestOptions.StatementSet
  /// The number of data rows.
  public let rows: Int
  /// The number of geos (1 for a national table).
  public let geos: Int
  /// The DAG nodes with no column in the data (treated as latent).
  public let missingColumns: [String]

  /// The rejected tests.
  public var rejected: [Test] { tests.filter(\.rejected) }

  /// "3 of 21 implications rejected at 5% after Holm correction".
  public var summary: String {
    let level = alpha * 100
    let percent = level == level.rounded() ? "\(Int(level))%" : "\(level)%"
    let after = correction == .none ? "without correction" : "after \(correction.displayName) correction"
    return "\(rejected.count) of \(tests.count) implications rejected at \(percent) \(after)"
  }
}

/// A data table arranged for the tests: one numeric column per observed DAG variable, rows grouped by
/// geo and in date order within each geo.
public struct DAGTestData: Sendable {
  /// Column values by variable name.
  public let columns: [String: [Double]]
  /// Row ranges of the geos (one range without a geo column).
  public let segments: [Range<Int>]
  /// The number of rows.
  public let rowCount: Int
  /// The geo column's name: a DAG node of that name is observed, and conditioning on it is what the
  /// within-geo residualisation does.
  public let geoColumn: String?

  /// Arranges `data`: rows sorted by (geo, date).
  /// - Parameter geoColumn: the name of the data's geo column, if the DAG may have a node for it.
  /// - Throws: `LocatedError` for a constant column or a date repeated within a geo.
  public init(_ data: MMMData, geoColumn: String? = nil) throws {
    let order = data.dates.indices.sorted {
      ((data.geos?[$0] ?? ""), data.dates[$0], $0) < ((data.geos?[$1] ?? ""), data.dates[$1], $1)
    }
    var segments: [Range<Int>] = []
    var start = 0
    for (position, row) in order.enumerated() where position > 0 {
      let previous = order[position - 1]
      if data.geos?[row] != data.geos?[previous] {
        segments.append(start..<position)
        start = position
      } else if data.dates[row] == data.dates[previous] {
        throw LocatedError(
          file: data.sourceName, line: data.line(ofRow: row),
          "date \(data.dates[row]) appears twice\(data.geos.map { " for geo '\($0[row])'" } ?? "")"
            + (data.geos == nil ? " (pass --geo-column for a geo panel)" : ""))
      }
    }
    segments.append(start..<order.count)
    var columns: [String: [Double]] = [:]
    for (name, values) in data.columns {
      let arranged = order.map { values[$0] }
      if let first = arranged.first, arranged.allSatisfy({ $0 == first }) {
        throw LocatedError(file: data.sourceName, column: name, "is constant (\(first)): nothing to test")
      }
      columns[name] = arranged
    }
    self.columns = columns
    self.segments = segments
    self.geoColumn = data.geos == nil ? nil : geoColumn
    rowCount = order.count
  }
}

/// Tests a DAG's implied conditional independencies against data.
public enum DAGDataCheck {
  /// Tests every implied pairwise independence among the variables the data holds.
  ///
  /// - Parameters:
  ///   - dag: the DAG; nodes without a data column are treated as latent.
  ///   - data: the data (``DAGTestData``).
  ///   - options: ``DAGTestOptions``.
  /// - Returns: the report, tests ranked by evidence against the DAG.
  public static func run(dag: CausalDAG, data: DAGTestData, options: DAGTestOptions = DAGTestOptions())
    -> DAGTestReport
  {
    let geoNode = data.geoColumn.flatMap { dag.index(of: $0) }
    let observed = dag.nodes.indices.map { !dag.nodes[$0].isLatent && data.columns[dag.name(of: $0)] != nil }
    let missing = dag.nodes.indices.filter {
      !dag.nodes[$0].isLatent && data.columns[dag.name(of: $0)] == nil && $0 != geoNode
    }
    let pairs: [ConditionalIndependencePair]
    let statementCount: Int
    switch options.statements {
    case .basisSet:
      let statements = dag.basisSetIndependencies()
      statementCount = statements.count
      // Two unconditional statements, or two with the same parents, can yield the same pair twice
      // (v ⊥ w | S and w ⊥ v | S): one test.
      var seen = Set<[Int]>()
      pairs = statements.flatMap(\.pairs).filter {
        seen.insert([min($0.node, $0.other), max($0.node, $0.other)] + $0.given).inserted
      }
    case .allPairs:
      // Latent by declaration and by absence alike: the separators must be made of observed nodes.
      let marked = (try? dag.markingLatent(missing.map { dag.name(of: $0) })) ?? dag
      pairs = marked.impliedConditionalIndependencies().map { statement in
        ConditionalIndependencePair(node: statement.first, other: statement.second, given: statement.given)
      }
      statementCount = pairs.count
    }
    func named(_ pair: ConditionalIndependencePair) -> NamedIndependence {
      NamedIndependence(
        node: dag.name(of: pair.node), other: dag.name(of: pair.other), given: dag.sortedNames(of: pair.given)
      )
    }
    var skipped: [DAGTestReport.Skipped] = []
    typealias Tested = (
      pair: ConditionalIndependencePair, result: PartialCorrelationResult, pooled: PartialCorrelationResult?
    )
    var tested: [Tested] = []
    for pair in pairs {
      if let geoNode, pair.node == geoNode || pair.other == geoNode {
        skipped.append(
          .init(
            statement: named(pair),
            reason: "\(dag.name(of: geoNode)) is the geo column, a category: it is conditioned on, not tested"
          ))
        continue
      }
      let unobserved = Set(pair.variables.filter { !observed[$0] && $0 != geoNode }).sorted {
        dag.name(of: $0) < dag.name(of: $1)
      }
      if !unobserved.isEmpty {
        let how = unobserved.map {
          dag.nodes[$0].isLatent ? "\(dag.name(of: $0)) (latent)" : "\(dag.name(of: $0)) (no data column)"
        }
        skipped.append(
          .init(statement: named(pair), reason: "involves unobserved " + how.joined(separator: ", ")))
        continue
      }
      // Every variable of the pair is observed, so each has a column.
      let column = { (node: Int) in data.columns[dag.name(of: node)] ?? [] }
      let run = { (within: Bool) in
        PartialCorrelationTest.test(
          // Conditioning on the geo node is the residualisation within geo (or on geo intercepts).
          x: column(pair.node), y: column(pair.other), given: pair.given.filter { $0 != geoNode }.map(column),
          segments: data.segments,
          withinSegments: within, method: options.method, confidenceLevel: options.confidenceLevel)
      }
      guard let result = run(true) else {
        skipped.append(
          .init(
            statement: named(pair),
            reason: "a variable is an exact linear function of the conditioning set, or too few rows"))
        continue
      }
      tested.append((pair, result, data.segments.count > 1 ? run(false) : nil))
    }
    let adjusted = options.correction.adjust(tested.map(\.result.pValue))
    var tests: [DAGTestReport.Test] = []
    for (index, entry) in tested.enumerated() {
      let rejected = adjusted[index] < options.alpha
      tests.append(
        DAGTestReport.Test(
          statement: named(entry.pair), result: entry.result, adjustedPValue: adjusted[index],
          rejected: rejected,
          pooled: entry.pooled,
          explainingEdges: rejected ? explainingEdges(for: entry.pair, in: dag) : []))
    }
    let ranked = tests.enumerated().sorted {
      ($0.element.result.pValue, -abs($0.element.result.statistic), $0.offset)
        < ($1.element.result.pValue, -abs($1.element.result.statistic), $1.offset)
    }.map(\.element)
    return DAGTestReport(
      tests: ranked, skipped: skipped, statementCount: statementCount, method: options.method,
      alpha: options.alpha,
      correction: options.correction, statements: options.statements, rows: data.rowCount,
      geos: data.segments.count, missingColumns: dag.sortedNames(of: missing))
  }

  /// The edges between the pair's two variables (either direction) that keep the graph acyclic and
  /// after whose addition the pair is no longer d-separated by its conditioning set.
  static func explainingEdges(for pair: ConditionalIndependencePair, in dag: CausalDAG) -> [NamedEdge] {
    var edges: [NamedEdge] = []
    for (from, to) in [(pair.other, pair.node), (pair.node, pair.other)]
    where dag.canAddEdge(from: from, to: to) {
      let extended = dag.edges + [CausalDAG.Edge(from: from, to: to)]
      guard let candidate = try? CausalDAG(nodes: dag.nodes, edgeIndices: extended) else { continue }
      if !candidate.isDSeparated([pair.node], [pair.other], given: pair.given) {
        edges.append(NamedEdge(from: dag.name(of: from), to: dag.name(of: to)))
      }
    }
    return edges
  }
}

extension DAGDataCheck {
  /// One warning per implication of `dag` that `data` rejects (HAC test, Holm-corrected, basis set),
  /// for `fit` and `plan --data`: columns absent from the data are treated as latent, so only what
  /// the model read is tested. Empty when nothing is rejected; a table the tests cannot use (a
  /// constant column, a repeated date) gives one warning saying so instead of stopping the fit.
  public static func warnings(dag: CausalDAG, data: MMMData, options: DAGTestOptions = DAGTestOptions())
    -> [String]
  {
    let table: DAGTestData
    do {
      table = try DAGTestData(data)
    } catch {
      return ["the DAG's implications were not tested on the data: \(error)"]
    }
    return warnings(dag: dag, table: table, options: options)
  }

  /// One warning per implication of `dag` that `table` rejects (see ``warnings(dag:data:options:)``).
  public static func warnings(dag: CausalDAG, table: DAGTestData, options: DAGTestOptions = DAGTestOptions())
    -> [String]
  {
    let report = run(dag: dag, data: table, options: options)
    return report.rejected.map { test in
      let edges = test.explainingEdges.map { "\($0.from) -> \($0.to)" }
      return
        "the data reject the DAG's implication \(test.statement.description) (\(options.method.rawValue) test, "
        + "adjusted p = \(String(format: "%.2g", test.adjustedPValue)), \(report.summary)); the DAG may miss "
        + (edges.isEmpty ? "an edge" : "one of: " + edges.joined(separator: ", "))
        + " (causal-mmm test-dag shows every test)"
    }
  }
}
