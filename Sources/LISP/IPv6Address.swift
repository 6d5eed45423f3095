/// An IPv6 address, held as two 64-bit halves in network order.
public struct IPv6Address: Hashable, Sendable, Comparable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    /// The address with all bits after the first `length` cleared; `length` is clamped to 0...128.
    public func masked(to length: Int) -> Self {
        let length = min(max(length, 0), 128)
        if length <= 64 {
            let mask: UInt64 = length == 0 ? 0 : ~0 << (64 - length)
            return Self(high: self.high & mask, low: 0)
        }
        let mask: UInt64 = length == 128 ? ~0 : ~0 << (128 - length)
        return Self(high: self.high, low: self.low & mask)
    }

    var groups: [UInt16] {
        (0..<8).map { index in
            let half = index < 4 ? self.high : self.low
            return UInt16(truncatingIfNeeded: half >> (48 - 16 * UInt64(index % 4)))
        }
    }

    init(groups: [UInt16]) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, group) in groups.enumerated() {
            if index < 4 {
                high = high << 16 | UInt64(group)
            } else {
                low = low << 16 | UInt64(group)
            }
        }
        self.init(high: high, low: low)
    }
}

extension IPv6Address: LosslessStringConvertible {
    /// Parses RFC 4291 text: hex groups, at most one "::", optionally a dotted-quad tail.
    public init?(_ description: String) {
        let text = Substring(description)
        guard !text.isEmpty, text.count <= 45 else { return nil }
        var groups: [UInt16]
        if let gap = text.firstRange(of: "::") {
            let after = text[gap.upperBound...]
            guard !after.contains("::"),
                let head = Self.parseGroups(text[..<gap.lowerBound], allowIPv4Tail: false),
                let tail = Self.parseGroups(after, allowIPv4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let parsed = Self.parseGroups(text, allowIPv4Tail: true) else { return nil }
            groups = parsed
        }
        guard groups.count == 8 else { return nil }
        self.init(groups: groups)
    }

    private static func parseGroups(_ text: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if allowIPv4Tail, index == parts.count - 1, part.contains(".") {
                guard let v4 = IPv4Address(dottedQuad: part) else { return nil }
                groups.append(UInt16(v4.rawValue >> 16))
                groups.append(UInt16(v4.rawValue & 0xFFFF))
                continue
            }
            guard (1...4).contains(part.count), part.allSatisfy({ $0.isHexDigit && $0.isASCII }),
                let group = UInt16(part, radix: 16)
            else { return nil }
            groups.append(group)
        }
        return groups
    }

    /// RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as "::".
    public var description: String {
        if self.high == 0, self.low >> 32 == 0xFFFF {
            return "::ffff:" + IPv4Address(rawValue: UInt32(truncatingIfNeeded: self.low)).description
        }
        let groups = self.groups
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestLength >= 2 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}
