import RealModule

/// A seedable, splittable pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018).
///
/// The state is expanded from a 64-bit seed with SplitMix64. Independent streams, one per
/// chain, come from `jump()`, which advances the state by 2^128 draws, so streams never
/// overlap in practice and depend only on the seed and the stream index (never on threads).
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64
  @usableFromInline var spareNormal: Double = 0
  @usableFromInline var hasSpareNormal = false

  /// Creates a generator whose state is the SplitMix64 expansion of `seed`.
  public init(seed: UInt64) {
    var expansion = SplitMix64(seed: seed)
    s0 = expansion.next()
    s1 = expansion.next()
    s2 = expansion.next()
    s3 = expansion.next()
  }

  /// The generator for stream `index` of `seed`: the seeded state jumped `index` times.
  public static func stream(seed: UInt64, index: Int) -> Xoshiro256StarStar {
    var generator = Xoshiro256StarStar(seed: seed)
    for _ in 0..<index { generator.jump() }
    return generator
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  @inlinable
  func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Advances the state by 2^128 calls to `next()`.
  public mutating func jump() {
    let polynomial: [UInt64] = [
      0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C,
    ]
    var t0: UInt64 = 0
    var t1: UInt64 = 0
    var t2: UInt64 = 0
    var t3: UInt64 = 0
    for word in polynomial {
      for bit in 0..<64 {
        if word & (UInt64(1) << UInt64(bit)) != 0 {
          t0 ^= s0
          t1 ^= s1
          t2 ^= s2
          t3 ^= s3
        }
        _ = next()
      }
    }
    (s0, s1, s2, s3) = (t0, t1, t2, t3)
    hasSpareNormal = false
  }

  /// A uniform draw in [0, 1) with 53 random bits.
  @inlinable
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal draw (Marsaglia's polar method: a uniform point in the unit disc gives
  /// two independent normals; the second is kept for the next call).
  @inlinable
  public mutating func nextNormal() -> Double {
    if hasSpareNormal {
      hasSpareNormal = false
      return spareNormal
    }
    while true {
      let u = 2 * nextUniform() - 1
      let v = 2 * nextUniform() - 1
      let s = u * u + v * v
      if s >= 1 || s == 0 { continue }
      let factor = (-2 * Double.log(s) / s).squareRoot()
      spareNormal = v * factor
      hasSpareNormal = true
      return u * factor
    }
  }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the seed expander of ``Xoshiro256StarStar``, also used
/// directly where a fixed corpus was defined by its stream (the random DAGs of the graph property
/// tests and of `graph-benchmark`, whose brute-force checks and timings refer to those graphs).
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  /// Creates the generator with `seed` as its state.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
