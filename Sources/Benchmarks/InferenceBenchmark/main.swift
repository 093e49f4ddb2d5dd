import CausalMMMCore
import Dispatch
import Foundation
import Inference

// inference-benchmark: throughput of the sampler (release build) and validation runs.
//   inference-benchmark [bench [all|normal|schools|regression] [THREADS]]  gradient evals/s and ESS/s on the 100-d normal,
//                                        eight schools and an MMM-sized regression
//   inference-benchmark sbc [N] [J]      simulation-based calibration, N replicates (default 500)
//   inference-benchmark csv DIR          eight-schools CmdStan CSVs + summary.json into DIR

func seconds(since start: DispatchTime) -> Double {
  Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// CPU seconds used by this process so far (all threads): robust to other load on the machine.
func processCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func gradientThroughput<D: LogDensity>(_ density: D, evaluations: Int) -> Double {
  var generator = Xoshiro256StarStar(seed: 1)
  let point = (0..<density.dimension).map { _ in 0.5 * generator.nextNormal() }
  var gradient = [Double](repeating: 0, count: density.dimension)
  var sink = 0.0
  let start = DispatchTime.now()
  point.withUnsafeBufferPointer { p in
    gradient.withUnsafeMutableBufferPointer { g in
      for _ in 0..<evaluations { sink += density.logDensity(at: p, gradient: g) }
    }
  }
  let elapsed = seconds(since: start)
  if sink == .infinity { print(sink) }
  return Double(evaluations) / elapsed
}

func benchmark<D: LogDensity>(
  _ name: String, _ density: D, evaluations: Int, configuration: SamplerConfiguration
) throws {
  let rawRate = gradientThroughput(density, evaluations: evaluations)
  let cpuBefore = processCPUSeconds()
  let posterior = try sampleNUTS(density, configuration: configuration)
  let cpuSeconds = processCPUSeconds() - cpuBefore
  let leapfrogs = posterior.chains.reduce(0) { $0 + $1.warmupLeapfrogSteps } + posterior.leapfrogSteps
  let summary = posterior.summary()
  let essBulk = summary.map(\.essBulk)
  let minimumESS = (essBulk.min() ?? .nan)
  let medianESS = essBulk.sorted()[essBulk.count / 2]
  let maxRHat = (summary.map(\.rHat).max() ?? .nan)
  let threads = configuration.maxThreads ?? ProcessInfo.processInfo.activeProcessorCount
  print("\(name): dimension \(density.dimension)")
  print(String(format: "  density alone:   %.3g gradient evals/s (1 thread)", rawRate))
  print(
    String(
      format:
        "  NUTS %d chains x (%d tune + %d draws) on %d threads: %.2f s, %d gradient evals (%.3g/s), divergences %d",
      configuration.chains, configuration.tune, configuration.draws, min(threads, configuration.chains),
      posterior.seconds, leapfrogs, Double(leapfrogs) / posterior.seconds, posterior.divergences))
  print(
    String(
      format: "  CPU time %.2f s: %.3g gradient evals per CPU second, min ESS bulk per CPU second %.0f",
      cpuSeconds, Double(leapfrogs) / cpuSeconds, minimumESS / cpuSeconds))
  print(
    String(
      format: "  ESS bulk min %.0f (%.0f/s), median %.0f (%.0f/s); max R-hat %.4f; step sizes %@",
      minimumESS, minimumESS / posterior.seconds, medianESS, medianESS / posterior.seconds, maxRHat,
      posterior.chains.map { String(format: "%.3f", $0.stepSize) }.joined(separator: " ")))
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
  switch arguments.first ?? "bench" {
  case "bench":
    var configuration = SamplerConfiguration()
    configuration.seed = 2024
    let only = arguments.count > 1 && arguments[1] != "all" ? arguments[1] : nil
    if arguments.count > 2 { configuration.maxThreads = Int(arguments[2]) }
    if only == nil || only == "normal" {
      try benchmark(
        "100-d iid normal", IndependentNormalDensity(dimension: 100), evaluations: 2_000_000,
        configuration: configuration)
    }
    if only == nil || only == "schools" {
      try benchmark(
        "eight schools (non-centred)", EightSchoolsNonCentredDensity(), evaluations: 5_000_000,
        configuration: configuration)
    }
    if only == nil || only == "regression" {
      try benchmark(
        "MMM-sized regression (832 rows, 40 parameters)", RegressionDensity(rows: 832, columns: 39, seed: 7),
        evaluations: 20_000, configuration: configuration)
    }
  case "sbc":
    let replicates = arguments.count > 1 ? Int(arguments[1]) ?? 500 : 500
    let groups = arguments.count > 2 ? Int(arguments[2]) ?? 4 : 4
    runSimulationBasedCalibration(replicates: replicates, groups: groups, seed: 20_240_611)
  case "csv":
    guard arguments.count > 1 else {
      print("usage: inference-benchmark csv DIR")
      exit(2)
    }
    var configuration = SamplerConfiguration()
    configuration.targetAccept = 0.9
    configuration.showProgress = true
    let posterior = try sampleNUTS(EightSchoolsNonCentredDensity(), configuration: configuration)
    let directory = URL(fileURLWithPath: arguments[1])
    let files = try CmdStanCSV.writeFiles(
      posterior, directory: directory, comments: ["model": "eight_schools_noncentered"])
    try posterior.summaryJSON().write(
      to: directory.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
    print(
      "wrote \(files.map(\.lastPathComponent).joined(separator: ", ")) and summary.json to \(directory.path)")
    print("name                      mean       sd   hdi_3%  hdi_97%  mcse_mean  ess_bulk  ess_tail  r_hat")
    for row in posterior.summary() {
      print(
        row.name.padding(toLength: 22, withPad: " ", startingAt: 0)
          + String(
            format: " %8.3f %8.3f %8.3f %8.3f %10.3f %9.0f %9.0f %6.3f", row.mean, row.sd, row.hdiLower,
            row.hdiUpper,
            row.mcseMean, row.essBulk, row.essTail, row.rHat))
    }
    print(
      "divergences \(posterior.divergences), E-BFMI \(posterior.eBFMI.map { String(format: "%.2f", $0) })")
  default:
    print("usage: inference-benchmark [bench | sbc [REPLICATES] [GROUPS] | csv DIR]")
    exit(2)
  }
} catch {
  print("error: \(error)")
  exit(1)
}
