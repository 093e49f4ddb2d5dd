import CausalGraph
import CausalMMMCore
import Foundation
import Inference
import RealModule
import Testing

@testable import MMM

/// Test inputs for the structural model.
enum StructuralFixture {
  /// A DAG from names and edges (with optional attributes per edge `"a->b"`).
  static func dag(
    _ edges: [(String, String)], latent: Set<String> = [], attributes: [String: [String: String]] = [:]
  ) throws -> CausalDAG {
    var names: [String] = []
    for (a, b) in edges {
      if !names.contains(a) { names.append(a) }
      if !names.contains(b) { names.append(b) }
    }
    var dag = try CausalDAG(
      nodes: names.map { CausalDAG.Node(name: $0, isLatent: latent.contains($0)) },
      edges: edges.map { (from: $0.0, to: $0.1) })
    for (key, values) in attributes {
      let parts = key.components(separatedBy: "->")
      dag.edgeAttributes[CausalDAG.Edge(from: dag.index(of: parts[0])!, to: dag.index(of: parts[1])!)] =
        values
    }
    return dag
  }

  static func dates(_ count: Int) -> [CalendarDate] {
    (0..<count).map { CalendarDate(daysSinceEpoch: 19_000 + $0) }
  }

  /// x (channel) -> m -> y, x -> y, c -> m, c -> y (c a confounder entering linearly), m -> y linear.
  static func mediatedModel(
    attributes: [String: [String: String]] = [:], likelihood: MMMConfiguration.LikelihoodSettings = .init()
  ) throws -> StructuralMMM {
    let dag = try dag([("x", "m"), ("m", "y"), ("x", "y"), ("c", "m"), ("c", "y")], attributes: attributes)
    var configuration = MMMConfiguration(
      targetColumn: "y", channelColumns: ["x"], adstock: .init(type: .geometric, lMax: 4, normalize: true),
      saturation: .init(type: .logistic), yearlySeasonality: 1, trend: true)
    configuration.likelihood = likelihood
    configuration.structure = "dag"
    configuration.dag = "unused.dot"
    let specification = try StructuralSpecification.build(
      configuration: configuration, dag: dag, dagPath: "unused.dot")
    var random = TestRandom(state: 11)
    let T = 60
    var x: [Double] = []
    var c: [Double] = []
    var m: [Double] = []
    var y: [Double] = []
    for t in 0..<T {
      let xt = max(0, 5 + 3 * random.normal())
      let ct = random.normal()
      let mt = 2 + 0.4 * xt + 0.5 * ct + 0.3 * random.normal()
      x.append(xt)
      c.append(ct)
      m.append(mt)
      y.append(10 + 0.8 * xt + 0.6 * mt - 0.7 * ct + 0.05 * Double(t) + 0.4 * random.normal())
    }
    let data = try MMMData(dates: dates(T), columns: ["x": x, "c": c, "m": m, "y": y])
    return try StructuralMMM(configuration: configuration, specification: specification, data: data)
  }
}

@Suite struct StructuralSpecificationTests {
  @Test func equationsFollowTheDAGWithChannelsThroughTransformsAndOthersLinear() throws {
    let model = try StructuralFixture.mediatedModel()
    let equations = model.specification.equations
    #expect(equations.map(\.node) == ["m", "y"])
    #expect(
      equations[0].terms == [
        .init(parent: "c", kind: .linear),
        .init(parent: "x", kind: .media(adstock: .geometric, saturation: .logistic)),
      ])
    #expect(
      equations[1].terms == [
        .init(parent: "c", kind: .linear), .init(parent: "m", kind: .linear),
        .init(parent: "x", kind: .media(adstock: .geometric, saturation: .logistic)),
      ])
    #expect(model.parameterNames.contains("saturation_lam[m,x]"))
    #expect(model.parameterNames.contains("adstock_alpha[y,x]"))
    #expect(model.parameterNames.contains("gamma_control[y,m]"))
    #expect(model.parameterNames.contains("gamma_fourier[y,sin_1]"))
    #expect(model.parameterNames.contains("gamma_trend[y]"))
    #expect(!model.parameterNames.contains("gamma_trend[m]"))
    #expect(model.specification.columns == ["c", "m", "x", "y"])
  }

  @Test func edgeAttributesOverrideTheDefaults() throws {
    let model = try StructuralFixture.mediatedModel(attributes: [
      "x->y": ["transform": "linear"],
      "x->m": ["adstock": "delayed", "saturation": "hill"],
      "c->y": ["transform": "adstock_saturation"],
    ])
    let m = try #require(model.specification.equation(of: "m"))
    let y = try #require(model.specification.equation(of: "y"))
    #expect(m.terms.first { $0.parent == "x" }?.kind == .media(adstock: .delayed, saturation: .hill))
    #expect(y.terms.first { $0.parent == "x" }?.kind == .linear)
    #expect(y.terms.first { $0.parent == "c" }?.kind == .media(adstock: .geometric, saturation: .logistic))
    #expect(model.parameterNames.contains("saturation_kappa[m,x]"))
    #expect(model.parameterNames.contains("adstock_theta[m,x]"))
    #expect(model.parameterNames.contains("gamma_control[y,x]"))
    #expect(model.parameterNames.contains("saturation_lam[y,c]"))
  }

  @Test func badEdgeAttributesAreLocatedErrors() throws {
    let dag = try StructuralFixture.dag([("x", "y")], attributes: ["x->y": ["transform": "quadratic"]])
    let configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x"])
    let error = #expect(throws: LocatedError.self) {
      try StructuralSpecification.build(configuration: configuration, dag: dag, dagPath: "g.dot")
    }
    #expect(error?.message.contains("unknown transform 'quadratic'") == true)
    let saturation = try StructuralFixture.dag([("x", "y")], attributes: ["x->y": ["saturation": "hil"]])
    let second = #expect(throws: LocatedError.self) {
      try StructuralSpecification.build(configuration: configuration, dag: saturation, dagPath: "g.dot")
    }
    #expect(second?.message.contains("did you mean 'hill'") == true)
  }

  @Test func aLatentConfounderOfAMediatorEquationIsRefusedNamingThePath() throws {
    // x -> m -> y, x -> y, and m <-> x (a latent common cause of the channel and the mediator).
    let text = """
      digraph g {
        x -> m;
        m -> y;
        x -> y;
        x -> m [dir=both];
      }
      """
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "structural-latent-\(UUID()).dot"
    ).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let dag = try StructuralFixture.dag(
      [("x", "m"), ("m", "y"), ("x", "y"), ("U_m_x", "m"), ("U_m_x", "x")], latent: ["U_m_x"])
    let configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x"])
    let error = #expect(throws: LocatedError.self) {
      try StructuralSpecification.build(configuration: configuration, dag: dag, dagPath: path)
    }
    let message = error?.message ?? ""
    #expect(message.contains("the equation of 'm' is not identified"))
    #expect(message.contains("x <- U_m_x -> m"))
    #expect(message.contains("latent node U_m_x"))
    #expect(message.contains("its own model instead"))
    #expect(error?.file == path)
    #expect(error?.line == 5)
  }

  @Test func aControlCausedByAChannelIsRefused() throws {
    let dag = try StructuralFixture.dag([("x", "m"), ("m", "y"), ("x", "y"), ("c", "y")])
    var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x"], controlColumns: ["m"])
    let error = #expect(throws: LocatedError.self) {
      try StructuralSpecification.build(configuration: configuration, dag: dag, dagPath: "g.dot")
    }
    #expect(error?.message.contains("the control 'm' is caused by 'x'") == true)
    configuration.controlColumns = ["c", "z"]  // a DAG parent and a column outside the DAG: both fine
    let specification = try StructuralSpecification.build(
      configuration: configuration, dag: dag, dagPath: "g.dot")
    #expect(specification.equation(of: "y")?.terms.map(\.parent) == ["c", "m", "x", "z"])
  }

  @Test func aChannelWithoutAPathToTheOutcomeHasExactlyZeroEffect() throws {
    let dag = try StructuralFixture.dag([("x", "y"), ("w", "v")])
    let configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x", "w"])
    let specification = try StructuralSpecification.build(
      configuration: configuration, dag: dag, dagPath: "g.dot")
    #expect(specification.columns == ["w", "x", "y"])
    var random = TestRandom(state: 2)
    let x = (0..<40).map { _ in 1 + random.uniform() }
    let data = try MMMData(
      dates: StructuralFixture.dates(40),
      columns: ["x": x, "w": x.map { $0 * 2 }, "y": x.map { $0 + random.normal() }])
    let model = try StructuralMMM(configuration: configuration, specification: specification, data: data)
    let fit = StructuralFit(
      model: model, unconstrainedDraws: [StructuralLogDensityTests.position(model.dimension, seed: 4)])
    let effects = try fit.channelEffects()
    #expect(effects.map(\.channel) == ["x", "x", "w", "w"])
    #expect(effects[2].total == [0])
    #expect(effects[0].total[0] != 0)
  }

  @Test func aLatentMediatorIsRefused() throws {
    let dag = try StructuralFixture.dag([("x", "L"), ("L", "y"), ("c", "y")], latent: ["L"])
    let configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x"])
    let error = #expect(throws: LocatedError.self) {
      try StructuralSpecification.build(configuration: configuration, dag: dag, dagPath: "g.dot")
    }
    #expect(
      error?.message.contains("the latent node 'L' lies on a directed path from the channel 'x' to 'y'")
        == true)
  }

  @Test func aConfounderThatIsAnotherParentIsFine() throws {
    // c -> x, c -> y, x -> y: y's equation holds c, so the back-door x <- c -> y is blocked.
    let dag = try StructuralFixture.dag([("c", "x"), ("c", "y"), ("x", "y")])
    let configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x"])
    let specification = try StructuralSpecification.build(
      configuration: configuration, dag: dag, dagPath: "g.dot")
    #expect(specification.equations.map(\.node) == ["y"])
  }

  @Test func structureDagNeedsADagKey() throws {
    let error = #expect(throws: LocatedError.self) {
      try MMMConfiguration.parse(text: "channel_columns: [x]\nstructure: dag\n", name: "m.yaml")
    }
    #expect(error?.message.contains("needs a 'dag: FILE.dot'") == true)
    let parsed = try MMMConfiguration.parse(
      text: "channel_columns: [x]\nstructure: dag\ndag: g.dot\n", name: "m.yaml")
    #expect(parsed.structure == "dag")
  }
}

@Suite struct StructuralLogDensityTests {
  static func position(_ dimension: Int, seed: UInt64) -> [Double] {
    var random = TestRandom(state: seed)
    return (0..<dimension).map { _ in 0.8 * random.normal() }
  }

  @Test func gradientMatchesFiniteDifferences() throws {
    let studentT = MMMConfiguration.LikelihoodSettings(dist: .studentT, nu: 4)
    for (attributes, likelihood) in [
      ([:], .init()), (["x->m": ["adstock": "weibull_pdf", "saturation": "michaelis_menten"]], .init()),
      ([:], studentT),
    ] as [([String: [String: String]], MMMConfiguration.LikelihoodSettings)] {
      let model = try StructuralFixture.mediatedModel(attributes: attributes, likelihood: likelihood)
      for seed in [1, 2] as [UInt64] {
        let u = Self.position(model.dimension, seed: seed)
        let (_, gradient) = model.valueAndGradient(u)
        for i in 0..<model.dimension {
          let fd = finiteDifference({ model.valueAndGradient($0).value }, at: u, index: i, step: 1e-6)
          #expect(
            abs(fd - gradient[i]) <= 1e-5 * max(1, abs(fd)),
            "\(model.parameterNames[i]): analytic \(gradient[i]) vs finite difference \(fd)")
        }
      }
    }
  }

  /// The log density written out plainly from the constrained values, by name.
  static func plainLogDensity(_ model: StructuralMMM, position u: [Double], data: [String: [Double]])
    -> Double
  {
    let values = Dictionary(uniqueKeysWithValues: zip(model.parameterNames, model.constrained(u)))
    let T = data["y"]!.count
    func scaled(_ name: String) -> [Double] {
      let m = data[name]!.map(abs).max()!
      return data[name]!.map { $0 / m }
    }
    func standardised(_ name: String) -> [Double] {
      let v = data[name]!
      let mean = v.reduce(0, +) / Double(T)
      let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(T)).squareRoot()
      return v.map { ($0 - mean) / sd }
    }
    func media(_ equation: String, _ parent: String) -> [Double] {
      let alpha = values["adstock_alpha[\(equation),\(parent)]"]!
      let weights = (0..<4).map { Double.pow(alpha, Double($0)) }
      let total = weights.reduce(0, +)
      let x = scaled(parent)
      let lam = values["saturation_lam[\(equation),\(parent)]"]!
      let beta = values["saturation_beta[\(equation),\(parent)]"]!
      return (0..<T).map { t in
        var a = 0.0
        for l in 0...min(3, t) { a += weights[l] / total * x[t - l] }
        return beta * (1 - Double.exp(-lam * a)) / (1 + Double.exp(-lam * a))
      }
    }
    func normal(_ v: Double, _ mu: Double, _ sigma: Double) -> Double {
      -0.5 * (v - mu) * (v - mu) / (sigma * sigma) - Double.log(sigma) - 0.5 * Double.log(2 * Double.pi)
    }
    // The observations' density: Normal, or Student-t with the configuration's ν.
    let likelihood = model.configuration.likelihood
    func observation(_ v: Double, _ mu: Double, _ sigma: Double) -> Double {
      guard likelihood.dist == .studentT else { return normal(v, mu, sigma) }
      let nu = likelihood.nu
      let standardised = (v - mu) / sigma
      return Double.logGamma((nu + 1) / 2) - Double.logGamma(nu / 2) - 0.5 * Double.log(nu * Double.pi)
        - Double.log(sigma) - (nu + 1) / 2 * Double.log(1 + standardised * standardised / nu)
    }
    var lp = 0.0
    let c = standardised("c")
    let m = scaled("m")
    let mStandard = standardised("m")
    let y = scaled("y")
    let mx = media("m", "x")
    let yx = media("y", "x")
    for t in 0..<T {
      let muM = values["intercept[m]"]! + mx[t] + values["gamma_control[m,c]"]! * c[t]
      lp += observation(m[t], muM, values["y_sigma[m]"]!)
      let day = CalendarDate(daysSinceEpoch: 19_000 + t)
      let angle = 2 * Double.pi * Double(day.dayOfYear) / 365.25
      let muY =
        values["intercept[y]"]! + yx[t] + values["gamma_control[y,c]"]! * c[t]
        + values["gamma_control[y,m]"]! * mStandard[t] + values["gamma_fourier[y,sin_1]"]! * Double.sin(angle)
        + values["gamma_fourier[y,cos_1]"]! * Double.cos(angle) + values["gamma_trend[y]"]! * Double(t)
        / Double(T - 1)
      lp += observation(y[t], muY, values["y_sigma[y]"]!)
    }
    // Priors (PyMC-Marketing's defaults) and the log-Jacobians of the constraining maps.
    func logNormalDensity(_ v: Double, _ mu: Double, _ s: Double) -> Double { normal(v, mu, s) }
    for (i, name) in model.parameterNames.enumerated() {
      let v = values[name]!
      let coordinate = model.coordinates[i]
      let uu = coordinate.shift + coordinate.scale * u[i]
      if name.hasPrefix("intercept") || name.hasPrefix("gamma_control") {
        lp += logNormalDensity(v, 0, 2)
      } else if name.hasPrefix("gamma_trend") {
        lp += logNormalDensity(v, 0, 1)
      } else if name.hasPrefix("gamma_fourier") {
        lp += -abs(v) - Double.log(2)
      } else if name.hasPrefix("y_sigma") || name.hasPrefix("saturation_beta") {
        lp += logNormalDensity(v, 0, 2) + Double.log(2) + uu  // HalfNormal(2), v = exp(u)
      } else if name.hasPrefix("saturation_lam") {
        lp += 3 * Double.log(1.0) - Double.logGamma(3) + 2 * Double.log(v) - v + uu  // Gamma(3, 1)
      } else if name.hasPrefix("adstock_alpha") {
        // Beta(1, 3), v = logistic(u): log 3 + 2 log(1 − v) + log v + log(1 − v).
        lp += Double.log(3) + 2 * Double.log(1 - v) + Double.log(v) + Double.log(1 - v)
      } else {
        Issue.record("unexpected parameter \(name)")
      }
    }
    return lp
  }

  @Test func logDensityEqualsAPlainIndependentImplementation() throws {
    #expect(GeometricAdstock(lMax: 4, normalize: true).defaultPriors == [.beta(alpha: 1, beta: 3)])
    for likelihood in [.init(), .init(dist: .studentT, nu: 3)] as [MMMConfiguration.LikelihoodSettings] {
      let model = try StructuralFixture.mediatedModel(likelihood: likelihood)
      for seed in [3, 4, 5] as [UInt64] {
        let u = Self.position(model.dimension, seed: seed)
        let value = model.valueAndGradient(u).value
        let plain = Self.plainLogDensity(model, position: u, data: model.columns)
        #expect(
          abs(value - plain) <= 1e-9 * max(1, abs(plain)),
          "\(likelihood.dist): model \(value) vs plain \(plain)")
      }
    }
  }
}

@Suite struct StructuralEffectTests {
  @Test func aCounterfactualEqualToTheObservedInputChangesNothing() throws {
    let model = try StructuralFixture.mediatedModel()
    let draws = [1, 2, 3].map { StructuralLogDensityTests.position(model.dimension, seed: $0) }
    let fit = StructuralFit(model: model, unconstrainedDraws: draws)
    for v in fit.constrainedDraws {
      for node in ["x", "c", "m"] {
        let change = fit.outcomeChange(values: v, doValues: [node: model.columns[node]!])
        #expect(change.map(abs).max()! <= 1e-12)
      }
    }
    // A real intervention does change the outcome, and with the mediator held only the direct path acts.
    let v = fit.constrainedDraws[0]
    let dark = [Double](repeating: 0, count: model.dateCount)
    let total = fit.outcomeChange(values: v, doValues: ["x": dark])
    let direct = fit.outcomeChange(values: v, doValues: ["x": dark], hold: ["m"])
    #expect(total.map(abs).max()! > 1e-6)
    #expect(zip(total, direct).map { abs($0 - $1) }.max()! > 1e-9)
  }

  @Test func propagationKeepsEachNodesObservedResidual() throws {
    // With x -> m and x -> y linear (by attribute) and m -> y linear, the counterfactual is closed form:
    // Δm = γ_mx Δx / sd_x · max|m|, Δy = max|y| (γ_yx Δx / sd_x + γ_ym Δm / sd_m).
    let model = try StructuralFixture.mediatedModel(attributes: [
      "x->m": ["transform": "linear"], "x->y": ["transform": "linear"],
    ])
    let fit = StructuralFit(
      model: model, unconstrainedDraws: [StructuralLogDensityTests.position(model.dimension, seed: 9)])
    let values = Dictionary(uniqueKeysWithValues: zip(model.parameterNames, fit.constrainedDraws[0]))
    func sd(_ v: [Double]) -> Double {
      let mean = v.reduce(0, +) / Double(v.count)
      return (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)).squareRoot()
    }
    let x = model.columns["x"]!
    let m = model.columns["m"]!
    let y = model.columns["y"]!
    let counterfactual = x.enumerated().map {
      $0.offset >= 20 && $0.offset < 30 ? $0.element + 2 : $0.element
    }
    let change = fit.outcomeChange(values: fit.constrainedDraws[0], doValues: ["x": counterfactual])
    for t in 0..<x.count {
      let dx = counterfactual[t] - x[t]
      let dm = values["gamma_control[m,x]"]! * dx / sd(x) * m.map(abs).max()!
      let dy =
        y.map(abs).max()!
        * (values["gamma_control[y,x]"]! * dx / sd(x) + values["gamma_control[y,m]"]! * dm / sd(m))
      #expect(abs(change[t] - dy) <= 1e-9 * max(1, abs(dy)))
    }
  }

  @Test func studentTEquationsResistOutliersThatBiasTheNormalOnes() throws {
    // x -> m -> y and x -> y, linear, total effect (2 + 1.5 · 0.5) Δx; a third of the dates with high x
    // get y + 8, which pulls a Normal likelihood's b_xy up and hardly moves a Student-t's.
    let dag = try StructuralFixture.dag(
      [("x", "m"), ("m", "y"), ("x", "y")],
      attributes: ["x->m": ["transform": "linear"], "x->y": ["transform": "linear"]])
    var random = TestRandom(state: 9)
    let T = 300
    let x = (0..<T).map { _ in 10 + 2 * random.normal() }
    let m = x.map { 1 + 1.5 * $0 + 0.5 * random.normal() }
    let y = zip(x, m).map { xt, mt in
      2 + 2 * xt + 0.5 * mt + 0.5 * random.normal() + (xt > 11.5 && random.uniform() < 1.0 / 3 ? 8 : 0)
    }
    let data = try MMMData(dates: StructuralFixture.dates(T), columns: ["x": x, "m": m, "y": y])
    let dx = x.reduce(0, +) * 0.5
    var errors: [LikelihoodKind: Double] = [:]
    for likelihood in [.init(), .init(dist: .studentT, nu: 3)] as [MMMConfiguration.LikelihoodSettings] {
      var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x"])
      configuration.structure = "dag"
      configuration.likelihood = likelihood
      let specification = try StructuralSpecification.build(
        configuration: configuration, dag: dag, dagPath: "g.dot")
      let model = try StructuralMMM(configuration: configuration, specification: specification, data: data)
      var sampler = SamplerConfiguration()
      (sampler.chains, sampler.tune, sampler.draws, sampler.seed) = (2, 400, 400, 3)
      let effect = try StructuralFit.fit(model, sampler: sampler).effect(
        channel: "x", factor: 1.5, window: 0..<T, label: "plus_50")
      let mean = effect.total.reduce(0, +) / Double(effect.total.count)
      let sd =
        (effect.total.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(effect.total.count))
        .squareRoot()
      errors[likelihood.dist] = abs(mean - 2.75 * dx)
      if likelihood.dist == .studentT {
        #expect(abs(mean - 2.75 * dx) <= 3 * sd, "Student-t total \(mean) vs truth \(2.75 * dx) (sd \(sd))")
      }
    }
    let normal = try #require(errors[.normal])
    let studentT = try #require(errors[.studentT])
    #expect(studentT < normal / 3, "total effect error: Student-t \(studentT), Normal \(normal)")
  }

  @Test func linearGaussianChainRecoversTotalDirectAndIndirectEffects() throws {
    // x -> m -> y and x -> y, everything linear: total = (b_xy + b_xm b_my) Δx, direct = b_xy Δx.
    let dag = try StructuralFixture.dag(
      [("x", "m"), ("m", "y"), ("x", "y")],
      attributes: ["x->m": ["transform": "linear"], "x->y": ["transform": "linear"]])
    var configuration = MMMConfiguration(targetColumn: "y", channelColumns: ["x"])
    configuration.structure = "dag"
    let specification = try StructuralSpecification.build(
      configuration: configuration, dag: dag, dagPath: "g.dot")
    var random = TestRandom(state: 5)
    let T = 300
    let x = (0..<T).map { _ in 10 + 2 * random.normal() }
    let m = x.map { 1 + 1.5 * $0 + 0.5 * random.normal() }
    let y = zip(x, m).map { 2 + 2 * $0 + 0.5 * $1 + 0.5 * random.normal() }
    let data = try MMMData(dates: StructuralFixture.dates(T), columns: ["x": x, "m": m, "y": y])
    let model = try StructuralMMM(configuration: configuration, specification: specification, data: data)
    var sampler = SamplerConfiguration()
    (sampler.chains, sampler.tune, sampler.draws, sampler.seed) = (2, 400, 400, 3)
    let fit = try StructuralFit.fit(model, sampler: sampler)
    let effect = try fit.effect(channel: "x", factor: 1.5, window: 0..<T, label: "plus_50")
    let dx = x.reduce(0, +) * 0.5

    // Ordinary least squares, the posterior mean under flat priors (the N(0, 2) priors on the scaled
    // coefficients shift it by ~1e-7 relative here); the two equations' posteriors are independent,
    // so the mean of the product b_xm b_my is the product of the means.
    func ols(_ columns: [[Double]], _ target: [Double]) -> [Double] {
      let k = columns.count + 1
      var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
      for t in 0..<target.count {
        let row = [1] + columns.map { $0[t] }
        for i in 0..<k {
          for j in 0..<k { a[i][j] += row[i] * row[j] }
          a[i][k] += row[i] * target[t]
        }
      }
      for i in 0..<k {
        let pivot = a[i][i]
        for j in i...k { a[i][j] /= pivot }
        for r in 0..<k where r != i {
          let f = a[r][i]
          for j in i...k { a[r][j] -= f * a[i][j] }
        }
      }
      return (0..<k).map { a[$0][k] }
    }
    let bxm = ols([x], m)[1]
    let yCoefficients = ols([x, m], y)
    let (bxy, bmy) = (yCoefficients[1], yCoefficients[2])
    let expected = [
      ("total", (bxy + bxm * bmy) * dx, effect.total), ("direct", bxy * dx, effect.direct),
      ("indirect", bxm * bmy * dx, effect.indirect),
    ]
    let perChain = sampler.draws
    for (name, value, draws) in expected {
      let chains = [Array(draws[0..<perChain]), Array(draws[perChain...])]
      let mean = draws.reduce(0, +) / Double(draws.count)
      let mcse = Diagnostics.mcseMean(chains)
      #expect(
        abs(mean - value) <= 4 * mcse,
        "\(name): posterior mean \(mean) vs closed form \(value) (MCSE \(mcse))")
    }
    // And the data-generating truth, (2 + 1.5 · 0.5) Δx, lies within the posterior's spread.
    let sd =
      (effect.total.map { ($0 - effect.total.reduce(0, +) / Double(effect.total.count)) }
      .map { $0 * $0 }.reduce(0, +) / Double(effect.total.count)).squareRoot()
    let mean = effect.total.reduce(0, +) / Double(effect.total.count)
    #expect(abs(mean - 2.75 * dx) <= 4 * sd)
    #expect(effect.throughMediator.map(\.mediator) == ["m"])

    // The fit directory reloads to the same draws and the same effects.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("structural-fit-\(UUID())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let csv = directory.appendingPathExtension("csv")
    defer { try? FileManager.default.removeItem(at: csv) }
    let rows = (0..<T).map { "\(StructuralFixture.dates(T)[$0]),\(x[$0]),\(m[$0]),\(y[$0])" }
    try (["date,x,m,y"] + rows).joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
    try StructuralFitArchive.write(fit: fit, to: directory, dataPath: csv.path)
    let reloaded = try StructuralFitArchive.load(from: directory)
    #expect(reloaded.unconstrainedDraws == fit.unconstrainedDraws)
    let again = try reloaded.effect(channel: "x", factor: 1.5, window: 0..<T, label: "plus_50")
    #expect(maxAbsDifference(again.total, effect.total) <= 1e-9 * abs(effect.total[0]))
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("chain-2.csv").path))
  }
}
