import Foundation

/// Runs the built `causal-mmm` executable and captures what it prints.
struct CLIResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum CLIRunner {
  /// The package root (three levels above this file: Tests/CLITests/CLIRunner.swift).
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The `causal-mmm` binary next to the test bundle (SwiftPM builds it as a dependency of CLITests).
  static let executable: URL = {
    let bundleDirectory = Bundle.main.bundleURL.deletingLastPathComponent()
    var candidates = [
      bundleDirectory.appendingPathComponent("causal-mmm"),
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("causal-mmm"),
    ]
    for case let directory in [bundleDirectory, URL(fileURLWithPath: CommandLine.arguments[0])] {
      var url = directory
      for _ in 0..<3 {
        url = url.deletingLastPathComponent()
        candidates.append(url.appendingPathComponent("causal-mmm"))
      }
    }
    candidates.append(packageRoot.appendingPathComponent(".build/debug/causal-mmm"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
      ?? candidates[candidates.count - 1]
  }()

  /// A file under Tests/CLITests/Fixtures or the repository's dags/.
  static func fixture(_ name: String) -> String {
    packageRoot.appendingPathComponent("Tests/CLITests/Fixtures").appendingPathComponent(name).path
  }

  static func dag(_ name: String) -> String {
    packageRoot.appendingPathComponent("dags").appendingPathComponent(name).path
  }

  /// Runs the CLI (or `program`, e.g. bash on a script) with `arguments` in `directory` (default: the
  /// package root), with exactly `environment` when given (default: this process's).
  static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil, program: URL? = nil
  ) throws -> CLIResult {
    let process = Process()
    process.executableURL = program ?? executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.currentDirectoryURL = directory ?? packageRoot
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    try process.run()
    // Read both pipes concurrently to the end before waiting: a child that fills one pipe while
    // the other is being drained would otherwise block forever.
    let errorReader = PipeReader(errPipe.fileHandleForReading)
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    let errData = errorReader.wait()
    process.waitUntilExit()
    return CLIResult(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "causal-mmm-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Drains a pipe on its own thread.
final class PipeReader: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }

  /// Everything the pipe delivered, once it is closed.
  func wait() -> Data {
    done.wait()
    return data
  }
}
