import Foundation

/// Streams a text file through a byte buffer written out in blocks, instead of building the whole
/// text as one String: the bytes go to a temporary file in the same directory that `finish` moves over
/// the target (as `String.write(to:atomically: true, ...)` does). A writer released without `finish`
/// (an error on the way) closes and removes its temporary file, leaving the target as it was.
public final class TextFileWriter {
  private let url: URL
  private let temporary: URL
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var finished = false
  private static let blockSize = 1 << 20

  /// Opens a writer for `url` (replaced when `finish` succeeds).
  public init(url: URL) throws {
    self.url = url
    temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
    }
    handle = try FileHandle(forWritingTo: temporary)
    buffer.reserveCapacity(Self.blockSize + 4096)
  }

  /// Appends `text`'s UTF-8 bytes.
  public func write(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= Self.blockSize { try flush() }
  }

  /// Appends one byte (an ASCII separator).
  public func write(byte: UInt8) throws {
    buffer.append(byte)
    if buffer.count >= Self.blockSize { try flush() }
  }

  private func flush() throws {
    try buffer.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is buffered, closes the file and moves it over the target.
  public func finish() throws {
    do {
      try flush()
      try handle.close()
      finished = true
      if rename(temporary.path, url.path) != 0 {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }

  deinit {
    guard !finished else { return }
    try? handle.close()
    try? FileManager.default.removeItem(at: temporary)
  }
}
