// graph-benchmark: times the adjustment-set engine on random sparse DAGs (average degree ~3,
// 10% latent) of 2,000 and 20,000 nodes, generated from a fixed seed; each step's wall-clock and
// thread CPU time.
// Usage: swift run -c release graph-benchmark [seed] [--write-dot PATH]
// With --write-dot, writes the 20,000-node DAG (treatment and outcome declared as roles, so
// `causal-mmm adjust PATH` needs no flags) to PATH and exits without timing anything.
import CausalGraph
import CausalMMMCore
import Dispatch
import Foundation
import GraphvizIO

/// Wall-clock and thread CPU seconds of one run (CPU time is what to compare when other
/// processes share the cores).
struct Timing {
  var wall: Double
  var cpu: Double
}

/// The calling thread's CPU time in seconds.
func threadCPUSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Runs `body` once and returns its result with the wall-clock and CPU seconds it took.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Timing) {
  let start = DispatchTime.now().uptimeNanoseconds
  let cpuStart = threadCPUSeconds()
  let result = try body()
  let cpu = threadCPUSeconds() - cpuStart
  return (result, Timing(wall: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu: cpu))
}

func format(_ timing: Timing) -> String {
  let wall = (timing.wall * 1e5).rounded() / 100
  let cpu = (timing.cpu * 1e5).rounded() / 100
  return "\(wall) ms (CPU \(cpu) ms)"
}

var arguments = Array(CommandLine.arguments.dropFirst())
var dotPath: String? = nil
if let flag = arguments.firstIndex(of: "--write-dot") {
  guard flag + 1 < arguments.count else {
    print("usage: graph-benchmark [seed] [--write-dot PATH]")
    exit(2)
  }
  dotPath = arguments[flag + 1]
  arguments.removeSubrange(flag...(flag + 1))
}
let seed = arguments.first.flatMap { UInt64($0) } ?? 1
for nodeCount in dotPath == nil ? [2_000, 20_000] : [20_000] {
  var generator = SplitMix64(seed: seed &+ UInt64(nodeCount))
  // Each node draws on average 1.5 parents among the earlier nodes: m ~ 1.5 n, degree ~3.
  let nodes = (0..<nodeCount).map {
    CausalDAG.Node(name: "v\($0)", isLatent: Double.random(in: 0..<1, using: &generator) < 0.1)
  }
  var edges: [(from: String, to: String)] = []
  for node in 1..<nodeCount {
    let parentCount = Int.random(in: 0...3, using: &generator)
    for _ in 0..<parentCount {
      let parent = Int.random(in: max(0, node - 200)..<node, using: &generator)
      edges.append(("v\(parent)", "v\(node)"))
    }
  }
  let (dag, build) = try timed { try CausalDAG(nodes: nodes, edges: edges) }
  let text = DOTWriter.dot(for: dag, legend: false)
  let (parsed, parse) = try timed { try DOTReader.parse(text, fileName: "benchmark.dot") }
  let parsedShape = "parsed back: \(parsed.nodeCount) nodes, \(parsed.edges.count) edges"
  // Treatment in the second tenth of the order, outcome its last observed descendant.
  guard
    let treatment = (nodeCount / 10..<nodeCount / 5).first(where: {
      !dag.nodes[$0].isLatent && !dag.children[$0].isEmpty
    }),
    let outcome = dag.descendants(of: [treatment]).last(where: { !dag.nodes[$0].isLatent && $0 != treatment })
  else {
    print("n = \(nodeCount): no treatment/outcome pair with a causal path; try another seed")
    continue
  }
  if let dotPath {
    let declared = dag.nodes.indices.map { index in
      let role: CausalDAG.DeclaredRole? =
        index == treatment ? .treatment : index == outcome ? .outcome : nil
      return CausalDAG.Node(
        name: dag.nodes[index].name, isLatent: dag.nodes[index].isLatent, declaredRole: role)
    }
    let withRoles = try CausalDAG(nodes: declared, edgeIndices: dag.edges)
    try DOTWriter.dot(for: withRoles, legend: false).write(toFile: dotPath, atomically: true, encoding: .utf8)
    print(
      "wrote \(dotPath): n = \(nodeCount), m = \(dag.edges.count), treatment v\(treatment), outcome v\(outcome)"
    )
    break
  }
  let (problem, setup) = try timed {
    try AdjustmentProblem(dag: dag, treatment: [treatment], outcome: [outcome])
  }
  let (minimal, findMinimal) = timed { problem.minimalAdjustmentSet() }
  let (optimal, findOptimal) = timed { problem.optimalAdjustmentSet() }
  // The O-set returns early when it holds a latent node; time it on the fully observed graph too,
  // where the validity check (a d-separation sweep) always runs.
  let observedDAG = try CausalDAG(
    nodes: dag.nodes.map { CausalDAG.Node(name: $0.name) }, edgeIndices: dag.edges)
  let observedProblem = try AdjustmentProblem(dag: observedDAG, treatment: [treatment], outcome: [outcome])
  let (observedOptimal, findObservedOptimal) = timed { observedProblem.optimalAdjustmentSet() }
  let (canonical, findCanonical) = timed { problem.canonicalAdjustmentSet() }
  // A d-separation query that cannot stop early: every node d-connected to the treatment given
  // the canonical set (thousands of conditioned nodes, so An(Z) is large too).
  let (connected, dSeparation) = timed { dag.dConnectedNodes(to: [treatment], given: canonical ?? []) }
  print(
    "n = \(nodeCount), m = \(dag.edges.count), latent = \(dag.latentNodes.count), "
      + "treatment v\(treatment), outcome v\(outcome), DOT = \(text.utf8.count) bytes")
  print("  parse DOT (libcgraph + copy)     \(format(parse))  \(parsedShape)")
  print("  cycle check / CausalDAG init     \(format(build))")
  print("  criterion setup (PCP, Forb)      \(format(setup))")
  print(
    "  one minimal adjustment set       \(format(findMinimal))  size \(minimal.map { String($0.count) } ?? "none")"
  )
  print(
    "  optimal adjustment set (O-set)   \(format(findOptimal))  size \(optimal.map { String($0.count) } ?? "none")"
  )
  print(
    "  O-set, same graph all observed   \(format(findObservedOptimal))  size \(observedOptimal.map { String($0.count) } ?? "none")"
  )
  print(
    "  canonical adjustment set         \(format(findCanonical))  size \(canonical.map { String($0.count) } ?? "none")"
  )
  print(
    "  d-separation sweep (X | canon.)  \(format(dSeparation))  \(connected.count) nodes d-connected to X")
  // What `causal-mmm adjust` computes besides the sets, each timed on its own.
  let (firstSets, enumerate10) = timed { problem.minimalAdjustmentSets(limit: 10) }
  print("  first 10 minimal sets            \(format(enumerate10))  \(firstSets.count) listed")
  let (minimum, findMinimum) = timed { problem.minimumAdjustmentSet() }
  print(
    "  minimum-size set (vertex cut)    \(format(findMinimum))  size \(minimum.map { String($0.count) } ?? "none")"
  )
  // The median of five runs (the machine may be shared; one run is noisy).
  var runs: [(CausalRoles, Timing)] = []
  for _ in 0..<5 { runs.append(timed { problem.roles() }) }
  runs.sort { $0.1.wall < $1.1.wall }
  let (roles, findRoles) = runs[2]
  print(
    "  roles incl. instruments (median) \(format(findRoles))  \(roles.mediators.count) mediators, "
      + "\(roles.colliders.count) colliders, \(roles.instruments.count) instruments")
}
