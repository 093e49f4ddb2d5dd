import CausalMMMCore
import Testing

@testable import MMM

@Suite("Input size limits")
struct InputLimitTests {
  @Test("a table over the cell limit is refused before it is split, naming its size")
  func cellLimit() throws {
    // 4 lines x 3 header fields = 12 cells, counted from the text, against limits of 11 and 12.
    let text = "date,tv,y\n2023-01-02,1,2\n2023-01-09,3,4\n2023-01-16,5,6\n"
    #expect(throws: LocatedError.self) { try CSV.table(text, name: "t.csv", maximumCells: 11) }
    do {
      _ = try CSV.table(text, name: "t.csv", maximumCells: 11)
    } catch let error as LocatedError {
      #expect(
        error.description.hasPrefix("t.csv: error: about 4 lines x 3 columns exceeds the limit of 11 cells"))
    }
    #expect(try CSV.table(text, name: "t.csv", maximumCells: 12).count == 4)
  }
}
