import CausalMMMCore
import MMM
import Testing

@Suite("ChainShard.resolve: the chain of a batch task from --chain-index or the environment")
struct ChainShardResolveTests {
  static let k8s = ChainShard.kubernetesVariable
  static let slurm = ChainShard.slurmVariable

  @Test("no --chain-count: a whole fit, whatever the environment holds")
  func wholeFit() throws {
    #expect(try ChainShard.resolve(chainIndex: nil, chainCount: nil, environment: [:]) == nil)
    #expect(
      try ChainShard.resolve(chainIndex: nil, chainCount: nil, environment: [Self.k8s: "2", Self.slurm: "1"])
        == nil)
  }

  @Test("--chain-index wins over JOB_COMPLETION_INDEX, which wins over SLURM_ARRAY_TASK_ID")
  func precedence() throws {
    let both = [Self.k8s: "2", Self.slurm: "1"]
    #expect(
      try ChainShard.resolve(chainIndex: 3, chainCount: 4, environment: both)
        == ChainShard(index: 3, count: 4))
    #expect(
      try ChainShard.resolve(chainIndex: nil, chainCount: 4, environment: both)
        == ChainShard(index: 2, count: 4))
    #expect(
      try ChainShard.resolve(chainIndex: nil, chainCount: 4, environment: [Self.slurm: "0"])
        == ChainShard(index: 0, count: 4))
    #expect(ChainShard(index: 2, count: 4).directory(under: "/shared/parts") == "/shared/parts/part-2")
  }

  @Test("refusals: an index without a count, a count without an index, a bad or out-of-range index")
  func refusals() throws {
    func message(_ index: Int?, _ count: Int?, _ environment: [String: String]) -> String {
      do {
        _ = try ChainShard.resolve(chainIndex: index, chainCount: count, environment: environment)
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    #expect(message(1, nil, [:]).contains("--chain-index needs --chain-count"))
    #expect(message(nil, 4, [:]).contains("needs a chain index"))
    #expect(message(nil, 4, [Self.k8s: "x"]).contains("not an integer"))
    #expect(message(4, 4, [:]).contains("outside 0...3"))
    #expect(message(-1, 4, [:]).contains("outside 0...3"))
    // Slurm's 1-based array (--array=1-4) ends on 4: the message says how to submit it.
    #expect(message(nil, 4, [Self.slurm: "4"]).contains("--array=0-3"))
    #expect(message(nil, 0, [Self.k8s: "0"]).contains("at least 1"))
  }
}
