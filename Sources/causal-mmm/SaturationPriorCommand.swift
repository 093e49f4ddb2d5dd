import ArgumentParser
import CausalMMMCore
import Foundation
import Inference
import MMM

struct SaturationPriorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "saturation-prior",
    abstract: "Fit a Michaelis-Menten curve to measured spend changes and turn it into informative priors.",
    discussion: """
      Reads the spend-change points written by `causal-mmm its --spend ... --out FILE`, scales them as the
      MMM does (spend / max spend of --channel, sales / max |--target| in --data), samples the posterior of
      (saturation_alpha, saturation_lam) under the MMM's default priors, and finds the --family member with
      --mass of its probability inside each 94% HDI (constrained-prior solver). Writes a `priors:` YAML block.
      """)

  @Option(help: "Comma-separated JSON files from `causal-mmm its --spend`.") var points: String
  @Option(help: "The MMM's data CSV (for the scales).") var data: String
  @Option(help: "The MMM's target column.") var target: String
  @Option(help: "The channel the experiments changed.") var channel: String
  @Option(name: .customLong("date-column"), help: "The date column.") var dateColumn: String = "date"
  @Option(help: "Prior family (Gamma, LogNormal, Normal, Beta, ...).") var family: String = "Gamma"
  @Option(help: "Prior mass inside the posterior HDI.") var mass: Double = 0.94
  @Option(help: "Random seed.") var seed: UInt64 = 4
  @Option(help: "Write the `priors:` YAML block here.") var out: String?

  func run() throws {
    do {
      let table = try MMMData.readCSV(
        path: data, dateColumn: dateColumn, geoColumn: nil, numericColumns: [target, channel],
        rejectOtherColumns: false)
      let xScale = table.columns[channel]!.max() ?? 1
      let yScale = table.columns[target]!.map(abs).max() ?? 1
      let measured = try commaSeparated(points).map { path -> SpendChangePoint in
        guard let data = FileManager.default.contents(atPath: path),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let change = object["spend_change"],
          let encoded = try? JSONSerialization.data(withJSONObject: change),
          let point = try? JSONDecoder().decode(SpendChangePoint.self, from: encoded)
        else { throw LocatedError(file: path, column: "spend_change", "missing or not {x0, x1, delta_y, sigma}") }
        return point
      }
      var sampler = SamplerConfiguration()
      sampler.chains = 2
      sampler.tune = 1000
      sampler.draws = 2000
      sampler.seed = seed
      sampler.targetAccept = 0.95
      let fit = try MichaelisMentenFromExperiments(points: measured, xScale: xScale, yScale: yScale, sampler: sampler)
      let priors = try fit.informativePriors(family: family, mass: mass)
      func f(_ v: Double) -> String { String(format: "%.3f", v) }
      print("scales: \(channel) max \(f(xScale)), \(target) max |y| \(f(yScale)); \(measured.count) point(s)")
      for (name, s, scale, mode) in [
        ("alpha", fit.alpha, yScale, fit.mode.alpha), ("lam", fit.lam, xScale, fit.mode.lam),
      ] {
        print("\(name): mode \(f(mode * scale)), mean \(f(s.mean * scale)) [94% HDI \(f(s.hdiLower * scale)), "
          + "\(f(s.hdiUpper * scale))] in data units; scaled mean \(f(s.mean)) [\(f(s.hdiLower)), \(f(s.hdiUpper))]")
      }
      var yaml = "priors:\n"
      for (name, prior) in [("saturation_alpha", priors.alpha), ("saturation_lam", priors.lam)] {
        let parameters = prior.parameters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        yaml += "  \(name): {dist: \(prior.distributionName), \(parameters.joined(separator: ", "))}\n"
      }
      print(yaml, terminator: "")
      if let out { try yaml.write(toFile: out, atomically: true, encoding: .utf8) }
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw error
    }
  }
}
