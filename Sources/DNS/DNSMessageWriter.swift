import NIOCore

/// Writes a DNS message into a buffer, compressing names against those already written.
struct DNSMessageWriter {
    var buffer: ByteBuffer
    private let start: Int
    /// Suffixes already written, by their offset from the start of the message.
    private var compressionTable: [DNSName: Int] = [:]

    init(buffer: ByteBuffer = ByteBuffer()) {
        self.buffer = buffer
        self.start = buffer.writerIndex
    }

    var offset: Int { buffer.writerIndex - start }

    /// Writes `name`, replacing the longest suffix already in the message by a pointer when `compress` is true.
    ///
    /// Every suffix written in full is remembered (when it lies below offset 0x4000, the pointer limit), so
    /// later names can point at it even if this one was written uncompressed.
    mutating func writeName(_ name: DNSName, compress: Bool) {
        let labels = name.labels
        for index in labels.indices {
            let suffix = DNSName(validatedLabels: Array(labels[index...]))
            if compress, let target = compressionTable[suffix] {
                buffer.writeInteger(UInt16(0xC000) | UInt16(target))
                return
            }
            if offset < 0x4000, compressionTable[suffix] == nil {
                compressionTable[suffix] = offset
            }
            buffer.writeInteger(UInt8(labels[index].count))
            buffer.writeBytes(labels[index])
        }
        buffer.writeInteger(UInt8(0))
    }

    mutating func writeUInt48(_ value: UInt64) {
        buffer.writeInteger(UInt16(truncatingIfNeeded: value >> 32))
        buffer.writeInteger(UInt32(truncatingIfNeeded: value))
    }

    /// Writes a 16-bit length placeholder, runs `body`, then fills in the number of bytes `body` wrote.
    mutating func writeLengthPrefixed(_ body: (inout DNSMessageWriter) -> Void) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt16(0))
        body(&self)
        let length = buffer.writerIndex - lengthIndex - 2
        buffer.setInteger(UInt16(length), at: lengthIndex)
    }
}

extension DNSName {
    /// The uncompressed wire form.
    public var wireBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wireLength)
        for label in labels {
            bytes.append(UInt8(label.count))
            bytes += label
        }
        bytes.append(0)
        return bytes
    }
}
