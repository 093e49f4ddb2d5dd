import ArgumentParser
import CausalGraph
import CausalMMMCore
import CausalValidation
import Reports

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Turn a causal DAG into model specifications: per channel its adjustment set, and which "
      + "channels' total effects a joint model (all channels + controls) estimates.",
    discussion: """
      Example: causal-mmm plan dags/calibration_trap.dot --outcome target \\
                 --channels impressions_x1,impressions_x2,impressions_x3,impressions_x4
      """)

  @OptionGroup var dag: DAGFileOptions
  @Option(help: "The outcome node (default: the node declared role=outcome).") var outcome: String?
  @Option(help: "Comma-separated media channels.") var channels: String
  @Option(help: "Comma-separated controls of the proposed joint model (beside all channels).") var controls:
    String?
  @Option(help: "Output format: text or json.") var format: OutputFormat = .text
  @Option(help: "A data CSV: test the DAG's implications on its columns (HAC, Holm) before planning.")
  var data: String?
  @Option(name: .customLong("date-column"), help: "The data's date column.") var dateColumn: String = "date"

  func run() throws {
    let query = try DAGQuery.load(
      file: dag.file, treatment: nil, outcome: outcome, latent: dag.latent, requireQuery: false)
    guard let outcomeIndex = query.outcomes.first else {
      throw LocatedError(file: dag.file, message: "no outcome: pass --outcome Y or declare role=outcome")
    }
    let plan: CausalPlan
    do {
      plan = try CausalPlanner.plan(
        dag: query.dag, outcome: query.dag.name(of: outcomeIndex), channels: commaSeparated(channels),
        controls: commaSeparated(controls))
    } catch {
      throw locate(error, file: dag.file)
    }
    let dataWarnings = try data.map { path in
      DAGDataCheck.warnings(
        dag: query.dag,
        table: try DAGTestData.read(path: path, dag: query.dag, dateColumn: dateColumn, geoColumn: nil))
    }
    switch format {
    case .json: print(PlanReport.json(plan, dataWarnings: dataWarnings).rendered())
    case .text: print(PlanReport.text(plan, dataWarnings: dataWarnings), terminator: "")
    }
  }
}
