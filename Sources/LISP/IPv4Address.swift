/// An IPv4 address, held as the 32-bit number it is on the wire.
public struct IPv4Address: Hashable, Sendable, Comparable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The address with all bits after the first `length` cleared; `length` is clamped to 0...32.
    public func masked(to length: Int) -> Self {
        let length = min(max(length, 0), 32)
        let mask: UInt32 = length == 0 ? 0 : ~0 << (32 - length)
        return Self(rawValue: self.rawValue & mask)
    }
}

extension IPv4Address: LosslessStringConvertible {
    /// Parses dotted-quad text ("192.0.2.1"); nothing else is accepted.
    public init?(_ description: String) {
        self.init(dottedQuad: Substring(description))
    }

    init?(dottedQuad text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let octet = UInt8(part)
            else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.rawValue = value
    }

    public var description: String {
        "\(self.rawValue >> 24).\(self.rawValue >> 16 & 0xFF).\(self.rawValue >> 8 & 0xFF).\(self.rawValue & 0xFF)"
    }
}
