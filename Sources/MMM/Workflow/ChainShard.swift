import CausalMMMCore
import Foundation

/// One chain of an N-chain fit run as its own task on a batch engine (a Kubernetes Indexed Job, a
/// Slurm job array): chain `index` (0-based) of `count`, with the seed stream and starting point the
/// `count`-chain fit gives it.
public struct ChainShard: Sendable, Equatable {
  /// The chain, 0-based.
  public var index: Int
  /// The number of chains of the whole fit.
  public var count: Int

  /// Kubernetes sets it in every pod of an Indexed Job (0 ... completions-1).
  public static let kubernetesVariable = "JOB_COMPLETION_INDEX"
  /// Slurm sets it in every task of a job array (`--array=0-(N-1)`: arrays may start at 1, ours must not).
  public static let slurmVariable = "SLURM_ARRAY_TASK_ID"

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// The part directory of this chain under a shared output directory: `OUT/part-K` (K 0-based).
  public func directory(under out: String) -> String {
    URL(fileURLWithPath: out).appendingPathComponent("part-\(index)").path
  }

  /// Resolves the chain of this task: the index from `--chain-index`, else `JOB_COMPLETION_INDEX`,
  /// else `SLURM_ARRAY_TASK_ID`; the count from `--chain-count`. The environment is read only when
  /// `--chain-count` is given, so a plain `fit` inside an array task over other things is unaffected.
  ///
  /// - Returns: nil when neither option is given (a whole fit).
  /// - Throws: `LocatedError` when only one of the two is in effect, or the index is not in 0..<count.
  public static func resolve(chainIndex: Int?, chainCount: Int?, environment: [String: String]) throws
    -> ChainShard?
  {
    guard let count = chainCount else {
      if chainIndex != nil {
        throw LocatedError("--chain-index needs --chain-count N (the chains of the whole fit)")
      }
      return nil
    }
    guard count >= 1 else { throw LocatedError("--chain-count must be at least 1, got \(count)") }
    let source: String
    let index: Int
    if let chainIndex {
      (source, index) = ("--chain-index", chainIndex)
    } else if let text = environment[kubernetesVariable] {
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw LocatedError("\(kubernetesVariable)='\(text)' is not an integer")
      }
      (source, index) = (kubernetesVariable, value)
    } else if let text = environment[slurmVariable] {
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw LocatedError("\(slurmVariable)='\(text)' is not an integer")
      }
      (source, index) = (slurmVariable, value)
    } else {
      throw LocatedError(
        "--chain-count \(count) needs a chain index: --chain-index K, or \(kubernetesVariable) (Kubernetes "
          + "Indexed Job) or \(slurmVariable) (Slurm job array) in the environment")
    }
    guard index >= 0, index < count else {
      let hint =
        source == slurmVariable
        ? " (submit the array as --array=0-\(count - 1): Slurm arrays may start at 1)" : ""
      throw LocatedError(
        "chain index \(index) from \(source) is outside 0...\(count - 1) (--chain-count \(count))\(hint)")
    }
    return ChainShard(index: index, count: count)
  }
}
