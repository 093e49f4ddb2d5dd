import ArgumentParser
import CausalMMMCore
import Foundation
import GraphvizIO
import Reports

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML report (inline SVG charts, no scripts, no network).",
    discussion: """
      From a saved fit:    causal-mmm report --fit DIR [--compare DIR2] [--truth TRUTH.json] -o report.html
      The chart gallery:   causal-mmm report --gallery -o gallery.html
      TRUTH.json maps parameter names (and roas[CHANNEL]) to true values: {"saturation_lam[tv]": 2.5}.
      """)

  @Option(help: "A fit directory written by 'causal-mmm fit --out DIR'.") var fit: String?
  @Option(help: "A second fit directory to compare against the first.") var compare: String?
  @Option(help: "JSON object of true parameter values, drawn as diamonds.") var truth: String?
  @Option(help: "Comma-separated names of the fits in legends (default: the directory names).")
  var labels: String?
  @Option(help: "The report title.") var title: String?
  @Flag(help: "Write the chart gallery: every chart type on synthetic data.") var gallery = false
  @Option(name: .shortAndLong, help: "The HTML file to write.") var output: String
  @Option(help: "Also write every chart as a standalone SVG file into this directory.")
  var svgDir: String?

  func validate() throws {
    if gallery == (fit != nil) {
      throw ValidationError("pass either --fit DIR or --gallery")
    }
    if compare != nil && fit == nil {
      throw ValidationError("--compare needs --fit")
    }
  }

  func run() throws {
    let report: HTMLReport
    if gallery {
      report = ChartGallery.report()
    } else {
      let directories = [fit, compare].compactMap { $0 }
      let names = commaSeparated(labels)
      if !names.isEmpty && names.count != directories.count {
        throw LocatedError(
          file: "--labels", message: "\(names.count) labels for \(directories.count) fit directories")
      }
      let fits = try directories.enumerated().map { index, directory in
        FitReport.LabelledFit(
          label: names.isEmpty ? URL(fileURLWithPath: directory).lastPathComponent : names[index],
          fit: try FitDirectory.load(directory))
      }
      let trueValues = try truth.map { path throws(LocatedError) in try FitReport.readTruth(path) } ?? [:]
      report = FitReport.report(fits: fits, truth: trueValues, title: title)
    }
    do {
      try report.write(to: URL(fileURLWithPath: output))
    } catch {
      throw LocatedError(file: output, message: "cannot write the file (\(error.localizedDescription))")
    }
    guard let svgDir else {
      print("wrote \(output)")
      return
    }
    do {
      let files = try report.writeStandaloneSVGs(to: URL(fileURLWithPath: svgDir))
      print("wrote \(output) and \(files.count) SVG files in \(svgDir)")
    } catch {
      throw LocatedError(file: svgDir, message: "cannot write the SVG files (\(error.localizedDescription))")
    }
  }
}
