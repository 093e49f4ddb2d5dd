import CausalMMMCore
import Foundation
import Testing

@Suite("parallelMap and parallelForEach: the serial result on any number of threads")
struct ParallelMapTests {
  @Test("parallelMap returns the serial map in index order for 1 to 5 threads and any count")
  func mapsInOrder() {
    for count in [0, 1, 2, 7, 1000] {
      let serial = (0..<count).map { Double($0) * 1.5 + Double.sin(Double($0)) }
      for threads in 1...5 {
        #expect(parallelMap(count, threads: threads) { Double($0) * 1.5 + Double.sin(Double($0)) } == serial)
      }
    }
  }

  @Test("parallelForEach hands every index to exactly one worker")
  func visitsEachIndexOnce() {
    for threads in 1...4 {
      var visits = [Int](repeating: 0, count: 1001)
      visits.withUnsafeMutableBufferPointer { buffer in
        parallelForEach(buffer.count, threads: threads) { indices in
          for i in indices { buffer[i] += 1 }
        }
      }
      #expect(visits.allSatisfy { $0 == 1 })
    }
  }
}
