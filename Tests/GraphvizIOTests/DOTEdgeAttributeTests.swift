import CausalGraph
import Testing

@testable import GraphvizIO

@Suite("DOT edge attributes for the structural MMM")
struct DOTEdgeAttributeTests {
  @Test("transform, adstock and saturation edge attributes are kept per edge; others are not")
  func edgeAttributesAreKept() throws {
    let dag = try DOTReader.parse(
      """
      digraph {
        x -> m [transform="linear", color=red];
        m -> y [adstock=Delayed, saturation=hill];
        x -> y;
        y -> z [dir=back, transform=adstock_saturation];
      }
      """, fileName: "test.dot")
    func attributes(_ a: String, _ b: String) -> [String: String] {
      dag.attributes(from: dag.index(of: a)!, to: dag.index(of: b)!)
    }
    #expect(attributes("x", "m") == ["transform": "linear"])
    #expect(attributes("m", "y") == ["adstock": "delayed", "saturation": "hill"])
    #expect(attributes("x", "y") == [:])
    #expect(attributes("z", "y") == ["transform": "adstock_saturation"])
    #expect(dag.edgeAttributes.count == 3)
  }
}
