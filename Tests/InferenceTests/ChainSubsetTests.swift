import Inference
import Testing

@Suite("sampleNUTS with chainIndices: a subset of chains equals those chains of the full run")
struct ChainSubsetTests {
  static func configuration(chains: Int, subset: [Int]?) -> SamplerConfiguration {
    var configuration = SamplerConfiguration()
    (configuration.chains, configuration.tune, configuration.draws, configuration.seed) = (4, 60, 25, 42)
    configuration.chains = chains
    configuration.chainIndices = subset
    configuration.maxThreads = 1
    return configuration
  }

  @Test("chains 2 and 0 run alone give the draws, statistics, step size and metric of chains 2 and 0 of 4")
  func subsetMatchesFullRun() throws {
    let density = IndependentNormalDensity(means: [1, -2, 0.5], scales: [1, 0.5, 2])
    let full = try sampleNUTS(density, configuration: Self.configuration(chains: 4, subset: nil))
    let part = try sampleNUTS(density, configuration: Self.configuration(chains: 4, subset: [2, 0]))
    #expect(full.chainIndices == [0, 1, 2, 3])
    #expect(part.chainIndices == [2, 0])
    #expect(part.chains.count == 2)
    for (slot, index) in [2, 0].enumerated() {
      #expect(part.chains[slot].unconstrained == full.chains[index].unconstrained)
      #expect(part.chains[slot].stats == full.chains[index].stats)
      #expect(part.chains[slot].stepSize == full.chains[index].stepSize)
      #expect(part.chains[slot].inverseMetric == full.chains[index].inverseMetric)
    }
    // The CmdStan file of the part's first chain carries the full run's id (3) and its rows.
    let partText = CmdStanCSV.write(part, chainIndex: 0)
    let fullText = CmdStanCSV.write(full, chainIndex: 2)
    #expect(partText.contains("# id = 3\n"))
    func rows(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("#") } }
    #expect(rows(partText) == rows(fullText))
    // And reads back exactly.
    let record = try CmdStanCSV.readChain(text: partText, name: "part.csv")
    #expect(record.id == 3)
    #expect(record.values == full.chains[2].values)
    #expect(record.stats == full.chains[2].stats)
    #expect(record.stepSize == full.chains[2].stepSize)
    #expect(record.inverseMetric == full.chains[2].inverseMetric)
  }

  @Test("an index outside 0..<chains or a repeated index is refused")
  func invalidSubsets() {
    let density = IndependentNormalDensity(dimension: 2)
    #expect(throws: (any Error).self) {
      try sampleNUTS(density, configuration: Self.configuration(chains: 4, subset: [4]))
    }
    #expect(throws: (any Error).self) {
      try sampleNUTS(density, configuration: Self.configuration(chains: 4, subset: [1, 1]))
    }
    #expect(throws: (any Error).self) {
      try sampleNUTS(density, configuration: Self.configuration(chains: 4, subset: []))
    }
  }
}
