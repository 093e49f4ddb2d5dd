import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Per-chain progress lines (iteration, divergences, step size) redrawn in place on standard
// error. Silent unless enabled and standard error is a terminal; redraws at most 10 times a second.
final class ProgressDisplay: @unchecked Sendable {
  private let enabled: Bool
  private let iterations: Int
  private let lock = NSLock()
  private var lines: [String]
  private var lastDraw = 0.0
  private var drawn = false

  init(chains: Int, iterations: Int, enabled: Bool) {
    self.enabled = enabled && isatty(STDERR_FILENO) == 1
    self.iterations = iterations
    lines = (0..<chains).map { "chain \($0 + 1): starting" }
  }

  func update(chain: Int, iteration: Int, divergences: Int, stepSize: Double) {
    guard enabled else { return }
    let width = 30
    let filled = iterations > 0 ? width * iteration / iterations : width
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let line =
      "chain \(chain + 1) [\(bar)] \(iteration)/\(iterations)  divergences \(divergences)  "
      + "step size \(String(format: "%.3g", stepSize))"
    lock.lock()
    defer { lock.unlock() }
    lines[chain] = line
    let now = Date().timeIntervalSinceReferenceDate
    if now - lastDraw >= 0.1 || iteration == iterations {
      lastDraw = now
      draw()
    }
  }

  // Caller holds the lock.
  private func draw() {
    var text = drawn ? "\u{1B}[\(lines.count)A" : ""
    for line in lines { text += "\r\u{1B}[2K" + line + "\n" }
    drawn = true
    FileHandle.standardError.write(Data(text.utf8))
  }

  func finish() {
    guard enabled else { return }
    lock.lock()
    draw()
    lock.unlock()
  }
}
