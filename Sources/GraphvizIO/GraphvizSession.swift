import CGraphviz
import Foundation

// libgraphviz keeps global state (the error function, the last error, plugin tables) and is
// not thread-safe. Every call into it goes through `GraphvizSession.run`, which holds one
// process-wide lock and collects the library's messages instead of letting it print them.

private nonisolated(unsafe) var capturedMessages: [String] = []

private let captureMessage: @convention(c) (UnsafeMutablePointer<CChar>?) -> Int32 = { text in
  if let text { capturedMessages.append(String(cString: text)) }
  return 0
}

/// The one serialising wrapper around libgraphviz.
enum GraphvizSession {
  private static let lock = NSLock()

  /// Runs `body` with exclusive access to libgraphviz; returns its result and every message
  /// libgraphviz emitted meanwhile (errors and warnings, never printed to stderr).
  static func run<T>(_ body: () throws -> T) rethrows -> (result: T, messages: [String]) {
    lock.lock()
    defer { lock.unlock() }
    capturedMessages = []
    let previousFunction = agseterrf(captureMessage)
    let previousLevel = agseterr(AGWARN)
    defer {
      agseterrf(previousFunction)
      agseterr(previousLevel)
    }
    let result = try body()
    let messages = capturedMessages
    capturedMessages = []
    return (result, messages)
  }
}
