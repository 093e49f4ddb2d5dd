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
    /// An HSGP weight β = η √S(ω; ℓ) z (`HSGPCovariance`): amplitude η, lengthscale ℓ, standard-normal z.
    case spectral(eta: Int, lengthscale: Int, weight: Int, frequency: Double, covariance: HSGPCovariance)
  }

  var coordinates: [Coordinate] = []
  var sources: [Source] = []
  var slotTransforms: [ParameterTransform] = []
  /// Names of pooled slots reported after the coordinates.
  var derivedNames: [String] = []
  var derivedSlots: [Int] = []
  /// Every centred pooled coordinate with its population and spread coordinates.
  var centredCoordinates: [(population: Int, spread: Int, value: Int)] = []
  /// For a centred value coordinate, its (population, spread) coordinates (reported as an offset).
  var centredParent: [Int: (population: Int, spread: Int)] = [:]

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

  /// Natural slot values for a point.
  @inline(__always)
  func slotValues(_ u: UnsafeBufferPointer<Double>, into v: UnsafeMutableBufferPointer<Double>) {
    for s in 0..<sources.count {
      switch sources[s] {
      case .direct(let i): v[s] = slotTransforms[s].constrain(z(u, i))
      case .pooled(let pop, let spread, let offset):
        v[s] = slotTransforms[s].constrain(z(u, pop) + Double.exp(z(u, spread)) * z(u, offset))
      case .centred(_, _, let value): v[s] = slotTransforms[s].constrain(z(u, value))
      case .spectral(let eta, let ell, let weight, let omega, let covariance):
        let logSqrtS = covariance.logSqrtSpectralDensity(omega: omega, lengthscale: constrained(u, ell)).value
        v[s] = constrained(u, eta) * Double.exp(logSqrtS) * z(u, weight)
      }
    }
  }

  /// Carries slot gradients `dv` back to the coordinates (adds into `du`).
  @inline(__always)
  func pullBack(
    _ u: UnsafeBufferPointer<Double>, slotGradient dv: UnsafeMutableBufferPointer<Double>,
    into du: UnsafeMutableBufferPointer<Double>
  ) {
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
      case .spectral(let eta, let ell, let weight, let omega, let covariance):
        // β = η e^{h(ℓ)} z: ∂β/∂η = e^h z, ∂β/∂ℓ = β h'(log ℓ)/ℓ, ∂β/∂z = η e^h.
        let zEta = z(u, eta)
        let zEll = z(u, ell)
        let etaValue = coordinates[eta].transform.constrain(zEta)
        let ellValue = coordinates[ell].transform.constrain(zEll)
        let (logSqrtS, slope) = covariance.logSqrtSpectralDensity(omega: omega, lengthscale: ellValue)
        let root = Double.exp(logSqrtS)
        let w = z(u, weight)
        du[eta] += dv[s] * root * w * coordinates[eta].transform.derivative(zEta) * coordinates[eta].scale
        du[ell] +=
          dv[s] * etaValue * root * w * slope / ellValue * coordinates[ell].transform.derivative(zEll)
          * coordinates[ell].scale
        du[weight] += dv[s] * etaValue * root * coordinates[weight].scale
      }
    }
  }
}
