import ArgumentParser
import Foundation
import Reports

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML report (inline SVG charts, no scripts, no network).")

  @Flag(help: "Write the chart gallery: every chart type on synthetic data.")
  var gallery = false
  @Option(name: .shortAndLong, help: "The HTML file to write.")
  var output: String
  @Option(help: "Also write every chart as a standalone SVG file into this directory.")
  var svgDir: String?

  func validate() throws {
    if !gallery {
      throw ValidationError("nothing to report: pass --gallery")
    }
  }

  func run() {
    let report = ChartGallery.report()
    do {
      try report.write(to: URL(fileURLWithPath: output))
    } catch {
      printError("\(output): error: cannot write the file (\(error.localizedDescription))")
      Foundation.exit(1)
    }
    if let svgDir {
      do {
        let names = try report.writeStandaloneSVGs(to: URL(fileURLWithPath: svgDir))
        print("wrote \(output) and \(names.count) SVG files in \(svgDir)")
      } catch {
        printError("\(svgDir): error: cannot write the SVG files (\(error.localizedDescription))")
        Foundation.exit(1)
      }
    } else {
      print("wrote \(output)")
    }
  }
}
