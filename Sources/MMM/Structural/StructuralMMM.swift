import CausalMMMCore
import Foundation
import Inference
import RealModule

/// The structural Bayesian MMM compiled from a DAG (``StructuralSpecification``): for every modelled
/// node v (mediators, then the outcome) and date t, in v's scaled units (v / max|v|),
///
///     ṽ_t = intercept_v + Σ_{media parents p} sat_vp(adstock_vp(x_p / max|x_p|))_t
///           + Σ_{linear parents q} γ_vq (x_q − mean_q) / sd_q  [+ Fourier and trend for the outcome] + ε_vt,
///     ε_vt ~ Normal(0, σ_v), or StudentT(ν, 0, σ_v) with `likelihood: {dist: StudentT, nu}`.
///
/// The joint log density is the sum of the equations' likelihoods and every parameter's prior, on the
/// unconstrained scale with the Jacobians, and a hand-assembled gradient. Parameter names follow
/// PyMC-Marketing with the equation as the first coordinate: `intercept[v]`, `y_sigma[v]`,
/// `adstock_alpha[v,p]`, `saturation_lam[v,p]`, `gamma_control[v,q]`, `gamma_fourier[v,sin_1]`,
/// `gamma_trend[v]`. The value type is immutable; each call works in its own temporary scratch.
public struct StructuralMMM: LogDensity {
  /// One unconstrained coordinate: value = transform(shift + scale · z), with its prior.
  struct Coordinate: Sendable {
    let name: String
    let prior: Prior
    let transform: ParameterTransform
    let shift: Double
    let scale: Double
  }

  /// A parent through adstock and saturation.
  struct MediaTerm: Sendable {
    let parent: String
    let adstock: any Adstock
    let saturation: any Saturation
    /// First coordinate of the adstock's parameters, then the saturation's (contiguous).
    let adstockStart: Int
    let saturationStart: Int
    /// Scratch offset of this term's buffers.
    let scratch: Int
    var adstockCount: Int { adstock.parameterNames.count }
    var saturationCount: Int { saturation.parameterNames.count }
    var taps: Int { adstock.tapCount }
    /// a, s, ds/da (T each), ds/dθ (T · saturationCount), weights, weight Jacobian.
    func scratchSize(_ T: Int) -> Int { 3 * T + T * saturationCount + taps + taps * adstockCount }

    /// This term's buffers inside `terms` (the layout ``scratchSize(_:)`` counts), for the forward
    /// and the backward pass alike.
    func buffers(in terms: UnsafeMutablePointer<Double>, dates T: Int) -> (
      a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>, ds: UnsafeMutablePointer<Double>,
      dtheta: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>, jac: UnsafeMutablePointer<Double>
    ) {
      let a = terms + scratch
      let dtheta = a + 3 * T
      let w = dtheta + T * saturationCount
      return (a, a + T, a + 2 * T, dtheta, w, w + taps)
    }
  }

  /// A parent entering linearly (standardised).
  struct LinearTerm: Sendable {
    let parent: String
    let coordinate: Int
  }

  /// One compiled equation.
  struct Equation: Sendable {
    let node: String
    let isOutcome: Bool
    /// Observed node, scaled by `scale`.
    let target: [Double]
    let scale: Double
    let intercept: Int
    let sigma: Int
    let media: [MediaTerm]
    let linear: [LinearTerm]
    /// Observed term inputs: media terms first (x / max|x|), then linear terms (standardised).
    let inputs: [[Double]]
    /// First coordinate of the feature coefficients (Fourier then trend), or -1.
    let featureStart: Int
  }

  /// The configuration the model was built from.
  public let configuration: MMMConfiguration
  /// The equations' structure.
  public let specification: StructuralSpecification
  /// The training dates.
  public let dates: [CalendarDate]
  /// The observed columns the model reads, original units.
  public let columns: [String: [Double]]
  /// Per column: max |x| (scale of a modelled node and of a media input), mean and sd (linear inputs).
  let scales: [String: Double]
  let means: [String: Double]
  let deviations: [String: Double]
  let equations: [Equation]
  let coordinates: [Coordinate]
  /// Fourier modes then trend, `features[f * T + t]`.
  let features: [Double]
  let featureCount: Int
  let scratchSize: Int

  public let parameterNames: [String]
  public var dimension: Int { coordinates.count }
  var dateCount: Int { dates.count }

  /// Builds the model.
  ///
  /// - Throws: `LocatedError` for a missing or constant modelled column, an unsupported option
  ///   (geo column, saturation before adstock), or too few dates.
  public init(configuration c: MMMConfiguration, specification: StructuralSpecification, data: MMMData) throws
  {
    if c.geoColumn != nil {
      throw LocatedError(
        file: "<configuration>", column: "geo_column", "structure: dag does not support a geo column yet")
    }
    if !c.adstockFirst {
      throw LocatedError(
        file: "<configuration>", column: "adstock_first", "structure: dag applies adstock first")
    }
    guard data.rowCount >= max(2, c.adstock.lMax) else {
      throw LocatedError(
        file: data.sourceName, "\(data.rowCount) dates are too few (adstock l_max = \(c.adstock.lMax))")
    }
    let order = data.dates.indices.sorted { data.dates[$0] < data.dates[$1] }
    var columns: [String: [Double]] = [:]
    for name in specification.columns {
      guard let values = data.columns[name] else {
        throw LocatedError(
          file: data.sourceName, column: name,
          "missing: the structural model needs every modelled node and every parent of one as a data column")
      }
      columns[name] = order.map { values[$0] }
    }
    let dates = order.map { data.dates[$0] }
    if Set(dates).count != dates.count {
      throw LocatedError(
        file: data.sourceName, column: c.dateColumn, "dates repeat (one row per date without a geo column)")
    }
    let T = dates.count
    var scales: [String: Double] = [:]
    var means: [String: Double] = [:]
    var deviations: [String: Double] = [:]
    for (name, values) in columns {
      let m = values.map(abs).max() ?? 0
      scales[name] = m > 0 ? m : 1
      let mean = values.reduce(0, +) / Double(T)
      means[name] = mean
      deviations[name] = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(T)).squareRoot()
    }
    // Features of the outcome equation: Fourier modes then the trend (as the single-equation model).
    var features: [Double] = []
    var featureNames: [String] = []
    let n = c.yearlySeasonality
    for kind in 0..<(n > 0 ? 2 : 0) {
      for k in 1...max(n, 1) {
        featureNames.append("\(kind == 0 ? "sin" : "cos")_\(k)")
        for date in dates {
          let angle = 2 * Double.pi * Double(k) * Double(date.dayOfYear) / 365.25
          features.append(kind == 0 ? Double.sin(angle) : Double.cos(angle))
        }
      }
    }
    if c.trend {
      featureNames.append("trend")
      let start = dates.first?.daysSinceEpoch ?? 0
      let span = max(1, (dates.last?.daysSinceEpoch ?? start) - start)
      for date in dates { features.append(Double(date.daysSinceEpoch - start) / Double(span)) }
    }

    func prior(_ name: String, _ fallback: Prior) -> Prior {
      if let s = c.priors[name], case .success(let p) = Prior.make(s.dist, parameters: s.parameters) {
        return p
      }
      return fallback
    }
    var coordinates: [Coordinate] = []
    func add(_ name: String, _ p: Prior, shift: Double = 0, scale: Double = 1) -> Int {
      coordinates.append(Coordinate(name: name, prior: p, transform: p.support, shift: shift, scale: scale))
      return coordinates.count - 1
    }
    var equations: [Equation] = []
    var scratch = 0
    for equation in specification.equations {
      let v = equation.node
      let scale = scales[v, default: 1]
      let target = columns[v, default: []].map { $0 / scale }
      if let first = target.first, target.allSatisfy({ $0 == first }) {
        throw LocatedError(
          file: data.sourceName, column: v, "constant: the equation of '\(v)' has nothing to explain")
      }
      let mean = target.reduce(0, +) / Double(T)
      let sd = max(1e-3, (target.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(T)).squareRoot())
      // Standardise the tightly identified coordinates so that the sampler's initial unit metric fits
      // them (as the single-equation model): intercept and linear coefficients with scale sd/√T, log σ 0.1.
      let precise = sd / Double(T).squareRoot()
      let intercept = add(
        "intercept[\(v)]", prior("intercept", .normal(mu: 0, sigma: 2)), shift: mean, scale: precise)
      let sigma = add(
        "y_sigma[\(v)]", prior("y_sigma", .halfNormal(sigma: 2)), shift: Double.log(sd), scale: 0.1)
      var media: [MediaTerm] = []
      var linear: [LinearTerm] = []
      var mediaInputs: [[Double]] = []
      var linearInputs: [[Double]] = []
      for term in equation.terms {
        let x = columns[term.parent, default: []]
        switch term.kind {
        case .media(let adstockType, let saturationType):
          var copy = c
          copy.adstock.type = adstockType
          copy.saturation.type = saturationType
          let components = try ModelComponents.make(configuration: copy).mapError(file: "<configuration>")
          let adstockStart = coordinates.count
          for (name, fallback) in zip(components.adstock.parameterNames, components.adstock.defaultPriors) {
            _ = add("adstock_\(name)[\(v),\(term.parent)]", prior("adstock_\(name)", fallback))
          }
          let saturationStart = coordinates.count
          for (name, fallback) in zip(
            components.saturation.parameterNames, components.saturation.defaultPriors)
          {
            _ = add("saturation_\(name)[\(v),\(term.parent)]", prior("saturation_\(name)", fallback))
          }
          let compiled = MediaTerm(
            parent: term.parent, adstock: components.adstock, saturation: components.saturation,
            adstockStart: adstockStart, saturationStart: saturationStart, scratch: scratch)
          scratch += compiled.scratchSize(T)
          media.append(compiled)
          mediaInputs.append(x.map { $0 / scales[term.parent, default: 1] })
        case .linear:
          let coordinate = add(
            "gamma_control[\(v),\(term.parent)]", prior("gamma_control", .normal(mu: 0, sigma: 2)),
            scale: precise)
          linear.append(LinearTerm(parent: term.parent, coordinate: coordinate))
          let (m, s) = (means[term.parent, default: 0], deviations[term.parent, default: 1])
          linearInputs.append(x.map { s > 0 ? ($0 - m) / s : 0 })
        }
      }
      var featureStart = -1
      if equation.isOutcome, !featureNames.isEmpty {
        featureStart = coordinates.count
        for name in featureNames {
          if name == "trend" {
            _ = add("gamma_trend[\(v)]", prior("gamma_trend", .normal(mu: 0, sigma: 1)))
          } else {
            _ = add("gamma_fourier[\(v),\(name)]", prior("gamma_fourier", .laplace(mu: 0, b: 1)))
          }
        }
      }
      equations.append(
        Equation(
          node: v, isOutcome: equation.isOutcome, target: target, scale: scale, intercept: intercept,
          sigma: sigma,
          media: media, linear: linear, inputs: mediaInputs + linearInputs, featureStart: featureStart))
    }
    self.configuration = c
    self.specification = specification
    self.dates = dates
    self.columns = columns
    self.scales = scales
    self.means = means
    self.deviations = deviations
    self.equations = equations
    self.coordinates = coordinates
    self.features = features
    self.featureCount = featureNames.count
    self.parameterNames = coordinates.map(\.name)
    // Constrained values and their gradient (2 · dimension), the mean and the residual (2 · T), terms.
    self.scratchSize = 2 * coordinates.count + 2 * T + scratch
  }

  public func constrain(
    _ position: UnsafeBufferPointer<Double>, into values: UnsafeMutableBufferPointer<Double>
  ) {
    for (i, coordinate) in coordinates.enumerated() {
      values[i] = coordinate.transform.constrain(coordinate.shift + coordinate.scale * position[i])
    }
  }

  public func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>
  )
    -> Double
  {
    withUnsafeTemporaryAllocation(of: Double.self, capacity: scratchSize) { buffer in
      // swift-format-ignore: NeverForceUnwrap
      // The buffer holds scratchCount > 0 doubles, so it has a base address.
      logDensity(at: position, gradient: gradient, scratch: buffer.baseAddress!)
    }
  }

  func logDensity(
    at position: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>,
    scratch: UnsafeMutablePointer<Double>
  ) -> Double {
    let D = coordinates.count
    let T = dateCount
    let x = scratch
    let gx = scratch + D
    let mu = scratch + 2 * D
    let r = mu + T
    let terms = r + T
    for i in 0..<D {
      let k = coordinates[i]
      x[i] = k.transform.constrain(k.shift + k.scale * position[i])
      gx[i] = 0
    }
    var lp = 0.0
    let halfLog2Pi = 0.5 * Double.log(2 * Double.pi)
    for equation in equations {
      let intercept = x[equation.intercept]
      for t in 0..<T { mu[t] = intercept }
      for (k, term) in equation.media.enumerated() {
        let taps = term.taps
        let sc = term.saturationCount
        let (a, s, ds, dtheta, w, jac) = term.buffers(in: terms, dates: T)
        term.adstock.weights(
          parameters: UnsafeBufferPointer(start: x + term.adstockStart, count: term.adstockCount),
          weights: UnsafeMutableBufferPointer(start: w, count: taps),
          jacobian: UnsafeMutableBufferPointer(start: jac, count: taps * term.adstockCount))
        equation.inputs[k].withUnsafeBufferPointer { input in
          Convolution.forward(
            input, weights: UnsafeBufferPointer(start: w, count: taps),
            into: UnsafeMutableBufferPointer(start: a, count: T))
        }
        term.saturation.valuesAndGradients(
          UnsafeBufferPointer(start: a, count: T),
          parameters: UnsafeBufferPointer(start: x + term.saturationStart, count: sc),
          values: UnsafeMutableBufferPointer(start: s, count: T),
          derivatives: UnsafeMutableBufferPointer(start: ds, count: T),
          parameterGradients: UnsafeMutableBufferPointer(start: dtheta, count: T * sc))
        for t in 0..<T { mu[t] += s[t] }
      }
      let mediaCount = equation.media.count
      for (k, term) in equation.linear.enumerated() {
        let gamma = x[term.coordinate]
        equation.inputs[mediaCount + k].withUnsafeBufferPointer { z in
          for t in 0..<T { mu[t] += gamma * z[t] }
        }
      }
      if equation.featureStart >= 0 {
        features.withUnsafeBufferPointer { f in
          for j in 0..<featureCount {
            let gamma = x[equation.featureStart + j]
            for t in 0..<T { mu[t] += gamma * f[j * T + t] }
          }
        }
      }
      let sigma = x[equation.sigma]
      if configuration.likelihood.dist == .studentT {
        // r[t] holds ∂ log L / ∂μ_t.
        let noise = StudentTNoise(nu: configuration.likelihood.nu, sigma: sigma)
        var dSigma = 0.0
        equation.target.withUnsafeBufferPointer { y in
          for t in 0..<T {
            let term = noise.term(y[t] - mu[t])
            lp += term.logDensity
            r[t] = term.dMean
            dSigma += term.dSigma
          }
        }
        gx[equation.sigma] += dSigma
      } else {
        var sumSquares = 0.0
        equation.target.withUnsafeBufferPointer { y in
          for t in 0..<T {
            let residual = y[t] - mu[t]
            r[t] = residual
            sumSquares += residual * residual
          }
        }
        let inverseVariance = 1 / (sigma * sigma)
        lp += -0.5 * sumSquares * inverseVariance - Double(T) * (Double.log(sigma) + halfLog2Pi)
        gx[equation.sigma] += sumSquares * inverseVariance / sigma - Double(T) / sigma
        // From here on r[t] holds ∂ log L / ∂μ_t.
        for t in 0..<T { r[t] *= inverseVariance }
      }
      var interceptGradient = 0.0
      for t in 0..<T { interceptGradient += r[t] }
      gx[equation.intercept] += interceptGradient
      for (k, term) in equation.linear.enumerated() {
        var g = 0.0
        equation.inputs[mediaCount + k].withUnsafeBufferPointer { z in
          for t in 0..<T { g += r[t] * z[t] }
        }
        gx[term.coordinate] += g
      }
      if equation.featureStart >= 0 {
        features.withUnsafeBufferPointer { f in
          for j in 0..<featureCount {
            var g = 0.0
            for t in 0..<T { g += r[t] * f[j * T + t] }
            gx[equation.featureStart + j] += g
          }
        }
      }
      for (k, term) in equation.media.enumerated() {
        let taps = term.taps
        let sc = term.saturationCount
        let (a, s, ds, dtheta, _, jac) = term.buffers(in: terms, dates: T)
        for j in 0..<sc {
          var g = 0.0
          for t in 0..<T { g += r[t] * dtheta[t * sc + j] }
          gx[term.saturationStart + j] += g
        }
        // u_t = ∂L/∂a_t (reuses `a`); c_l = Σ_t u_t x_{t−l} (reuses `s`); ∂L/∂θ_j = Σ_l J_jl c_l.
        for t in 0..<T { a[t] = r[t] * ds[t] }
        equation.inputs[k].withUnsafeBufferPointer { input in
          for l in 0..<min(taps, T) {
            var cl = 0.0
            for t in l..<T { cl += a[t] * input[t - l] }
            s[l] = cl
          }
        }
        for j in 0..<term.adstockCount {
          var g = 0.0
          for l in 0..<min(taps, T) { g += jac[j * taps + l] * s[l] }
          gx[term.adstockStart + j] += g
        }
      }
    }
    for i in 0..<D {
      let k = coordinates[i]
      let u = k.shift + k.scale * position[i]
      let (priorValue, priorDerivative) = k.prior.logDensityAndDerivative(x[i])
      lp += priorValue + k.transform.logJacobian(u)
      gradient[i] =
        k.scale
        * ((gx[i] + priorDerivative) * k.transform.derivative(u) + k.transform.logJacobianDerivative(u))
    }
    return lp
  }
}

extension StructuralMMM {
  /// The equation index of a modelled node.
  func equationIndex(of node: String) -> Int? { equations.firstIndex { $0.node == node } }

  /// A term's input for a series in original units: x / max|x| for a media term, standardised for a
  /// linear one.
  func termInput(_ equation: Equation, term k: Int, series: [Double]) -> [Double] {
    if k < equation.media.count {
      let scale = scales[equation.media[k].parent, default: 1]
      return series.map { $0 / scale }
    }
    let parent = equation.linear[k - equation.media.count].parent
    let (m, s) = (means[parent, default: 0], deviations[parent, default: 1])
    return series.map { s > 0 ? ($0 - m) / s : 0 }
  }

  /// The equation's mean (scaled units) for constrained parameter values and given term inputs
  /// (media terms first, then linear, as ``Equation/inputs``).
  func mean(_ equation: Equation, values v: [Double], inputs: [[Double]]) -> [Double] {
    let T = dateCount
    var mu = [Double](repeating: v[equation.intercept], count: T)
    for (k, term) in equation.media.enumerated() {
      let w = term.adstock.weights(Array(v[term.adstockStart..<(term.adstockStart + term.adstockCount)]))
      var a = [Double](repeating: 0, count: T)
      inputs[k].withUnsafeBufferPointer { input in
        w.withUnsafeBufferPointer { wp in
          a.withUnsafeMutableBufferPointer { Convolution.forward(input, weights: wp, into: $0) }
        }
      }
      let parameters = Array(v[term.saturationStart..<(term.saturationStart + term.saturationCount)])
      parameters.withUnsafeBufferPointer { p in
        for t in 0..<T { mu[t] += term.saturation.value(a[t], parameters: p) }
      }
    }
    for (k, term) in equation.linear.enumerated() {
      let gamma = v[term.coordinate]
      let z = inputs[equation.media.count + k]
      for t in 0..<T { mu[t] += gamma * z[t] }
    }
    if equation.featureStart >= 0 {
      for j in 0..<featureCount {
        let gamma = v[equation.featureStart + j]
        for t in 0..<T { mu[t] += gamma * features[j * T + t] }
      }
    }
    return mu
  }

  /// The parents of an equation's terms, in ``Equation/inputs`` order.
  func termParents(_ equation: Equation) -> [String] {
    equation.media.map(\.parent) + equation.linear.map(\.parent)
  }
}
