import ArgumentParser

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Parse a DOT file and describe the causal DAG.")
  @Argument(help: "The DOT file.") var file: String
  func run() throws { print(file) }
}
