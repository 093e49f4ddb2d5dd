import Testing

@testable import CausalMMMCore

@Suite("Random streams")
struct RandomTests {
  @Test("xoshiro256** first output from state (1,2,3,4) is rotl(2*5, 7)*9 = 11520")
  func firstOutputMatchesDefinition() {
    var generator = Xoshiro256StarStar(seed: 0)
    generator.s0 = 1
    generator.s1 = 2
    generator.s2 = 3
    generator.s3 = 4
    #expect(generator.next() == 11520)
    // Second output: state after one step is s1 = 2 ^ (3 ^ 1) = 0, so rotl(0)·9 = 0.
    #expect(generator.next() == 0)
  }

  @Test("Normal draws have mean 0 and variance 1 within 5 standard errors")
  func normalDrawsAreStandard() {
    var generator = Xoshiro256StarStar(seed: 42)
    let count = 200_000
    var sum = 0.0
    var sumSquares = 0.0
    for _ in 0..<count {
      let z = generator.nextNormal()
      sum += z
      sumSquares += z * z
    }
    let mean = sum / Double(count)
    let variance = sumSquares / Double(count) - mean * mean
    #expect(abs(mean) < 5 / Double(count).squareRoot())
    #expect(abs(variance - 1) < 5 * (2 / Double(count)).squareRoot())
  }

  @Test("Streams of one seed differ from each other and are reproducible")
  func streamsAreDistinctAndReproducible() {
    var a = Xoshiro256StarStar.stream(seed: 7, index: 0)
    var b = Xoshiro256StarStar.stream(seed: 7, index: 1)
    var c = Xoshiro256StarStar.stream(seed: 7, index: 1)
    let first = (0..<8).map { _ in a.next() }
    let second = (0..<8).map { _ in b.next() }
    let third = (0..<8).map { _ in c.next() }
    #expect(first != second)
    #expect(second == third)
  }
}
