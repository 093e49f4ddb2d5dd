import Foundation
import Testing

@testable import Inference

@Suite("Regularised incomplete gamma")
struct SpecialCDFTests {
  @Test("the chi-square survival matches closed forms: 2 degrees is exp(-x/2), 1 degree is erfc(sqrt(x/2))")
  func chiSquareClosedForms() {
    for x in [0.1, 0.5, 1.0, 3.0, 10.0, 40.0] {
      #expect(abs(SpecialCDF.chiSquareSurvival(x, degrees: 2) - Foundation.exp(-x / 2)) < 1e-13)
      #expect(
        abs(SpecialCDF.chiSquareSurvival(x, degrees: 1) - Foundation.erfc((x / 2).squareRoot())) < 1e-12)
    }
  }

  @Test("lower and upper parts add to one, and the upper tail keeps its precision far out")
  func complementAndTail() {
    for (x, shape) in [(0.3, 2.5), (4.0, 2.5), (30.0, 9.5)] {
      let sum =
        SpecialCDF.gamma(x, shape: shape, rate: 1) + SpecialCDF.gammaSurvival(x, shape: shape, rate: 1)
      #expect(abs(sum - 1) < 1e-14)
    }
    // Q(1, 50) = e^-50 ~ 1.9e-22: far below what 1 - P could represent.
    let tail = SpecialCDF.gammaSurvival(50, shape: 1, rate: 1)
    #expect(abs(tail / Foundation.exp(-50) - 1) < 1e-12)
  }
}
