import CausalMMMCore
import Dispatch
import Foundation
import Inference
import MMM

// mmm-benchmark: the MMM log density's throughput on a data table (release build).
//   mmm-benchmark CONFIG DATA [EVALUATIONS] [THREADS]
// Builds the model from the configuration and the CSV, evaluates the log density and its gradient
// EVALUATIONS times (default 200) at a fixed point (seeded, 0.5 standard normal per coordinate) with
// THREADS gradient threads (default 1), and prints gradients/s and a checksum of the last evaluation.
// For instruction counts run it under `valgrind --tool=callgrind` with a small EVALUATIONS.

func seconds(since start: DispatchTime) -> Double {
  Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  FileHandle.standardError.write(Data("usage: mmm-benchmark CONFIG DATA [EVALUATIONS] [THREADS]\n".utf8))
  exit(2)
}
let evaluations = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200
let threads = arguments.count > 4 ? Int(arguments[4]) ?? 1 : 1
do {
  let buildStart = DispatchTime.now()
  let configuration = try MMMConfiguration.read(path: arguments[1])
  let table = try FitArchive.readData(path: arguments[2], configuration: configuration, requireTarget: true)
  let model = try MMMModel(configuration: configuration, data: table).withGradientThreads(threads)
  print(String(format: "model: dimension %d, built in %.2f s", model.dimension, seconds(since: buildStart)))
  var generator = Xoshiro256StarStar(seed: 1)
  let point = (0..<model.dimension).map { _ in 0.5 * generator.nextNormal() }
  var gradient = [Double](repeating: 0, count: model.dimension)
  var value = 0.0
  let start = DispatchTime.now()
  point.withUnsafeBufferPointer { p in
    gradient.withUnsafeMutableBufferPointer { g in
      for _ in 0..<evaluations { value = model.logDensity(at: p, gradient: g) }
    }
  }
  let elapsed = seconds(since: start)
  let norm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
  print(
    String(
      format: "%d gradient evaluations on %d thread(s): %.3f s, %.1f gradients/s (%.3f ms each)",
      evaluations, threads, elapsed, Double(evaluations) / elapsed, 1000 * elapsed / Double(evaluations)))
  print("log density \(value), |gradient| \(norm)")
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
