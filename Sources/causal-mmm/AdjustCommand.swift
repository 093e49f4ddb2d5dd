import ArgumentParser
import CausalGraph
import Reports

struct AdjustCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "adjust",
    abstract: "Adjustment sets for the total effect of a treatment on an outcome.",
    discussion: """
      Example: causal-mmm adjust dags/calibration_trap.dot --check-set events,spend_x1
      The recommended set is the smallest valid set plus the outcome's parents that sharpen the
      estimate (the same set render draws and plan proposes).
      """)

  @OptionGroup var query: DAGQueryOptions
  @Option(help: "Comma-separated nodes no set may contain (e.g. unmeasured columns).") var forbid: String?
  @Option(help: "Comma-separated nodes every set must contain.") var require: String?
  @Option(help: "List at most this many minimal sets.") var max: Int?
  @Option(name: .customLong("check-set"), help: "Comma-separated set to check and explain.") var checkSet:
    String?
  @Option(help: "Output format: text or json.") var format: OutputFormat = .text

  func run() throws {
    let resolved = try query.load(requireQuery: true)
    let problem = try query.problem(
      resolved, excluding: commaSeparated(forbid), requiring: commaSeparated(require))
    var checked: AdjustmentSetCheck? = nil
    if let checkSet {
      do { checked = problem.check(try resolved.dag.indices(of: commaSeparated(checkSet))) } catch {
        throw locate(error, file: query.file)
      }
    }
    let report = AdjustmentReport(problem: problem, limit: max)
    print(format == .json ? report.json().rendered() : report.text(checked: checked))
  }
}
