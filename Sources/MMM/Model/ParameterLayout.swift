import Inference
import RealModule

/// Maps the sampler's unconstrained coordinates to the model's natural parameter slots.
///
/// Each unconstrained coordinate has a prior on its constrained value and a support transform.
/// Each natural slot (one per geo × channel × transform parameter, per geo intercept, ...) is either
/// a direct copy of one coordinate, or a non-centred pooled value `T(u_pop + τ z)` with τ = exp(u_τ).
struct ParameterLayout: Sendable {
  struct Coordinate: Sendable {
    let name: String
    /// nil: flat (the coordinate's prior is evaluated elsewhere, e.g. on a derived intercept).
    let prior: Prior?
    let transform: ParameterTransform
    /// The sampler moves u; the transform sees z = shift + scale·u (a fixed affine standardisation).
    var shift = 0.0
    var scale = 1.0
  }

  enum Source: Sendable {
    case direct(Int)
    case pooled(population: Int, spread: Int, offset: Int)
    /// Centred pooling: coordinate `value` is the slot's unconstrained value w ~ Normal(u_pop, τ),
    /// reported as the offset (w − u_pop) / τ so that outputs read as in the non-centred form (the
    /// two are the same model; the Jacobian 1/τ is the Normal's normaliser).
    case centred(population: Int, spread: Int, value: Int)
    /// One of two pooled parameters whose sum of unconstrained values is what the data identify (a
    /// saturation's `slopeProductPair`). With spreads a = τ_self, b = τ_partner and r = √(a² + b²), the
    /// non-centred offsets (z_first, z_second) = s·(a, b)/r + d·(−b, a)/r are a rotation of the standard
    /// normal coordinates `along` (s) and `across` (d): the same prior, but s alone carries what the data
    /// say about a geo's product, and d (prior-dominated) alone how it splits, so the spreads' ratio no
    /// longer drags every offset with it. The slot's unconstrained value is
    /// u_pop + (a² s + sign·a b d)/r, sign −1 for the first parameter and +1 for the second.
    case rotated(population: Int, spread: Int, partnerSpread: Int, along: Int, across: Int, sign: Double)
    /// An HSGP weight, filled with the rest of its `SpectralGroup`.
    case spectral
  }

  /// One HSGP's weights β_gj = η √S(√λ_j; ℓ) z_gj (`HSGPCovariance`) for processes g < count / m and
  /// j < m: amplitude η, lengthscale ℓ and the standard-normal z_gj are coordinates; the weights are
  /// slots `firstSlot + g m + j`. Evaluated as a group: √ℓ once, then one square root and one division
  /// (Matern52) per frequency, shared by every process.
  struct SpectralGroup: Sendable {
    let eta: Int
    let lengthscale: Int
    let covariance: HSGPCovariance
    let frequencies: [Double]
    let firstSlot: Int
    /// The z coordinate of slot `firstSlot + i`.
    let weights: [Int]
  }

  var coordinates: [Coordinate] = []
  var sources: [Source] = []
  var spectralGroups: [SpectralGroup] = []
  var slotTransforms: [ParameterTransform] = []
  /// Names of pooled slots reported after the coordinates.
  var derivedNames: [String] = []
  var derivedSlots: [Int] = []
  /// Every centred pooled coordinate with its population and spread coordinates.
  var centredCoordinates: [(population: Int, spread: Int, value: Int)] = []
  /// For a centred value coordinate, its (population, spread) coordinates (reported as an offset).
  var centredParent: [Int: (population: Int, spread: Int)] = [:]
  /// Non-centred offsets whose prior sets `centered: false`: sampled as written (`PartialCentring` leaves
  /// them alone).
  var pinnedNonCentred: Set<Int> = []

  /// Adds a centred pooled slot reading a new coordinate `name`, flat on its own: its hierarchical
  /// prior Normal(u_pop, τ) is added in `priorLogDensity`.
  mutating func addCentredSlot(
    name: String, population: Int, spread: Int, transform: ParameterTransform, derivedName: String
  ) {
    let value = addCoordinate(name, nil, .identity)
    centredCoordinates.append((population, spread, value))
    centredParent[value] = (population, spread)
    sources.append(.centred(population: population, spread: spread, value: value))
    slotTransforms.append(transform)
    derivedNames.append(derivedName)
    derivedSlots.append(sources.count - 1)
  }

  /// Adds an HSGP's hyperparameter coordinates η ~ Exponential(etaLam) and ℓ ~ `lengthscalePrior`, and
  /// `processCount` × m weight slots, named `<prefix>_hsgp_coefs_offset[label]` (the coordinates z) and
  /// `<prefix>_hsgp_coefs[label]` (the weights β, derived), label `j` or `process,j` when named.
  ///
  /// - Returns: the first weight slot.
  mutating func addSpectralGroup(
    prefix: String, etaLam: Double, lengthscalePrior: Prior, covariance: HSGPCovariance,
    frequencies: [Double],
    processes: [String]?
  ) -> Int {
    let eta = addCoordinate(prefix + "_eta", .exponential(lam: etaLam), .positive)
    let ell = addCoordinate(prefix + "_ls", lengthscalePrior, .positive)
    let firstSlot = slotCount
    var weights: [Int] = []
    for process in processes ?? [""] {
      for j in frequencies.indices {
        let label = processes == nil ? "\(j)" : "\(process),\(j)"
        weights.append(
          addCoordinate(prefix + "_hsgp_coefs_offset[\(label)]", .normal(mu: 0, sigma: 1), .identity))
        sources.append(.spectral)
        slotTransforms.append(.identity)
        derivedNames.append(prefix + "_hsgp_coefs[\(label)]")
        derivedSlots.append(sources.count - 1)
      }
    }
    spectralGroups.append(
      SpectralGroup(
        eta: eta, lengthscale: ell, covariance: covariance, frequencies: frequencies, firstSlot: firstSlot,
        weights: weights))
    return firstSlot
  }

  /// Adds flat, unconstrained coordinates, one slot each.
  mutating func addFlatBlock(name: String, slotKeys: [String]) {
    for key in slotKeys {
      let i = addCoordinate(key.isEmpty ? name : name + "[\(key)]", nil, .identity)
      sources.append(.direct(i))
      slotTransforms.append(.identity)
    }
  }

  mutating func addCoordinate(_ name: String, _ prior: Prior?, _ transform: ParameterTransform) -> Int {
    coordinates.append(Coordinate(name: name, prior: prior, transform: transform))
    logScales.append(0)
    return coordinates.count - 1
  }

  /// Adds a block of slots indexed by `slotLabels`, grouped by `groupLabel(slot)` when the parameter is
  /// shared across some dimension (several slots copy one coordinate).
  ///
  /// - Parameters:
  ///   - name: PyMC-Marketing name, e.g. `saturation_lam`.
  ///   - slotKeys: for every slot, the label of the coordinate it reads (`channel_1`, `geo_00,channel_1`, or "").
  ///   - pooled: for pooled blocks, every slot's (population label, full label).
  mutating func addBlock(
    name: String, prior: Prior, slotKeys: [String], pooled: [(population: String, full: String)]?,
    poolingSigma: Double
  ) {
    let transform = prior.support
    if let pooled {
      var populationIndex: [String: (Int, Int)] = [:]
      for (slot, labels) in pooled.enumerated() {
        let (pop, spread): (Int, Int)
        if let existing = populationIndex[labels.population] {
          (pop, spread) = existing
        } else {
          let suffix = labels.population.isEmpty ? "" : "[\(labels.population)]"
          pop = addCoordinate(name + suffix, prior, transform)
          spread = addCoordinate(name + "_sigma" + suffix, .halfNormal(sigma: poolingSigma), .positive)
          populationIndex[labels.population] = (pop, spread)
        }
        let offset = addCoordinate(name + "_offset[\(labels.full)]", .normal(mu: 0, sigma: 1), .identity)
        sources.append(.pooled(population: pop, spread: spread, offset: offset))
        slotTransforms.append(transform)
        derivedNames.append(name + "[\(labels.full)]")
        derivedSlots.append(sources.count - 1)
        _ = slot
      }
    } else {
      var index: [String: Int] = [:]
      for key in slotKeys {
        let coordinate = index[key] ?? addCoordinate(key.isEmpty ? name : name + "[\(key)]", prior, transform)
        index[key] = coordinate
        sources.append(.direct(coordinate))
        slotTransforms.append(transform)
      }
    }
  }

  var dimension: Int { coordinates.count }
  var slotCount: Int { sources.count }
  var parameterNames: [String] { coordinates.map(\.name) + derivedNames }

  /// The transform's input for coordinate i.
  @inline(__always)
  func z(_ u: UnsafeBufferPointer<Double>, _ i: Int) -> Double {
    coordinates[i].shift + coordinates[i].scale * u[i]
  }

  /// The constrained value of coordinate i (the offset (w − u_pop) / τ for a centred pooled coordinate).
  func constrained(_ u: UnsafeBufferPointer<Double>, _ i: Int) -> Double {
    if let (population, spread) = centredParent[i] {
      return (z(u, i) - z(u, population)) / Double.exp(z(u, spread))
    }
    return coordinates[i].transform.constrain(z(u, i))
  }

  /// Adds the priors' log density plus log-Jacobians, writing their gradient into `du` (overwrites).
  @inline(__always)
  func priorLogDensity(_ u: UnsafeBufferPointer<Double>, gradient du: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    var total = 0.0
    for i in 0..<coordinates.count {
      let transform = coordinates[i].transform
      let scale = coordinates[i].scale
      let zi = z(u, i)
      let x = transform.constrain(zi)
      let (lp, dlp) = coordinates[i].prior?.logDensityAndDerivative(x) ?? (0, 0)
      total += lp + transform.logJacobian(zi) + logScales[i]
      du[i] = (dlp * transform.derivative(zi) + transform.logJacobianDerivative(zi)) * scale
    }
    // Centred pooling: log Normal(w; u_pop, τ) with τ = exp(u_τ).
    for (population, spread, value) in centredCoordinates {
      let logTau = z(u, spread)
      let inverseTau = Double.exp(-logTau)
      let d = (z(u, value) - z(u, population)) * inverseTau
      total += -0.5 * d * d - logTau - 0.918_938_533_204_672_7
      du[value] -= d * inverseTau * coordinates[value].scale
      du[population] += d * inverseTau * coordinates[population].scale
      du[spread] += (d * d - 1) * coordinates[spread].scale
    }
    return total
  }

  /// log(scale) per coordinate, the affine standardisation's Jacobian.
  var logScales: [Double] = []

  /// Sets the standardisation of coordinate `i`.
  mutating func standardise(_ i: Int, shift: Double, scale: Double) {
    coordinates[i].shift = shift
    coordinates[i].scale = scale
    logScales = coordinates.map { Double.log($0.scale) }
  }

  /// exp of a rotated pair's two log-spread coordinates, kept from the pair's previous slot: the two
  /// slots of a pair come one after the other with their roles swapped, so each pair costs two exps.
  struct SpreadPair {
    var first = -1
    var second = -1
    var values = (0.0, 0.0)

    @inline(__always)
    mutating func pair(_ u: UnsafeBufferPointer<Double>, _ layout: ParameterLayout, _ i: Int, _ j: Int)
      -> (Double, Double)
    {
      if i == second && j == first { return (values.1, values.0) }
      if i != first || j != second {
        first = i
        second = j
        values = (Double.exp(layout.z(u, i)), Double.exp(layout.z(u, j)))
      }
      return values
    }
  }

  /// Natural slot values for a point.
  @inline(__always)
  func slotValues(_ u: UnsafeBufferPointer<Double>, into v: UnsafeMutableBufferPointer<Double>) {
    var spreads = SpreadPair()
    for s in 0..<sources.count {
      switch sources[s] {
      case .direct(let i): v[s] = slotTransforms[s].constrain(z(u, i))
      case .pooled(let pop, let spread, let offset):
        v[s] = slotTransforms[s].constrain(z(u, pop) + Double.exp(z(u, spread)) * z(u, offset))
      case .centred(_, _, let value): v[s] = slotTransforms[s].constrain(z(u, value))
      case .rotated(let pop, let spread, let partner, let along, let across, let sign):
        let (a, b) = spreads.pair(u, self, spread, partner)
        let r = (a * a + b * b).squareRoot()
        v[s] = slotTransforms[s].constrain(
          z(u, pop) + (a * a * z(u, along) + sign * a * b * z(u, across)) / r)
      case .spectral: continue
      }
    }
    for group in spectralGroups {
      let m = group.frequencies.count
      let ell = constrained(u, group.lengthscale)
      let scale = constrained(u, group.eta) * ell.squareRoot()
      withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { roots in
        group.frequencies.withUnsafeBufferPointer {
          group.covariance.scaledRootSpectralDensities(
            frequencies: $0, lengthscale: ell, values: roots, slopes: nil)
        }
        for start in stride(from: 0, to: group.weights.count, by: m) {
          for j in 0..<m {
            v[group.firstSlot + start + j] = scale * roots[j] * z(u, group.weights[start + j])
          }
        }
      }
    }
  }

  /// Carries slot gradients `dv` back to the coordinates (adds into `du`).
  @inline(__always)
  func pullBack(
    _ u: UnsafeBufferPointer<Double>, slotGradient dv: UnsafeMutableBufferPointer<Double>,
    into du: UnsafeMutableBufferPointer<Double>
  ) {
    var spreads = SpreadPair()
    for s in 0..<sources.count where dv[s] != 0 {
      switch sources[s] {
      case .direct(let i): du[i] += dv[s] * slotTransforms[s].derivative(z(u, i)) * coordinates[i].scale
      case .pooled(let pop, let spread, let offset):
        let tau = Double.exp(z(u, spread))
        let zOffset = z(u, offset)
        let d = dv[s] * slotTransforms[s].derivative(z(u, pop) + tau * zOffset)
        du[pop] += d * coordinates[pop].scale
        du[offset] += d * tau * coordinates[offset].scale
        du[spread] += d * zOffset * tau * coordinates[spread].scale
      case .centred(_, _, let value):
        du[value] += dv[s] * slotTransforms[s].derivative(z(u, value)) * coordinates[value].scale
      case .rotated(let pop, let spread, let partner, let along, let across, let sign):
        // w = u_pop + (a² s + σ a b d)/r: ∂w/∂s = a²/r, ∂w/∂d = σ a b/r, a ∂w/∂a = (s a²(a² + 2b²) +
        // σ d a b³)/r³ and b ∂w/∂b = (σ d a³ b − s a² b²)/r³ (log-spread coordinates).
        let (a, b) = spreads.pair(u, self, spread, partner)
        let a2 = a * a
        let b2 = b * b
        let r = (a2 + b2).squareRoot()
        let r3 = r * r * r
        let sAlong = z(u, along)
        let dAcross = z(u, across)
        let w = z(u, pop) + (a2 * sAlong + sign * a * b * dAcross) / r
        let d = dv[s] * slotTransforms[s].derivative(w)
        du[pop] += d * coordinates[pop].scale
        du[along] += d * a2 / r * coordinates[along].scale
        du[across] += d * sign * a * b / r * coordinates[across].scale
        du[spread] +=
          d * (sAlong * a2 * (a2 + 2 * b2) + sign * dAcross * a * b2 * b) / r3 * coordinates[spread].scale
        du[partner] += d * (sign * dAcross * a2 * a * b - sAlong * a2 * b2) / r3 * coordinates[partner].scale
      case .spectral: continue
      }
    }
    for group in spectralGroups {
      // β = η r(ℓ) z: ∂β/∂z = η r, Σ ∂/∂β · β gives η ∂/∂η, and ℓ ∂/∂ℓ = Σ ∂/∂β · β d(log r)/d(log ℓ).
      let m = group.frequencies.count
      let zEta = z(u, group.eta)
      let zEll = z(u, group.lengthscale)
      let eta = coordinates[group.eta].transform.constrain(zEta)
      let ell = coordinates[group.lengthscale].transform.constrain(zEll)
      let scale = eta * ell.squareRoot()
      var betaDot = 0.0
      var slopeDot = 0.0
      withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * m) { scratch in
        let roots = UnsafeMutableBufferPointer(rebasing: scratch[0..<m])
        let slopes = UnsafeMutableBufferPointer(rebasing: scratch[m..<(2 * m)])
        group.frequencies.withUnsafeBufferPointer {
          group.covariance.scaledRootSpectralDensities(
            frequencies: $0, lengthscale: ell, values: roots, slopes: slopes)
        }
        for start in stride(from: 0, to: group.weights.count, by: m) {
          for j in 0..<m {
            let weight = group.weights[start + j]
            let d = dv[group.firstSlot + start + j]
            let root = scale * roots[j]
            let dot = d * z(u, weight) * root
            du[weight] += d * root * coordinates[weight].scale
            betaDot += dot
            slopeDot += dot * slopes[j]
          }
        }
      }
      du[group.eta] +=
        betaDot / eta * coordinates[group.eta].transform.derivative(zEta) * coordinates[group.eta].scale
      du[group.lengthscale] +=
        slopeDot / ell * coordinates[group.lengthscale].transform.derivative(zEll)
        * coordinates[group.lengthscale].scale
    }
  }
}
