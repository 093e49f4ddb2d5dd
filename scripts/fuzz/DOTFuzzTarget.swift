// libFuzzer entry point: DOT text -> CausalDAG. Any input must either parse or be refused with a
// LocatedError; a crash, a trap or a sanitizer report is a finding.
import CausalGraph
import CausalMMMCore
import GraphvizIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDOT(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  do {
    let dag = try DOTReader.parse(text, fileName: "fuzz.dot")
    // Exercise the value type's invariants on every accepted graph.
    precondition(dag.topologicalOrder.count == dag.nodeCount)
    _ = DOTWriter.dot(for: dag)
  } catch {
    precondition(!error.description.isEmpty)
  }
  return 0
}
