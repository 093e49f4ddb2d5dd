import ArgumentParser
import MMM

struct ITSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "its",
    abstract:
      "Interrupted time series: a treated series' counterfactual from a control series, effect with 94% HDI.",
    discussion: """
      Fits TREATED = intercept + slope * CONTROL + noise (Bayesian, NUTS) on the pre-period (PRE-START up to
      the day before INTERVENTION-START), predicts the counterfactual on INTERVENTION-START..INTERVENTION-END
      (inclusive) and reports the effect (observed - counterfactual) per period and summed. With --spend, the
      spend change becomes a point for `causal-mmm saturation-prior`: x0 = mean spend on the pre-period,
      x1 = mean spend on the intervention rows from --steady-from on, delta_y = mean effect per period on
      those rows (its posterior sd as sigma).
      """)

  @Option(help: "Data CSV with a date column.") var data: String
  @Option(help: "The treated series (column).") var treated: String
  @Option(help: "The control series (column).") var control: String
  @Option(name: .customLong("intervention-start"), help: "First date of the intervention (YYYY-MM-DD).")
  var interventionStart: String
  @Option(name: .customLong("intervention-end"), help: "Last date of the intervention (inclusive).")
  var interventionEnd: String
  @Option(name: .customLong("pre-start"), help: "First date of the pre-period (default: the first row).")
  var preStart: String?
  @Option(name: .customLong("date-column"), help: "The date column.") var dateColumn: String = "date"
  @Option(help: "The spend column whose change the intervention made (writes a spend-change point).")
  var spend: String?
  @Option(
    name: .customLong("steady-from"), help: "Intervention rows skipped before the steady state (carry-over).")
  var steadyFrom: Int = 0
  @OptionGroup var sampler: SamplerOptions
  @Option(help: "Write the result as JSON here.") var out: String?

  func run() throws {
    var request = InterruptedTimeSeriesRequest(
      dataPath: data, treated: treated, control: control, interventionStart: interventionStart,
      interventionEnd: interventionEnd,
      sampler: sampler.configuration(
        defaults: SamplerOptions.defaults(chains: 2, tune: 500, draws: 500, targetAccept: 0.9, seed: 4)))
    (request.preStart, request.dateColumn, request.spend, request.steadyFrom) = (
      preStart, dateColumn, spend, steadyFrom
    )
    let report = try InterruptedTimeSeries.analyse(request)
    for line in report.lines { print(line) }
    if let out { try write(report.document, to: out) }
  }
}
