import RealModule
import Testing

@testable import MMM

@Suite struct AdstockTests {
  static let cases: [(String, any Adstock, [Double])] = [
    ("geometric_a0.5_L8_normTrue", GeometricAdstock(lMax: 8, normalize: true), [0.5]),
    ("geometric_a0.3_L4_normFalse", GeometricAdstock(lMax: 4, normalize: false), [0.3]),
    ("geometric_a0.7_L12_normTrue", GeometricAdstock(lMax: 12, normalize: true), [0.7]),
    ("delayed_a0.5_th2.0_L8_normTrue", DelayedAdstock(lMax: 8, normalize: true), [0.5, 2.0]),
    ("delayed_a0.5_th2.0_L8_normFalse", DelayedAdstock(lMax: 8, normalize: false), [0.5, 2.0]),
    ("binomial_a0.4_L6_normTrue", BinomialAdstock(lMax: 6, normalize: true), [0.4]),
    ("weibull_pdf_lam2.0_k1.5_L8_normTrue", WeibullPDFAdstock(lMax: 8, normalize: true), [2.0, 1.5]),
    ("weibull_pdf_lam2.0_k1.5_L8_normFalse", WeibullPDFAdstock(lMax: 8, normalize: false), [2.0, 1.5]),
    ("weibull_cdf_lam2.0_k1.5_L8_normTrue", WeibullCDFAdstock(lMax: 8, normalize: true), [2.0, 1.5]),
    ("weibull_cdf_lam2.0_k1.5_L8_normFalse", WeibullCDFAdstock(lMax: 8, normalize: false), [2.0, 1.5]),
    ("weibull_pdf_lam3.0_k0.8_L10_normTrue", WeibullPDFAdstock(lMax: 10, normalize: true), [3.0, 0.8]),
    ("weibull_pdf_lam3.0_k0.8_L10_normFalse", WeibullPDFAdstock(lMax: 10, normalize: false), [3.0, 0.8]),
    ("weibull_cdf_lam3.0_k0.8_L10_normTrue", WeibullCDFAdstock(lMax: 10, normalize: true), [3.0, 0.8]),
    ("weibull_cdf_lam3.0_k0.8_L10_normFalse", WeibullCDFAdstock(lMax: 10, normalize: false), [3.0, 0.8]),
  ]

  @Test func everyAdstockMatchesPyMCMarketingReferenceVectorsTo1e12() {
    let x = Reference.vector("x_series")
    #expect(x.count == 20)
    for (key, adstock, parameters) in Self.cases {
      let expected = Reference.vector(key)
      #expect(expected.count == 20, "missing vector \(key)")
      let got = adstock.apply(x, parameters: parameters)
      #expect(maxAbsDifference(got, expected) < 1e-12, "\(key)")
    }
  }

  @Test func weibullCDFHasLMaxPlusOneTaps() {
    #expect(WeibullCDFAdstock(lMax: 8).weights([2, 1.5]).count == 9)
    #expect(WeibullPDFAdstock(lMax: 8).weights([2, 1.5]).count == 8)
  }

  @Test func weightJacobianMatchesFiniteDifferencesForEveryAdstockAndParameter() {
    for (key, adstock, parameters) in Self.cases {
      let (_, jacobian) = adstock.weightsAndJacobian(parameters)
      for j in parameters.indices {
        for l in 0..<adstock.tapCount {
          let fd = finiteDifference({ adstock.weights($0)[l] }, at: parameters, index: j)
          #expect(abs(fd - jacobian[j][l]) < 1e-6 * max(1, abs(fd)), "\(key) param \(j) tap \(l)")
        }
      }
    }
  }

  @Test func convolutionAdjointsSatisfyTheInnerProductIdentity() {
    // <g, conv(x, w)> = <conv^T_x(g), x> = <weightAdjoint(x, g), w>
    let x = Reference.vector("x_series")
    let w = GeometricAdstock(lMax: 5, normalize: false).weights([0.6])
    let g = x.indices.map { Double.sin(Double($0)) }
    var y = [Double](repeating: 0, count: x.count)
    var gx = y
    var gw = [Double](repeating: 0, count: w.count)
    x.withUnsafeBufferPointer { xp in
      w.withUnsafeBufferPointer { wp in
        g.withUnsafeBufferPointer { gp in
          y.withUnsafeMutableBufferPointer { Convolution.forward(xp, weights: wp, into: $0) }
          gx.withUnsafeMutableBufferPointer { Convolution.inputAdjoint(gp, weights: wp, into: $0) }
          gw.withUnsafeMutableBufferPointer { Convolution.weightAdjoint(xp, upstream: gp, into: $0) }
        }
      }
    }
    let lhs = zip(g, y).map(*).reduce(0, +)
    #expect(abs(lhs - zip(gx, x).map(*).reduce(0, +)) < 1e-12)
    #expect(abs(lhs - zip(gw, w).map(*).reduce(0, +)) < 1e-12)
  }
}

@Suite struct SaturationTests {
  @Test func logisticMichaelisMentenAndHillMatchReferenceVectorsTo1e12() {
    let grid = Reference.vector("x_grid")
    #expect(grid.count == 13)
    let logistic = grid.map { LogisticSaturation().value($0, parameters: [2.5, 1]) }
    #expect(maxAbsDifference(logistic, Reference.vector("logistic_lam2.5")) < 1e-12)
    let mm = grid.map { MichaelisMentenSaturation().value($0, parameters: [3, 0.8]) }
    #expect(maxAbsDifference(mm, Reference.vector("michaelis_menten_alpha3_lam0.8")) < 1e-12)
    let hill = grid.map { HillSaturation().value($0, parameters: [1.7, 0.9, 1]) }
    #expect(maxAbsDifference(hill, Reference.vector("hill_slope1.7_kappa0.9")) < 1e-12)
  }

  @Test func tanhAndRootMatchTheirClosedForms() {
    for x in [0.0, 0.3, 1.1, 2.5] {
      #expect(
        abs(TanhSaturation().value(x, parameters: [1.3, 0.7]) - 1.3 * Double.tanh(x / (1.3 * 0.7))) < 1e-15)
      #expect(abs(RootSaturation().value(x, parameters: [0.4, 2]) - 2 * Double.pow(x, 0.4)) < 1e-14)
    }
  }

  @Test func everySaturationGradientMatchesFiniteDifferences() {
    let cases: [(any Saturation, [Double])] = [
      (LogisticSaturation(), [2.5, 0.7]), (MichaelisMentenSaturation(), [3, 0.8]),
      (HillSaturation(), [1.7, 0.9, 1.2]), (TanhSaturation(), [1.3, 0.7]), (RootSaturation(), [0.4, 2]),
    ]
    for (saturation, parameters) in cases {
      for x in [0.2, 0.9, 1.7] {
        let r = saturation.valueAndGradient(x, parameters: parameters)
        #expect(abs(r.value - saturation.value(x, parameters: parameters)) < 1e-15)
        let fdx = finiteDifference({ saturation.value($0[0], parameters: parameters) }, at: [x], index: 0)
        #expect(abs(fdx - r.derivative) < 1e-7, "\(type(of: saturation)) d/dx at \(x)")
        for j in parameters.indices {
          let fd = finiteDifference({ saturation.value(x, parameters: $0) }, at: parameters, index: j)
          #expect(abs(fd - r.parameterGradient[j]) < 1e-7, "\(type(of: saturation)) param \(j) at \(x)")
        }
      }
    }
  }
}
