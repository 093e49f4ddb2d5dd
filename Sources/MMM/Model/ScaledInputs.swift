import Inference
import RealModule

/// Scaled model inputs on a (geo × date) grid.
struct ScaledInputs: Sendable {
  let dateCount: Int
  let geoCount: Int
  /// `channels[(g * C + c) * T + t]`, divided by the channel scales.
  let channels: [Double]
  /// `controls[(g * K + k) * T + t]`, unscaled (as PyMC-Marketing).
  let controls: [Double]
  /// Fourier modes (sin_1..sin_n, cos_1..cos_n), then the trend, `features[f * T + t]`.
  let features: [Double]
  let featureCount: Int
  /// The centred time index of each date (`TimeIndex`), where the time-varying terms are evaluated.
  let times: [Double]

  init(
    panel: Panel, configuration: MMMConfiguration, channelScales: [Double], trendStart: Int, trendSpan: Int,
    timeIndex: TimeIndex
  ) {
    let T = panel.dateCount
    let C = channelScales.count
    dateCount = T
    geoCount = panel.geoCount
    var x = panel.channels
    for g in 0..<panel.geoCount {
      for c in 0..<C {
        for t in 0..<T { x[(g * C + c) * T + t] /= channelScales[c] }
      }
    }
    channels = x
    controls = panel.controls
    var features: [Double] = []
    let n = configuration.yearlySeasonality
    for kind in 0..<(n > 0 ? 2 : 0) {
      for k in 1...max(n, 1) {
        for date in panel.dates {
          let angle = 2 * Double.pi * Double(k) * Double(date.dayOfYear) / 365.25
          features.append(kind == 0 ? Double.sin(angle) : Double.cos(angle))
        }
      }
    }
    if configuration.trend {
      for date in panel.dates {
        features.append(Double(date.daysSinceEpoch - trendStart) / Double(trendSpan))
      }
    }
    self.features = features
    featureCount = features.count / max(T, 1)
    times = panel.dates.map { timeIndex.point($0) }
  }

  /// `channels` (`[(g * C + c) * T + t]`) four channels at a time, interleaved by date
  /// (`MMMModel.channelQuads`).
  static func quads(_ channels: [Double], geoCount G: Int, dateCount T: Int) -> [Double] {
    let C = G * T > 0 ? channels.count / (G * T) : 0
    let Q = C / 4
    var interleaved = [Double](repeating: 0, count: G * Q * T * 4)
    for g in 0..<G {
      for q in 0..<Q {
        for t in 0..<T {
          for k in 0..<4 {
            interleaved[((g * Q + q) * T + t) * 4 + k] = channels[(g * C + 4 * q + k) * T + t]
          }
        }
      }
    }
    return interleaved
  }
}
