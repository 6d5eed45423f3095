import NIOCore

/// Reads one DNS message held whole in a buffer.
///
/// Names may point anywhere earlier in the message, so the reader keeps the message and a cursor instead of
/// consuming an `inout ByteBuffer`. Offsets in errors count from the first byte of the message.
struct DNSMessageReader {
    private let buffer: ByteBuffer
    private(set) var offset: Int

    /// The most jumps one name may take. The backwards-only rule already bounds them; this is a second fence.
    static let maximumPointerJumps = 64

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
        self.offset = 0
    }

    var count: Int { buffer.readableBytes }
    var remaining: Int { count - offset }

    private func byte(at position: Int) -> UInt8? {
        guard position >= 0, position < count else { return nil }
        return buffer.getInteger(at: buffer.readerIndex + position, as: UInt8.self)
    }

    mutating func readUInt8(_ field: String) throws(DNSDecodingError) -> UInt8 {
        guard let value = byte(at: offset) else { throw .truncated(field: field, offset: offset) }
        offset += 1
        return value
    }

    mutating func readUInt16(_ field: String) throws(DNSDecodingError) -> UInt16 {
        guard remaining >= 2, let value = buffer.getInteger(at: buffer.readerIndex + offset, as: UInt16.self) else {
            throw .truncated(field: field, offset: offset)
        }
        offset += 2
        return value
    }

    mutating func readUInt32(_ field: String) throws(DNSDecodingError) -> UInt32 {
        guard remaining >= 4, let value = buffer.getInteger(at: buffer.readerIndex + offset, as: UInt32.self) else {
            throw .truncated(field: field, offset: offset)
        }
        offset += 4
        return value
    }

    mutating func readUInt48(_ field: String) throws(DNSDecodingError) -> UInt64 {
        let high = try readUInt16(field)
        let low = try readUInt32(field)
        return UInt64(high) << 32 | UInt64(low)
    }

    mutating func readBytes(_ length: Int, _ field: String) throws(DNSDecodingError) -> [UInt8] {
        guard length >= 0, remaining >= length,
            let bytes = buffer.getBytes(at: buffer.readerIndex + offset, length: length)
        else { throw .truncated(field: field, offset: offset) }
        offset += length
        return bytes
    }

    /// Reads a possibly compressed name at the cursor and moves past its in-place part.
    ///
    /// A pointer must target a position before the start of the run of labels it ends; each jump therefore
    /// moves strictly backwards and the walk terminates. A pointer to the current position or later is a
    /// `badPointer`; one back into the bytes already read for this name is a `compressionLoop`.
    mutating func readName(_ field: String) throws(DNSDecodingError) -> DNSName {
        var labels: [[UInt8]] = []
        var position = offset
        var runStart = offset
        var resumeAt: Int? = nil
        var wireLength = 1
        var jumps = 0
        while true {
            guard let length = byte(at: position) else { throw .truncated(field: field, offset: position) }
            switch length & 0xC0 {
            case 0xC0:
                guard let low = byte(at: position + 1) else { throw .truncated(field: field, offset: position) }
                let target = Int(length & 0x3F) << 8 | Int(low)
                if target >= position { throw .badPointer(target: target, offset: position) }
                if target >= runStart { throw .compressionLoop(target: target, offset: position) }
                jumps += 1
                if jumps > Self.maximumPointerJumps { throw .compressionLoop(target: target, offset: position) }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
                runStart = target
            case 0x00:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return DNSName(validatedLabels: labels)
                }
                wireLength += Int(length) + 1
                if wireLength > 255 { throw .nameTooLong(offset: position) }
                guard position + 1 + Int(length) <= count,
                    let label = buffer.getBytes(at: buffer.readerIndex + position + 1, length: Int(length))
                else { throw .truncated(field: field, offset: position) }
                labels.append(label)
                position += 1 + Int(length)
            default:
                throw .reservedLabelType(byte: length, offset: position)
            }
        }
    }
}
