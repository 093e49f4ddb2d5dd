import CausalMMMCore
import Foundation
import Testing

@Suite("TextFileWriter")
struct TextFileWriterTests {
  func directory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test("finish replaces the target with every byte written, across block boundaries")
  func finishWritesEverything() throws {
    let dir = try directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("out.csv")
    try "old\n".write(to: target, atomically: false, encoding: .utf8)
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
    let dir = try directory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("out.csv")
    try "old\n".write(to: target, atomically: false, encoding: .utf8)
    do {
      let writer = try TextFileWriter(url: target)
      try writer.write(String(repeating: "x", count: 3 << 20))
    }
    #expect(try String(contentsOf: target, encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
  }
}
