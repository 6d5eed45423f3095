import NIOCore

/// Reads one newline-terminated line from a stream of buffers, holding no more than `limit` bytes, for
/// both ends of the control port.
enum LabControlLineReader {
    enum Result: Sendable, Hashable {
        /// The line, without its newline.
        case line([UInt8])
        /// `limit` bytes came without a newline.
        case tooLong
        /// The stream ended before a newline.
        case closed
    }

    static func read(limit: Int, next: () async throws -> ByteBuffer?) async throws -> Result {
        var line: [UInt8] = []
        while let buffer = try await next() {
            let bytes = buffer.readableBytesView
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                guard line.count + (newline - bytes.startIndex) <= limit else { return .tooLong }
                line.append(contentsOf: bytes[..<newline])
                return .line(line)
            }
            guard line.count + bytes.count <= limit else { return .tooLong }
            line.append(contentsOf: bytes)
        }
        return .closed
    }
}
