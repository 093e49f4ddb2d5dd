import Foundation
import Testing

@testable import Inference

/// A standard normal that records the threads its share offers at each evaluation.
struct ShareRecordingDensity: LogDensity {
  let seen: ThreadCounts
  var share: CoreShare? = nil
  var dimension: Int { 2 }
  var parameterNames: [String] { ["x[1]", "x[2]"] }
  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    if let share { seen.record(share.threadsPerChain) }
    gradient[0] = -position[0]
    gradient[1] = -position[1]
    return -0.5 * (position[0] * position[0] + position[1] * position[1])
  }
  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    values[0] = position[0]
    values[1] = position[1]
  }
  func sharingCores(_ share: CoreShare) -> ShareRecordingDensity {
    var copy = self
    copy.share = share
    return copy
  }
}

final class ThreadCounts: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var values: Set<Int> = []
  func record(_ value: Int) {
    lock.lock()
    values.insert(value)
    lock.unlock()
  }
}

@Suite("CoreShare: the cores divided among the chains running")
struct CoreShareTests {
  @Test("threads per chain follow the chains running, at least 1")
  func arithmetic() {
    let share = CoreShare(cores: 4)
    #expect(share.threadsPerChain == 4)
    share.chainStarted()
    share.chainStarted()
    share.chainStarted()
    #expect(share.threadsPerChain == 1)
    share.chainFinished()
    #expect(share.threadsPerChain == 2)
    share.chainFinished()
    #expect(share.threadsPerChain == 4)
    #expect(CoreShare(cores: 0).threadsPerChain == 1)
  }

  @Test(
    "sampleNUTS hands its share to the density: a lone chain gets every core, two chains on two cores one each"
  )
  func samplerSharesCores() throws {
    var configuration = SamplerConfiguration()
    (configuration.tune, configuration.draws, configuration.maxThreads) = (50, 20, 2)
    configuration.chains = 1
    let lone = ThreadCounts()
    _ = try sampleNUTS(ShareRecordingDensity(seen: lone), configuration: configuration)
    #expect(lone.values == [2])
    configuration.chains = 2
    let pair = ThreadCounts()
    _ = try sampleNUTS(ShareRecordingDensity(seen: pair), configuration: configuration)
    // One each while both run, both cores for one running alone (which of these a run sees depends on
    // the timing, not the draws).
    #expect(!pair.values.isEmpty && pair.values.isSubset(of: [1, 2]))
    configuration.maxThreads = 1
    let single = ThreadCounts()
    _ = try sampleNUTS(ShareRecordingDensity(seen: single), configuration: configuration)
    #expect(single.values == [1])
  }
}
