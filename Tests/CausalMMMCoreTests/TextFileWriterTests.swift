import CausalMMMCore
import Foundation
import Testing

@Suite("TextFileWriter")
struct TextFileWriterTests {
  /// A fresh directory holding `out.csv` with the line "old"; the directory and `out.csv`'s URL.
  func workspace() throws -> (directory: URL, target: URL) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    let target = url.appendingPathComponent("out.csv")
    try "old\n".write(to: target, atomically: false, encoding: .utf8)
    return (url, target)
  }

  @Test("finish replaces the target with every byte written, across block boundaries")
  func finishWritesEverything() throws {
    let (dir, target) = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let writer = try TextFileWriter(url: target)
    var expected = ""
    for i in 0..<300_000 {
      let line = "\(i),\(Double(i) / 7)"
      try writer.write(line)
      try writer.write(byte: UInt8(ascii: "\n"))
      expected += line + "\n"
    }
    try writer.finish()
    #expect(try String(contentsOf: target, encoding: .utf8) == expected)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
  }

  @Test("a writer released without finish leaves the target as it was and no temporary file")
  func abandonedWriterCleansUp() throws {
    let (dir, target) = try workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      let writer = try TextFileWriter(url: target)
      try writer.write(String(repeating: "x", count: 3 << 20))
    }
    #expect(try String(contentsOf: target, encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
  }
}
