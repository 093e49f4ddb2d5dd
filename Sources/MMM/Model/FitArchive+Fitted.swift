import CausalMMMCore
import Foundation

extension FitArchive {
  /// `fitted.csv`: per date and geo, the observed target, the posterior mean fit (expected outcome)
  /// with its 94% HDI, the 94% posterior predictive interval (observation noise included) and the
  /// baseline (the fitted mean minus every channel's contribution: intercept, controls,
  /// seasonality, trend), original units. Rows are ordered like `contributions.csv` (geo, then date).
  /// `contributions` are `fit.contributions()`. Written a line at a time.
  static func writeFittedCSV(
    _ fit: FittedMMM, prediction: PredictionResult, data: MMMData, contributions: [ChannelContribution],
    to url: URL
  ) throws {
    let panel = try Panel(data: data, configuration: fit.model.configuration, requireTarget: true)
    let T = prediction.dates.count
    let file = try TextFileWriter(url: url)
    try file.write("date,geo,observed,mean,hdi_3%,hdi_97%,pp_3%,pp_97%,baseline_mean\n")
    for (g, geo) in prediction.geoNames.enumerated() {
      let modelGeo = fit.model.geoNames.firstIndex(of: geo)
      let observedGeo = panel.geoNames.firstIndex(of: geo)
      for (t, date) in prediction.dates.enumerated() {
        let expected = prediction.expected[g][t]
        let predictive = prediction.predictive[g][t]
        var channels = 0.0
        if let modelGeo {
          for contribution in contributions { channels += contribution.series[modelGeo][t].mean }
        }
        let observed = observedGeo.map { panel.target[$0 * T + t] } ?? .nan
        let values = [
          observed, expected.mean, expected.hdiLower, expected.hdiUpper, predictive.hdiLower,
          predictive.hdiUpper, expected.mean - channels,
        ]
        try file.write("\(date),\(geo)," + values.map(number).joined(separator: ",") + "\n")
      }
    }
    try file.finish()
  }
}
