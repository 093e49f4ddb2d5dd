import CausalGraph
import Foundation
import Testing

@testable import GraphvizIO

@Suite("Rendering through gvc")
struct RenderingTests {
  let dag: CausalDAG
  let annotations = DAGAnnotations(
    treatments: ["x"], outcomes: ["y"], adjustmentSet: ["c"], mediators: ["m"], colliders: ["k"])

  init() throws {
    dag = try DOTReader.parse(
      "digraph { u [latent=true]; x [role=treatment]; c -> x; c -> y; x -> m -> y; x -> k; y -> k; u -> m; u -> y }",
      fileName: "t.dot")
  }

  @Test("SVG output starts an svg document and contains the legend")
  func svg() throws {
    let data = try GraphRenderer.render(dag, annotations: annotations, format: .svg)
    let text = try #require(String(data: data, encoding: .utf8))
    #expect(text.contains("<svg"))
    #expect(text.contains("Legend"))
    for label in [
      "treatment", "outcome", "adjust for", "mediator (do not adjust)",
      "collider (do not adjust)", "latent (unobserved)",
    ] {
      #expect(text.contains(label), "legend entry \(label)")
    }
  }

  @Test("PNG output carries the PNG signature")
  func png() throws {
    let data = try GraphRenderer.render(dag, annotations: annotations, format: .png)
    #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  }

  @Test("PDF output carries the %PDF header")
  func pdf() throws {
    let data = try GraphRenderer.render(dag, annotations: annotations, format: .pdf)
    #expect(String(decoding: data.prefix(4), as: UTF8.self) == "%PDF")
  }

  @Test("the DOT we write (without legend) reads back as the same DAG, latent flags and roles included")
  func dotRoundTrip() throws {
    let text = DOTWriter.dot(for: dag, annotations: annotations, legend: false)
    let reread = try DOTReader.parse(text, fileName: "roundtrip.dot")
    #expect(reread == dag)
  }

  @Test("each role gets its own style: treatment, outcome, adjusted, mediator, collider and latent differ")
  func stylesDistinct() {
    let styles: [NodeStyle] = [.treatment, .outcome, .adjusted, .mediator, .collider, .latent, .other]
    #expect(Set(styles.map(\.attributes)).count == styles.count)
  }

  @Test("names with quotes and backslashes are escaped in DOT output")
  func quoting() {
    #expect(DOTWriter.quoted(#"a "b" \c"#) == #""a \"b\" \\c""#)
  }
}
