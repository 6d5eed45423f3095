import NIOCore

/// The ones'-complement checksum of RFC 1071, used by the inner IPv4 and UDP headers of an ECM.
struct InternetChecksum {
    private var sum: UInt64 = 0

    mutating func add(_ value: UInt16) {
        self.sum &+= UInt64(value)
    }

    mutating func add(_ value: UInt32) {
        self.sum &+= UInt64(value >> 16) &+ UInt64(value & 0xFFFF)
    }

    mutating func add(_ address: IPAddress) {
        switch address {
        case .v4(let v4):
            self.add(v4.rawValue)
        case .v6(let v6):
            for half in [v6.high, v6.low] {
                self.add(UInt32(truncatingIfNeeded: half >> 32))
                self.add(UInt32(truncatingIfNeeded: half))
            }
        }
    }

    /// Adds the readable bytes of `bytes`, treating the 16-bit word at offset `skipping` (from the reader index)
    /// as zero — that is where the checksum itself sits when verifying.
    mutating func add(readableBytesOf bytes: ByteBuffer, skipping: Int? = nil) {
        bytes.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset + 1 < bytes.count {
                if offset != skipping {
                    self.sum &+= UInt64(bytes[offset]) << 8 | UInt64(bytes[offset + 1])
                }
                offset += 2
            }
            if offset < bytes.count {
                self.sum &+= UInt64(bytes[offset]) << 8
            }
        }
    }

    /// The checksum to put in the header.
    var value: UInt16 {
        var folded = self.sum
        while folded >> 16 != 0 {
            folded = (folded & 0xFFFF) + (folded >> 16)
        }
        return ~UInt16(folded)
    }
}
