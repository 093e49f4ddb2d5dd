import Foundation

/// The cores a multi-chain run shares out. `sampleNUTS` counts the chains running; a density that can
/// split one gradient evaluation over threads (`LogDensity.sharingCores`) asks `threadsPerChain` at each
/// evaluation, so that a chain still running after the others have finished (a longer tree depth, a
/// slower start) takes over the idle cores instead of leaving them idle. Such a density must give the
/// same value and gradient for any thread count, so the draws do not depend on the timing.
public final class CoreShare: @unchecked Sendable {
  /// The cores to share.
  public let cores: Int
  private let lock = NSLock()
  private var running = 0

  /// A share of `cores` cores (at least 1).
  public init(cores: Int) { self.cores = max(1, cores) }

  /// Threads for one chain's gradient now: the cores divided among the chains running (at least 1).
  public var threadsPerChain: Int {
    lock.lock()
    defer { lock.unlock() }
    return max(1, cores / max(1, running))
  }

  func chainStarted() {
    lock.lock()
    running += 1
    lock.unlock()
  }

  func chainFinished() {
    lock.lock()
    running -= 1
    lock.unlock()
  }
}
