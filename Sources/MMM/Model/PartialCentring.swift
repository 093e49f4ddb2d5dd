import CausalMMMCore
import Inference
import RealModule

/// Partial centring of a hierarchical model's non-centred coordinates: the "variationally inspired
/// parametrisation" of Gorinova, Moore and Hoffman (2020, "Automatic reparameterisation of probabilistic
/// programs"), with each coordinate's weight chosen from a warm-up window of the chain's own draws.
///
/// A non-centred coordinate z ~ Normal(0, 1) enters the model through θ = L + e^ρ z, where the location L
/// and log-scale ρ are functions of other coordinates:
/// - a pooled offset (`ParameterLayout.Source.pooled`): L = u_pop, ρ = log τ;
/// - a rotated pair's product offset s (`.rotated`, coordinate `along`): θ = u_pop,first + u_pop,second + r s
///   is the geo's log product, L = u_pop,first + u_pop,second, ρ = log r;
/// - an HSGP weight (`SpectralGroup`): L = 0, ρ = log(η √S(√λ_j; ℓ)).
///
/// With a weight w ∈ [0, 1] the sampler moves z̃ = w L + e^(wρ) z instead of z: w = 0 is the non-centred
/// coordinate, w = 1 the centred θ. Since z̃ ~ Normal(w L, e^(wρ)), the density on the sampler's coordinates
/// is the model's at z = (z̃ − w L) e^(−wρ) times the Jacobian e^(−wρ): the same posterior.
///
/// The normal-normal model θ ~ Normal(L, e^ρ), data of precision p about θ, has its posterior's
/// correlation between z̃ and (L, ρ) vanish at w = κ / (1 + κ), κ = p e^(2ρ) the data's precision about z
/// relative to its prior. Non-centred (w = 0) is right for a geo the data say little about, centred for one
/// they pin; a pooled spread over many partly informed geos, or an HSGP's amplitude and lengthscale over
/// the low frequencies the data inform, is the funnel in between that neither fixes. `fromDraws` reads
/// κ / (1 + κ) = 1 − var(z) from warm-up draws.
struct PartialCentring: Sendable {
  enum Hyper: Sendable {
    case pooled(population: Int, spread: Int)
    case rotated(first: Int, second: Int, spread: Int, partnerSpread: Int)
    case spectral(group: Int, frequency: Int)
  }

  struct Entry: Sendable {
    let coordinate: Int
    let hyper: Hyper
    let weight: Double
  }

  /// Entries with a positive weight.
  let entries: [Entry]
  /// Each entry's index in `pairs` (a rotated entry: its two spreads), else −1: log r is computed once per
  /// pair of spreads (a channel's), not once per geo.
  private let pairSlots: [Int]
  private let pairs: [SpreadPair]

  private struct SpreadPair: Sendable, Hashable {
    let spread: Int
    let partner: Int
  }

  init(entries: [Entry]) {
    self.entries = entries
    var index: [SpreadPair: Int] = [:]
    var pairs: [SpreadPair] = []
    pairSlots = entries.map { entry in
      guard case .rotated(_, _, let spread, let partner) = entry.hyper else { return -1 }
      let pair = SpreadPair(spread: spread, partner: partner)
      if let slot = index[pair] { return slot }
      index[pair] = pairs.count
      pairs.append(pair)
      return pairs.count - 1
    }
    self.pairs = pairs
  }

  /// Doubles of scratch that `modelPoint` fills and `pullBack` reads: e^(−wρ) per entry.
  var cacheCount: Int { entries.count }

  var isEmpty: Bool { entries.isEmpty }

  /// Every non-centred coordinate of the layout that partial centring may move, with weight 1 (pooled
  /// offsets whose prior sets `centered: false` are left as written).
  static func candidates(_ layout: ParameterLayout) -> [Entry] {
    var entries: [Entry] = []
    var firstOfPair: [Int: (population: Int, spread: Int, partner: Int)] = [:]
    for source in layout.sources {
      switch source {
      case .pooled(let population, let spread, let offset) where !layout.pinnedNonCentred.contains(offset):
        entries.append(
          Entry(coordinate: offset, hyper: .pooled(population: population, spread: spread), weight: 1))
      case .rotated(let population, let spread, let partner, let along, _, let sign):
        if sign < 0 {
          firstOfPair[along] = (population, spread, partner)
        } else if let first = firstOfPair[along] {
          entries.append(
            Entry(
              coordinate: along,
              hyper: .rotated(
                first: first.population, second: population, spread: first.spread,
                partnerSpread: first.partner),
              weight: 1))
        }
      default: continue
      }
    }
    for (g, group) in layout.spectralGroups.enumerated() {
      let m = group.frequencies.count
      for (k, weight) in group.weights.enumerated() {
        entries.append(Entry(coordinate: weight, hyper: .spectral(group: g, frequency: k % m), weight: 1))
      }
    }
    return entries
  }

  /// The weights 1 − var(z | L, ρ) from draws of the model's coordinates `points` (a warm-up window): in the
  /// normal-normal model the posterior variance of z given the hyperparameters is 1 / (1 + κ), so
  /// 1 − var(z | L, ρ) = κ / (1 + κ). The window's plain var(z) also holds var(E[z | L, ρ]), the part that
  /// moves with the hyperparameters: a geo or frequency the data pin has z = (θ − L) e^(−ρ) with θ fixed,
  /// so its z varies exactly as much as the spread does, and 1 − var(z) would call it uninformed. So z is
  /// regressed on ρ and L over the window and the residual variance stands for var(z | L, ρ). The curvature
  /// at the posterior mode is no substitute: on a 40-geo panel it gave weights near 0.9 where the draws'
  /// variances gave 0.1-0.7, and sampling with them was worse than not centring at all.
  static func fromDraws(_ points: [[Double]], layout: ParameterLayout) -> PartialCentring {
    guard points.count > 3 else { return PartialCentring(entries: []) }
    let candidates = candidates(layout)
    let probe = PartialCentring(entries: candidates)
    // Each candidate's L and ρ at each point: locations[k][n] and logScales[k][n].
    var locations = [[Double]](repeating: [], count: candidates.count)
    var logScales = [[Double]](repeating: [], count: candidates.count)
    for point in points {
      point.withUnsafeBufferPointer { u in
        probe.withScales(u, layout) { tables, radii in
          for k in candidates.indices {
            let (location, logScale) = probe.geometry(k, u, layout, tables, radii)
            locations[k].append(location)
            logScales[k].append(logScale)
          }
        }
      }
    }
    var estimates = [Double](repeating: 0, count: candidates.count)
    var effective = estimates
    for (k, entry) in candidates.enumerated() {
      let i = entry.coordinate
      let values = points.map { layout.coordinates[i].shift + layout.coordinates[i].scale * $0[i] }
      let residuals = residualsAfterRegression(values, on: [logScales[k], locations[k]])
      let squares = residuals.map { $0 * $0 }
      estimates[k] = 1 - squares.reduce(0, +) / Double(points.count - 3)
      effective[k] = Diagnostics.essMean([squares])
    }
    estimates = nonIncreasingAlongFrequency(estimates, candidates: candidates)
    let entries = candidates.indices.compactMap { k -> Entry? in
      // Only a variance clearly below the prior's: 1 − var more than three standard errors
      // √(2 / n_eff) of a unit variance estimated from the window's autocorrelated draws. A prior-dominated
      // weight (an HSGP's high frequencies) centred on noise would tie it to the lengthscale.
      let weight = min(1, estimates[k])
      guard weight.isFinite, effective[k].isFinite, effective[k] > 0,
        weight > 3 * (2 / effective[k]).squareRoot()
      else { return nil }
      return Entry(coordinate: candidates[k].coordinate, hyper: candidates[k].hyper, weight: weight)
    }
    return PartialCentring(entries: entries)
  }

  /// The weight estimates `estimates` (one per candidate) with each HSGP process's made non-increasing in
  /// frequency by pool-adjacent-violators (the least-squares non-increasing fit); other candidates as given.
  ///
  /// An HSGP weight's κ_j = p_j η² S(√λ_j; ℓ) falls with j: the spectral density of every covariance
  /// offered is decreasing in frequency, and the data's precision p_j about a basis function is much the
  /// same over the frequencies the dates resolve. One window's estimates are noisy: on seed 002's public
  /// data (sampler seed 2) chains centred isolated frequencies between uncentred neighbours (weights 0.52,
  /// 0.36 and 0.57 at frequency indices 14, 46 and 59), tying a weight whose prior scale moves by orders of
  /// magnitude with ℓ to ℓ for the whole run; the chains' lengthscale lag-1 autocorrelations ranged
  /// 0.15-0.56 and its R-hat was 1.015. The order constraint pools such a value with its neighbours; over
  /// sampler seeds 1-8 on that data the lengthscale's R-hat is then 1.0006-1.0039 (1.0008-1.0146 without).
  static func nonIncreasingAlongFrequency(_ estimates: [Double], candidates: [Entry]) -> [Double] {
    // Candidate indices per process, in frequency order: `candidates` lists each group's weights slot by
    // slot, a process's m frequencies 0..<m in turn, so a run starts at frequency 0.
    var runs: [[Int]] = []
    for (k, entry) in candidates.enumerated() {
      guard case .spectral(_, let j) = entry.hyper else { continue }
      if j == 0 || runs.isEmpty { runs.append([k]) } else { runs[runs.count - 1].append(k) }
    }
    var result = estimates
    for run in runs {
      // Blocks of pooled neighbours: (sum, count), means non-increasing from left to right.
      var blocks: [(sum: Double, count: Int)] = []
      for k in run {
        blocks.append((estimates[k].isFinite ? estimates[k] : 0, 1))
        while blocks.count > 1,
          blocks[blocks.count - 2].sum / Double(blocks[blocks.count - 2].count)
            < blocks[blocks.count - 1].sum / Double(blocks[blocks.count - 1].count)
        {
          let last = blocks.removeLast()
          blocks[blocks.count - 1].sum += last.sum
          blocks[blocks.count - 1].count += last.count
        }
      }
      var cursor = run.makeIterator()
      for block in blocks {
        for _ in 0..<block.count { if let k = cursor.next() { result[k] = block.sum / Double(block.count) } }
      }
    }
    return result
  }

  /// The residuals of `y` after least squares on an intercept and the regressors (each as long as y).
  /// A regressor that barely varies over the window (an HSGP's L = 0, a hyperparameter the draws hold
  /// still) is left out, as is one the others already explain.
  static func residualsAfterRegression(_ y: [Double], on regressors: [[Double]]) -> [Double] {
    let n = Double(y.count)
    func centred(_ x: [Double]) -> [Double] {
      let mean = x.reduce(0, +) / n
      return x.map { $0 - mean }
    }
    // Gram-Schmidt on the centred regressors, dropping those with (almost) nothing left of their own.
    var basis: [[Double]] = []
    func removeBasis(from x: inout [Double]) {
      for b in basis {
        let projection = zip(x, b).reduce(0) { $0 + $1.0 * $1.1 }
        for t in x.indices { x[t] -= projection * b[t] }
      }
    }
    for regressor in regressors {
      var x = centred(regressor)
      let scale = x.reduce(0) { $0 + $1 * $1 }
      removeBasis(from: &x)
      let norm = x.reduce(0) { $0 + $1 * $1 }
      guard scale > 0, norm > 1e-10 * scale, norm.isFinite else { continue }
      let root = norm.squareRoot()
      basis.append(x.map { $0 / root })
    }
    var residual = centred(y)
    removeBasis(from: &residual)
    return residual
  }

  /// The spectral groups' √(S/ℓ) values and their log-ℓ slopes at the point's lengthscales, group by group.
  private func spectralTables(
    _ u: UnsafeBufferPointer<Double>, _ layout: ParameterLayout,
    into scratch: UnsafeMutableBufferPointer<Double>
  ) {
    var cursor = 0
    for group in layout.spectralGroups {
      let m = group.frequencies.count
      let ell = layout.constrained(u, group.lengthscale)
      group.frequencies.withUnsafeBufferPointer {
        group.covariance.scaledRootSpectralDensities(
          frequencies: $0, lengthscale: ell,
          values: UnsafeMutableBufferPointer(rebasing: scratch[cursor..<(cursor + m)]),
          slopes: UnsafeMutableBufferPointer(rebasing: scratch[(cursor + m)..<(cursor + 2 * m)]))
      }
      cursor += 2 * m
    }
  }

  private func spectralScratchCount(_ layout: ParameterLayout) -> Int {
    layout.spectralGroups.reduce(0) { $0 + 2 * $1.frequencies.count }
  }

  /// log r = ½ log(e^(2a) + e^(2b)) of every pair of log-spreads (a, b), without overflow.
  private func pairLogRadii(
    _ u: UnsafeBufferPointer<Double>, _ layout: ParameterLayout,
    into radii: UnsafeMutableBufferPointer<Double>
  ) {
    for (p, pair) in pairs.enumerated() {
      let a = layout.z(u, pair.spread)
      let b = layout.z(u, pair.partner)
      let top = max(a, b)
      radii[p] = top + 0.5 * Double.log(Double.exp(2 * (a - top)) + Double.exp(2 * (b - top)))
    }
  }

  /// L and ρ of entry k at a point (its hyperparameter coordinates are the same in both systems).
  @inline(__always)
  private func geometry(
    _ k: Int, _ u: UnsafeBufferPointer<Double>, _ layout: ParameterLayout,
    _ tables: UnsafeMutableBufferPointer<Double>, _ radii: UnsafeMutableBufferPointer<Double>
  ) -> (location: Double, logScale: Double) {
    switch entries[k].hyper {
    case .pooled(let population, let spread):
      return (layout.z(u, population), layout.z(u, spread))
    case .rotated(let first, let second, _, _):
      return (layout.z(u, first) + layout.z(u, second), radii[pairSlots[k]])
    case .spectral(let g, let j):
      let group = layout.spectralGroups[g]
      let eta = layout.constrained(u, group.eta)
      let ell = layout.constrained(u, group.lengthscale)
      return (0, Double.log(eta * ell.squareRoot() * tables[tableOffset(g, layout) + j]))
    }
  }

  private func tableOffset(_ g: Int, _ layout: ParameterLayout) -> Int {
    layout.spectralGroups[0..<g].reduce(0) { $0 + 2 * $1.frequencies.count }
  }

  /// Runs `body` with the spectral tables and the pairs' log r at `u`.
  @inline(__always)
  private func withScales<R>(
    _ u: UnsafeBufferPointer<Double>, _ layout: ParameterLayout,
    _ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> R
  ) -> R {
    let tableCount = spectralScratchCount(layout)
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: tableCount + pairs.count) { scratch in
      let tables = UnsafeMutableBufferPointer(rebasing: scratch[0..<tableCount])
      let radii = UnsafeMutableBufferPointer(rebasing: scratch[tableCount...])
      spectralTables(u, layout, into: tables)
      pairLogRadii(u, layout, into: radii)
      return body(tables, radii)
    }
  }

  /// Writes the model's coordinates for the sampler's point `sampler` into `u`, each entry's e^(−wρ)
  /// into `cache` (`cacheCount` doubles, for `pullBack`), and returns the log-Jacobian −Σ w ρ of
  /// the change of variables.
  func modelPoint(
    _ sampler: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>,
    cache: UnsafeMutableBufferPointer<Double>, layout: ParameterLayout
  ) -> Double {
    for i in 0..<sampler.count { u[i] = sampler[i] }
    return withScales(sampler, layout) { tables, radii in
      var logJacobian = 0.0
      for k in entries.indices {
        let (location, logScale) = geometry(k, sampler, layout, tables, radii)
        let i = entries[k].coordinate
        let w = entries[k].weight
        let shrink = Double.exp(-w * logScale)
        let z = (layout.z(sampler, i) - w * location) * shrink
        u[i] = (z - layout.coordinates[i].shift) / layout.coordinates[i].scale
        cache[k] = shrink
        logJacobian -= w * logScale
      }
      return logJacobian
    }
  }

  /// The sampler's coordinates for a point `u` of the model's (the inverse of `modelPoint`).
  func samplerPoint(_ u: [Double], layout: ParameterLayout) -> [Double] {
    var result = u
    u.withUnsafeBufferPointer { point in
      withScales(point, layout) { tables, radii in
        for k in entries.indices {
          let (location, logScale) = geometry(k, point, layout, tables, radii)
          let i = entries[k].coordinate
          let w = entries[k].weight
          let zTilde = w * location + Double.exp(w * logScale) * layout.z(point, i)
          result[i] = (zTilde - layout.coordinates[i].shift) / layout.coordinates[i].scale
        }
      }
    }
    return result
  }

  /// Turns the model's gradient at its point `u` into the gradient at the sampler's point (in place), the
  /// log-Jacobian's included: ∂/∂z̃ = e^(−wρ) ∂/∂z, and each hyperparameter h gains
  /// A ∂L/∂h + B ∂ρ/∂h with A = −w e^(−wρ) ∂/∂z and B = −w (z ∂/∂z + 1). `cache` is `modelPoint`'s.
  func pullBack(
    _ u: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>,
    cache: UnsafeMutableBufferPointer<Double>, layout: ParameterLayout
  ) {
    let tableCount = spectralScratchCount(layout)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: tableCount + pairs.count) { scratch in
      let tables = UnsafeMutableBufferPointer(rebasing: scratch[0..<tableCount])
      spectralTables(u, layout, into: tables)
      // ∂ log r/∂ log a = a²/r² = 1/(1 + e^{2(log b − log a)}), once per pair.
      let shares = UnsafeMutableBufferPointer(rebasing: scratch[tableCount...])
      for (p, pair) in pairs.enumerated() {
        shares[p] = 1 / (1 + Double.exp(2 * (layout.z(u, pair.partner) - layout.z(u, pair.spread))))
      }
      for k in entries.indices {
        let entry = entries[k]
        let i = entry.coordinate
        let w = entry.weight
        let shrink = cache[k]
        let dz = gradient[i] / layout.coordinates[i].scale
        let z = layout.z(u, i)
        gradient[i] *= shrink
        let a = -w * shrink * dz
        let b = -w * (z * dz + 1)
        func add(_ h: Int, _ derivative: Double) { gradient[h] += derivative * layout.coordinates[h].scale }
        switch entry.hyper {
        case .pooled(let population, let spread):
          add(population, a)
          add(spread, b)
        case .rotated(let first, let second, let spread, let partner):
          add(first, a)
          add(second, a)
          let share = shares[pairSlots[k]]
          add(spread, b * share)
          add(partner, b * (1 - share))
        case .spectral(let g, let j):
          let group = layout.spectralGroups[g]
          let m = group.frequencies.count
          let zEta = layout.z(u, group.eta)
          let zEll = layout.z(u, group.lengthscale)
          let eta = layout.coordinates[group.eta].transform
          let ell = layout.coordinates[group.lengthscale].transform
          add(group.eta, b * eta.derivative(zEta) / eta.constrain(zEta))
          let slope = tables[tableOffset(g, layout) + m + j]
          add(group.lengthscale, b * slope * ell.derivative(zEll) / ell.constrain(zEll))
        }
      }
    }
  }
}

/// An `MMMModel` sampled in coordinates chosen in warm-up: its rotated pairs' spreads in polar coordinates
/// (`PolarSpreads`) and its non-centred coordinates partially centred (`PartialCentring`); the same
/// posterior. It starts as the model (neither); at one metric update of warm-up
/// (`reparametrised(from:)`) each chain chooses the centring weights from a window of its own draws and
/// turns to polar spreads, and chains report the model's coordinates (`reportedPosition`).
///
/// A sampler point x maps to the model's u in two steps: polar spreads to the model's log-spreads (y), then
/// y's partially centred coordinates to non-centred ones (u); the gradient comes back the same way.
struct PartiallyCentredMMM: LogDensity {
  let model: MMMModel
  let centring: PartialCentring
  var polar = PolarSpreads.none

  var dimension: Int { model.dimension }
  var parameterNames: [String] { model.parameterNames }
  var metricBlocks: [[Int]] { model.metricBlocks }

  func logDensity(at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    let n = dimension
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n + centring.cacheCount) { scratch in
      let y = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
      let u = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
      let cache = UnsafeMutableBufferPointer(rebasing: scratch[(2 * n)...])
      for i in 0..<n { y[i] = position[i] }
      var logJacobian = polar.modelPoint(position, into: y, layout: model.layout)
      logJacobian += centring.modelPoint(UnsafeBufferPointer(y), into: u, cache: cache, layout: model.layout)
      let value = model.logDensity(at: UnsafeBufferPointer(u), gradient: gradient)
      centring.pullBack(UnsafeBufferPointer(u), gradient: gradient, cache: cache, layout: model.layout)
      polar.pullBack(position, gradient: gradient, layout: model.layout)
      return value + logJacobian
    }
  }

  func constrain(_ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>) {
    let u = modelPoint(Array(position))
    u.withUnsafeBufferPointer { model.constrain($0, into: values) }
  }

  func sharingCores(_ share: CoreShare) -> PartiallyCentredMMM {
    PartiallyCentredMMM(model: model.sharingCores(share), centring: centring, polar: polar)
  }

  func independentCopy() -> PartiallyCentredMMM {
    PartiallyCentredMMM(model: model.independentCopy(), centring: centring, polar: polar)
  }

  func reparametrised(from positions: [[Double]]) -> (density: PartiallyCentredMMM, positions: [[Double]])? {
    let points = positions.map(modelPoint)
    let centring = PartialCentring.fromDraws(points, layout: model.layout)
    let polar = PolarSpreads(model.layout)
    guard !(centring.isEmpty && polar.isEmpty && reparametrisesInWarmup) else { return nil }
    let changed = PartiallyCentredMMM(model: model, centring: centring, polar: polar)
    return (changed, points.map(changed.samplerPoint))
  }

  func reportedPosition(_ position: [Double]) -> [Double] { modelPoint(position) }

  /// The model's log density at the reported point: `value` less the log-Jacobian of the map from the
  /// sampler's coordinates, which differs from chain to chain (each chooses its own weights).
  func reportedLogDensity(_ position: [Double], value: Double) -> Double {
    value - mapped(position).logJacobian
  }

  /// Neither polar spreads nor weights yet (the model's coordinates): warm-up will choose them.
  var reparametrisesInWarmup: Bool { centring.isEmpty && polar.isEmpty }

  /// The model's coordinates of a sampler point.
  func modelPoint(_ position: [Double]) -> [Double] { mapped(position).point }

  /// The model's point for a sampler point and the map's log-Jacobian there.
  private func mapped(_ position: [Double]) -> (point: [Double], logJacobian: Double) {
    var y = position
    var u = position
    var cache = [Double](repeating: 0, count: centring.cacheCount)
    var logJacobian = 0.0
    position.withUnsafeBufferPointer { p in
      y.withUnsafeMutableBufferPointer { logJacobian += polar.modelPoint(p, into: $0, layout: model.layout) }
    }
    y.withUnsafeBufferPointer { p in
      u.withUnsafeMutableBufferPointer { point in
        cache.withUnsafeMutableBufferPointer {
          logJacobian += centring.modelPoint(p, into: point, cache: $0, layout: model.layout)
        }
      }
    }
    return (u, logJacobian)
  }

  /// The sampler's coordinates of a model point.
  func samplerPoint(_ u: [Double]) -> [Double] {
    var x = centring.samplerPoint(u, layout: model.layout)
    polar.samplerPoint(&x, layout: model.layout)
    return x
  }
}
