import Dispatch
import Foundation

/// `(0..<count).map(transform)` on up to `threads` worker threads (every core when nil): the results come
/// back in index order, so the array is the same whatever the thread count as long as `transform(i)`
/// depends only on i. For independent per-draw or per-parameter work (fit summaries, predictions).
public func parallelMap<T>(_ count: Int, threads: Int? = nil, _ transform: (Int) -> T) -> [T] {
  let workers = max(1, min(count, threads ?? ProcessInfo.processInfo.activeProcessorCount))
  guard workers > 1 else { return (0..<count).map(transform) }
  let results = ParallelResults<T>(count: count)
  withoutActuallyEscaping(transform) { transform in
    let work = SynchronousWork(transform)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for i in stride(from: worker, to: count, by: workers) { results.set(i, work.body(i)) }
    }
  }
  return results.all()
}

// One slot per index, each written by exactly one worker of `parallelMap`, read after all have finished.
private final class ParallelResults<T>: @unchecked Sendable {
  private let slots: UnsafeMutablePointer<T?>
  private let count: Int

  init(count: Int) {
    self.count = count
    slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
  }

  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }

  func set(_ index: Int, _ value: T) { slots[index] = value }

  func all() -> [T] { (0..<count).compactMap { slots[$0] } }
}

/// Runs `body` on up to `threads` worker threads (every core when nil), handing worker w the indices
/// w, w + workers, ... below `count`: a worker can keep its own scratch across its indices. `body` must
/// write only what belongs to its indices.
public func parallelForEach(_ count: Int, threads: Int? = nil, _ body: (StrideTo<Int>) -> Void) {
  let workers = max(1, min(count, threads ?? ProcessInfo.processInfo.activeProcessorCount))
  guard workers > 1 else { return body(stride(from: 0, to: count, by: 1)) }
  withoutActuallyEscaping(body) { body in
    let work = SynchronousWork(body)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      work.body(stride(from: worker, to: count, by: workers))
    }
  }
}

// A closure handed to `concurrentPerform`, which returns only when every worker has: the closure outlives
// no caller's frame, and the callers' contract (each worker writes only its own indices) makes sharing it
// sound.
private struct SynchronousWork<Input, Output>: @unchecked Sendable {
  let body: (Input) -> Output
  init(_ body: @escaping (Input) -> Output) { self.body = body }
}
