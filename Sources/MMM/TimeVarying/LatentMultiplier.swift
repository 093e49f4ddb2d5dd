// swift-format-ignore-file: NeverForceUnwrap

// The hot kernels read the precomputed basis through its base address (the model guarantees T ≥ 1 and
// m ≥ 1), unwrapped once per call.
import RealModule

/// The two terms PyMC-Marketing lets vary in time, each through its own `SoftPlusHSGP`.
public enum TimeVaryingTerm: String, Sendable, CaseIterable {
  /// `time_varying_intercept`: intercept_t = intercept_baseline × p(t).
  case intercept
  /// `time_varying_media`: every channel's contribution at t times p(t).
  case media

  /// PyMC-Marketing's names: `<prefix>_eta`, `<prefix>_ls`, `<prefix>_hsgp_coefs[j]` and
  /// `<prefix>_hsgp_coefs_offset[j]` (`[geo,j]` with geos).
  public var parameterPrefix: String { "\(rawValue)_temporal_latent_multiplier_raw" }
  /// The configuration keys: `time_varying_intercept` / `intercept_tvp_config`, ...
  public var flag: String { "time_varying_\(rawValue)" }
  public var configurationKey: String { "\(rawValue)_tvp_config" }
}

/// PyMC-Marketing's `SoftPlusHSGP` as `create_time_varying_gp_multiplier` builds it: an HSGP
/// f_g(t) = Σ_j φ_j(t) β_gj per geo (shared η and ℓ, PyMC-Marketing's dims ("date", *dims)), then
///
///     p_g(t) = softplus(f_g(t)) − mean over the training dates of softplus(f_g) + 1,
///
/// so p_g averages exactly 1 over the training dates (the training mean stays fixed for later dates,
/// PyMC-Marketing's `deterministics_to_flat` of `<name>_f_mean`). p is positive whenever the curve's
/// softplus dips less than 1 below its mean, which the Exponential(η) prior makes the usual case.
struct LatentMultiplier: Sendable {
  let term: TimeVaryingTerm
  let basis: TimeVaryingBasis
  /// Basis functions per process.
  let m: Int
  /// Training dates.
  let dateCount: Int
  /// The first weight slot; process g's β are slots `slot + g m ..< slot + (g + 1) m`.
  let slot: Int
  /// φ at the training dates, column-major (`[j * T + t]`, the forward pass) and row-major
  /// (`[t * m + j]`, the backward pass): each loop runs over contiguous memory.
  let columns: [Double]
  let rows: [Double]
  /// The centred training times the basis was evaluated at.
  let trainingTimes: [Double]

  init(term: TimeVaryingTerm, basis: TimeVaryingBasis, trainingTimes: [Double], slot: Int) {
    self.term = term
    self.basis = basis
    m = basis.settings.m
    dateCount = trainingTimes.count
    self.slot = slot
    let rows = basis.rows(at: trainingTimes)
    var columns = [Double](repeating: 0, count: rows.count)
    for t in 0..<dateCount { for j in 0..<m { columns[j * dateCount + t] = rows[t * m + j] } }
    self.rows = rows
    self.columns = columns
    self.trainingTimes = trainingTimes
  }

  /// softplus(f) = max(f, 0) + log(1 + e^−|f|) and σ(f) = its derivative, without overflow or
  /// library calls (`branchFreeExp`, `logOnePlus`), so a loop over the dates vectorises.
  @inline(__always)
  static func softplus(_ f: Double) -> (value: Double, slope: Double) {
    let e = branchFreeExp(-abs(f))
    return (max(f, 0) + logOnePlus(e), (f >= 0 ? 1 : e) / (1 + e))
  }

  /// log(1 + e) for e in [0, 1]: 2 atanh(s) with s = e / (2 + e) ≤ 1/3, by the odd series to s³¹
  /// (truncation below 2e-16 relative), without branches or a library call.
  @inline(__always)
  static func logOnePlus(_ e: Double) -> Double {
    let s = e / (2 + e)
    let s2 = s * s
    var acc = 1.0 / 31
    acc = acc * s2 + 1.0 / 29
    acc = acc * s2 + 1.0 / 27
    acc = acc * s2 + 1.0 / 25
    acc = acc * s2 + 1.0 / 23
    acc = acc * s2 + 1.0 / 21
    acc = acc * s2 + 1.0 / 19
    acc = acc * s2 + 1.0 / 17
    acc = acc * s2 + 1.0 / 15
    acc = acc * s2 + 1.0 / 13
    acc = acc * s2 + 1.0 / 11
    acc = acc * s2 + 1.0 / 9
    acc = acc * s2 + 1.0 / 7
    acc = acc * s2 + 1.0 / 5
    acc = acc * s2 + 1.0 / 3
    acc = acc * s2 + 1
    return 2 * s * acc
  }

  /// p(t) on the training dates for weights `beta` (m values) into `p`, and σ(f_t) into `slope` for
  /// the backward pass. No allocation.
  ///
  /// - Returns: the shift 1 − mean softplus(f) that centres p.
  @inline(__always) @discardableResult
  func forward(
    beta: UnsafePointer<Double>, p: UnsafeMutablePointer<Double>, slope: UnsafeMutablePointer<Double>
  ) -> Double {
    let T = dateCount
    for t in 0..<T { p[t] = 0 }
    // Four columns per pass over p: a quarter of the loads and stores of p.
    columns.withUnsafeBufferPointer { phi in
      let base = phi.baseAddress!
      var j = 0
      while j + 3 < m {
        let (b0, b1, b2, b3) = (beta[j], beta[j + 1], beta[j + 2], beta[j + 3])
        let c0 = base + j * T
        let c1 = c0 + T
        let c2 = c1 + T
        let c3 = c2 + T
        for t in 0..<T { p[t] += b0 * c0[t] + b1 * c1[t] + b2 * c2[t] + b3 * c3[t] }
        j += 4
      }
      while j < m {
        let b = beta[j]
        let column = base + j * T
        for t in 0..<T { p[t] += b * column[t] }
        j += 1
      }
    }
    for t in 0..<T {
      let (value, derivative) = Self.softplus(p[t])
      p[t] = value
      slope[t] = derivative
    }
    var sum = 0.0
    for t in 0..<T { sum += p[t] }
    let shift = 1 - sum / Double(T)
    for t in 0..<T { p[t] += shift }
    return shift
  }

  /// Adds ∂/∂β of Σ_t a_t p(t) into `dBeta` (m values): ∂/∂f_t = σ_t (a_t − ā) (the training mean's
  /// share), then Φᵀ. Overwrites `a`.
  @inline(__always)
  func backward(
    upstream a: UnsafeMutablePointer<Double>, slope: UnsafePointer<Double>,
    dBeta: UnsafeMutablePointer<Double>
  ) {
    let T = dateCount
    var sum = 0.0
    for t in 0..<T { sum += a[t] }
    let mean = sum / Double(T)
    for t in 0..<T { a[t] = slope[t] * (a[t] - mean) }
    // Four rows per pass over dBeta.
    rows.withUnsafeBufferPointer { phi in
      let base = phi.baseAddress!
      var t = 0
      while t + 3 < T {
        let (g0, g1, g2, g3) = (a[t], a[t + 1], a[t + 2], a[t + 3])
        let r0 = base + t * m
        let r1 = r0 + m
        let r2 = r1 + m
        let r3 = r2 + m
        for j in 0..<m { dBeta[j] += g0 * r0[j] + g1 * r1[j] + g2 * r2[j] + g3 * r3[j] }
        t += 4
      }
      while t < T {
        let g = a[t]
        let row = base + t * m
        for j in 0..<m { dBeta[j] += g * row[j] }
        t += 1
      }
    }
  }

  /// p at the centred times `points` for process `g`'s weights in slot values `v`, with the training
  /// mean of softplus(f) (PyMC-Marketing's fixed `f_mean`), so later dates continue the training curve.
  /// The training dates (every fitted-value and contribution query) reuse the hot path's kernel.
  func values(slots v: [Double], process g: Int, at points: [Double]) -> [Double] {
    var p = [Double](repeating: 0, count: dateCount)
    var slope = p
    let shift = v.withUnsafeBufferPointer { vp in
      p.withUnsafeMutableBufferPointer { pp in
        slope.withUnsafeMutableBufferPointer { sp in
          forward(beta: vp.baseAddress! + slot + g * m, p: pp.baseAddress!, slope: sp.baseAddress!)
        }
      }
    }
    if points == trainingTimes { return p }
    let phi = basis.rows(at: points)
    return points.indices.map { t in
      var f = 0.0
      for j in 0..<m { f += phi[t * m + j] * v[slot + g * m + j] }
      return Self.softplus(f).value + shift
    }
  }
}
