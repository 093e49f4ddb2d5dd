import CausalMMMCore
import Dispatch
import Foundation
import Inference
import RealModule

/// Simulation-based calibration (Talts et al. 2018) of NUTS on `HierarchicalNormalDensity`:
/// draw parameters from the prior, simulate data, fit, and record the rank of each true value
/// among `kept` thinned posterior draws. Uniform ranks ⇔ calibrated sampler; reported as a
/// chi-square p-value per parameter over `bins` equal bins.
func runSimulationBasedCalibration(replicates: Int, groups: Int, seed: UInt64) {
  let perGroup = 3.0
  let kept = 99
  let thin = 10
  let bins = 20
  let names = ["mu", "tau"] + (1...groups).map { "theta[group_\($0)]" }
  final class RankTable: @unchecked Sendable {
    var ranks: [[Int]]
    var divergences = 0
    let lock = NSLock()
    init(replicates: Int) { ranks = Array(repeating: [], count: replicates) }
  }
  let table = RankTable(replicates: replicates)
  let start = Date()
  let workers = ProcessInfo.processInfo.activeProcessorCount
  DispatchQueue.concurrentPerform(iterations: workers) { worker in
    var replicate = worker
    while replicate < replicates {
      var generator = Xoshiro256StarStar.stream(seed: seed, index: replicate)
      let mu = generator.nextNormal()
      let tau = abs(generator.nextNormal())
      let theta = (0..<groups).map { _ in mu + tau * generator.nextNormal() }
      let groupMeans = theta.map { $0 + generator.nextNormal() / perGroup.squareRoot() }
      let truth = [mu, tau] + theta
      var configuration = SamplerConfiguration()
      configuration.chains = 1
      configuration.tune = 500
      configuration.draws = kept * thin
      configuration.seed = seed &+ UInt64(replicate) &+ 1
      configuration.maxThreads = 1
      configuration.targetAccept = 0.9
      do {
        let posterior = try sampleNUTS(
          HierarchicalNormalDensity(groupMeans: groupMeans, perGroup: perGroup), configuration: configuration)
        let values = posterior.chains[0].values
        let thinned = stride(from: thin - 1, to: values.count, by: thin).map { values[$0] }
        let ranks = truth.indices.map { k in thinned.filter { $0[k] < truth[k] }.count }
        table.lock.lock()
        table.ranks[replicate] = ranks
        table.divergences += posterior.divergences
        table.lock.unlock()
      } catch {
        print("replicate \(replicate): \(error)")
      }
      replicate += workers
    }
  }
  let seconds = Date().timeIntervalSince(start)
  let complete = table.ranks.filter { !$0.isEmpty }
  print(
    "SBC: \(complete.count) replicates, \(groups) groups, \(kept) thinned draws (1 chain, tune 500, "
      + "draws \(kept * thin), thin \(thin)), \(bins) rank bins, \(String(format: "%.1f", seconds)) s, "
      + "divergences \(table.divergences)")
  let expected = Double(complete.count) / Double(bins)
  print(
    "parameter            chi2(df=\(bins - 1))   p-value   min/max bin count (expected \(String(format: "%.1f", expected)))"
  )
  for (k, name) in names.enumerated() {
    var counts = [Int](repeating: 0, count: bins)
    // Ranks 0...kept (kept + 1 = 100 values) fall into `bins` bins of 5.
    for ranks in complete { counts[ranks[k] * bins / (kept + 1)] += 1 }
    let statistic = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    let p = SpecialCDF.chiSquareSurvival(statistic, degrees: bins - 1)
    print(
      name.padding(toLength: 20, withPad: " ", startingAt: 0)
        + String(format: " %8.2f      %.4f    %d/%d", statistic, p, counts.min() ?? 0, counts.max() ?? 0))
  }
}
