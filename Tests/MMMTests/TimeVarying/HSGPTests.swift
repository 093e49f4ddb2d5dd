import Foundation
import Testing

@testable import MMM

/// PyMC's HSGP basis and spectral densities (`Tests/Fixtures/reference/hsgp_reference.json`, computed once
/// with PyMC 5.28 by `scripts/reference/hsgp_reference.py` and committed).
enum HSGPReference {
  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/reference/hsgp_reference.json")
  nonisolated(unsafe) static let object: [String: Any] = {
    guard let data = try? Data(contentsOf: file),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { preconditionFailure("cannot read \(file.path)") }
    return object
  }()
  static var cases: [[String: Any]] { object["hsgp"] as! [[String: Any]] }
  static var inverseGamma: [[String: Any]] { object["inverse_gamma"] as! [[String: Any]] }
}

@Suite struct HSGPTests {
  @Test func basisAndSpectralDensitiesMatchPyMC() throws {
    #expect(HSGPReference.cases.count == 4)
    for c in HSGPReference.cases {
      let T = c["T"] as! Int
      let m = c["m"] as! Int
      let L = c["L"] as! Double
      let cov = try #require(HSGPCovariance(matching: c["cov_func"] as! String))
      let eta = c["eta"] as! Double
      let ls = c["ls"] as! Double
      let phi = c["phi"] as! [[Double]]
      let sqrtPSD = c["sqrt_psd"] as! [Double]
      let term = HSGPTerm(points: HSGPTerm.centredTimeIndex(dateCount: T), m: m, L: L, covariance: cov)
      for t in 0..<T {
        for j in 0..<m {
          #expect(abs(term.basis[t * m + j] - phi[t][j]) < 1e-12, "\(cov) phi[\(t),\(j)]")
        }
      }
      for j in 0..<m {
        let s = cov.spectralDensity(omega: term.frequencies[j], lengthscale: ls, eta: eta).squareRoot()
        #expect(
          abs(s - sqrtPSD[j]) < 1e-10 * max(1, sqrtPSD[j]), "\(cov) sqrt_psd[\(j)]: \(s) vs \(sqrtPSD[j])")
      }
    }
  }

  @Test func inverseGammaFromMeanAndSdMatchesPyMC() {
    for c in HSGPReference.inverseGamma {
      let prior = Prior.inverseGamma(mean: c["mu"] as! Double, sd: c["sigma"] as! Double)
      guard case .inverseGamma(let alpha, let beta) = prior else {
        Issue.record("not an inverse gamma")
        return
      }
      #expect(abs(alpha - (c["alpha"] as! Double)) < 1e-12)
      #expect(abs(beta - (c["beta"] as! Double)) < 1e-9)
      let scipy = c["logp_scipy"] as! [Double]
      for (i, (x, lp)) in zip(c["points"] as! [Double], c["logp"] as! [Double]).enumerated() {
        // PyMC's gammaln is good to ~1e-7 here; SciPy's log density to rounding.
        #expect(abs(prior.logDensity(x) - lp) < 1e-6, "PyMC logp(\(x))")
        #expect(abs(prior.logDensity(x) - scipy[i]) < 1e-12 * max(1, abs(scipy[i])), "SciPy logp(\(x))")
        let fd = finiteDifference({ prior.logDensity($0[0]) }, at: [x], index: 0, step: 1e-6 * x)
        #expect(abs(prior.logDensityAndDerivative(x).derivative - fd) < 1e-6 * max(1, abs(fd)))
      }
    }
  }

  @Test func parsedInverseGammaTakesMuSigmaOrAlphaBeta() throws {
    let a = try Prior.make(name: "InverseGamma", parameters: ["mu": 5, "sigma": 10]).get()
    #expect(a == .inverseGamma(alpha: 2.25, beta: 6.25))
    let b = try Prior.make(name: "InverseGamma", parameters: ["alpha": 3, "beta": 2]).get()
    #expect(b == .inverseGamma(alpha: 3, beta: 2))
    #expect(b.support == .positive)
  }

  /// A scalar functional of f, Σ_t w_t f_t, differentiated through the term's hand chain rule, against
  /// central differences in (log η, log ℓ, z).
  @Test func gradientInLogEtaLogEllAndZMatchesFiniteDifferences() {
    for cov in HSGPCovariance.allCases {
      let T = 37
      let m = 9
      let term = HSGPTerm(points: HSGPTerm.centredTimeIndex(dateCount: T), m: m, L: 30, covariance: cov)
      let w = (0..<T).map { Double.sin(0.3 * Double($0)) + 0.1 * Double($0 % 5) }
      func objective(_ u: [Double]) -> Double {
        let f = term.curve(eta: Double.exp(u[0]), lengthscale: Double.exp(u[1]), z: Array(u[2...]))
        return zip(w, f).map(*).reduce(0, +)
      }
      let u = [0.3, Double.log(5.0)] + (0..<m).map { 0.4 * Double.cos(Double($0) * 1.7) }
      let eta = Double.exp(u[0])
      let ell = Double.exp(u[1])
      let z = Array(u[2...])
      var beta = [Double](repeating: 0, count: m)
      var slope = [Double](repeating: 0, count: m)
      var gBeta = [Double](repeating: 0, count: m)
      var dz = [Double](repeating: 0, count: m)
      z.withUnsafeBufferPointer { zp in
        beta.withUnsafeMutableBufferPointer { b in
          slope.withUnsafeMutableBufferPointer { s in
            term.coefficients(eta: eta, lengthscale: ell, z: zp, beta: b, dLogEll: s)
          }
        }
      }
      w.withUnsafeBufferPointer { wp in
        gBeta.withUnsafeMutableBufferPointer { term.addTransposed(wp, into: $0) }
      }
      let (dEta, dEll) = gBeta.withUnsafeBufferPointer { g in
        beta.withUnsafeBufferPointer { b in
          slope.withUnsafeBufferPointer { s in
            dz.withUnsafeMutableBufferPointer { d in
              term.pullBack(betaGradient: g, eta: eta, lengthscale: ell, beta: b, dLogEll: s, dz: d)
            }
          }
        }
      }
      let analytic = [dEta * eta, dEll * ell] + dz
      for i in u.indices {
        let fd = finiteDifference(objective, at: u, index: i)
        #expect(
          abs(fd - analytic[i]) < 1e-6 * max(1, abs(fd)), "\(cov) coordinate \(i): \(analytic[i]) vs \(fd)")
      }
    }
  }

  /// The hot path's √S without logarithms (times √ℓ) and its log-slope agree with the log form.
  @Test func logFreeRootSpectralDensityMatchesTheLogForm() {
    let frequencies = [0.01, 0.05, 0.37, 1.3]
    for cov in HSGPCovariance.allCases {
      for ell in [0.7, 2.5, 52.0, 200.0] {
        var values = [Double](repeating: 0, count: 4)
        var slopes = values
        frequencies.withUnsafeBufferPointer { w in
          values.withUnsafeMutableBufferPointer { v in
            slopes.withUnsafeMutableBufferPointer { s in
              cov.scaledRootSpectralDensities(frequencies: w, lengthscale: ell, values: v, slopes: s)
            }
          }
        }
        for (j, w) in frequencies.enumerated() {
          let (logRoot, logSlope) = cov.logSqrtSpectralDensity(omega: w, lengthscale: ell)
          let root = Double.exp(logRoot)
          #expect(
            abs(values[j] * ell.squareRoot() - root) <= 1e-13 * max(root, 1e-300), "\(cov) ω \(w) ℓ \(ell)")
          #expect(abs(slopes[j] - logSlope) < 1e-12)
        }
      }
    }
  }

  @Test func closedFormSpectralDensitiesAtAPoint() {
    // Independent of the implementation's log form: the densities written out directly.
    let (w, ell, eta) = (0.37, 2.5, 1.7)
    let q = ell * ell * w * w
    let expquad = eta * eta * (2 * Double.pi).squareRoot() * ell * Double.exp(-q / 2)
    let matern52 = eta * eta * 16.0 / 3.0 * Double.pow(5.0, 2.5) * ell / Double.pow(5 + q, 3)
    let matern32 = eta * eta * 4 * Double.pow(3.0, 1.5) * ell / Double.pow(3 + q, 2)
    #expect(
      abs(HSGPCovariance.expquad.spectralDensity(omega: w, lengthscale: ell, eta: eta) - expquad) < 1e-12)
    #expect(
      abs(HSGPCovariance.matern52.spectralDensity(omega: w, lengthscale: ell, eta: eta) - matern52) < 1e-12)
    #expect(
      abs(HSGPCovariance.matern32.spectralDensity(omega: w, lengthscale: ell, eta: eta) - matern32) < 1e-12)
  }
}
