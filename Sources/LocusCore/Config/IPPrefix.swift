/// Why a text is not a valid address, prefix, endpoint or MAC address; the message is
/// written for an operator reading a config error.
public struct AddressSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "bad address \"\(text)\": \(reason)" }
}

/// An IP prefix such as `10.1.0.0/16` or `2001:db8::/32` — the form of an EID.
///
/// The address has no bits set beyond the length: `10.1.0.7/16` is refused rather than
/// silently truncated, since it is almost always a typo for a host route.
public struct IPPrefix: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let address: IPAddress
    public let length: Int

    public init(address: IPAddress, length: Int) throws(AddressSyntaxError) {
        let text = "\(address)/\(length)"
        guard (0...address.family.bitWidth).contains(length) else {
            throw AddressSyntaxError(
                text: text,
                reason: "length must be 0…\(address.family.bitWidth) for \(address.family == .ipv4 ? "IPv4" : "IPv6")"
            )
        }
        let masked = Self.mask(address, length: length)
        guard masked == address else {
            throw AddressSyntaxError(text: text, reason: "host bits are set (did you mean \(masked)/\(length)?)")
        }
        self.address = address
        self.length = length
    }

    /// The host route of an address: /32 for IPv4, /128 for IPv6.
    public init(host address: IPAddress) {
        self.address = address
        self.length = address.family.bitWidth
    }

    /// Parses `ADDRESS/LENGTH`.
    public init(parsing text: String) throws(AddressSyntaxError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw AddressSyntaxError(text: text, reason: "expected ADDRESS/LENGTH, like 10.1.0.7/32 or 2001:db8::/48")
        }
        guard let address = IPAddress(parts[0]) else {
            throw AddressSyntaxError(text: text, reason: "\"\(parts[0])\" is not an IPv4 or IPv6 address")
        }
        guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(\.isASCIIDigit), let length = Int(parts[1])
        else {
            throw AddressSyntaxError(text: text, reason: "\"\(parts[1])\" is not a prefix length")
        }
        do {
            try self.init(address: address, length: length)
        } catch {
            throw AddressSyntaxError(text: text, reason: error.reason)
        }
    }

    public var family: IPAddress.Family { address.family }

    public func contains(_ other: IPAddress) -> Bool {
        other.family == family && Self.mask(other, length: length) == address
    }

    /// True when `other` is this prefix or a more specific prefix inside it.
    public func contains(_ other: IPPrefix) -> Bool {
        other.length >= length && contains(other.address)
    }

    public var description: String { "\(address)/\(length)" }

    public static func < (lhs: IPPrefix, rhs: IPPrefix) -> Bool {
        (lhs.address, lhs.length) < (rhs.address, rhs.length)
    }

    static func mask(_ address: IPAddress, length: Int) -> IPAddress {
        switch address.family {
        case .ipv4:
            let mask: UInt64 = length == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - length)) & 0xFFFF_FFFF
            return IPAddress(family: .ipv4, high: 0, low: address.low & mask)
        case .ipv6:
            let highMask: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : .max << UInt64(64 - length))
            let lowMask: UInt64 = length <= 64 ? 0 : (length == 128 ? .max : .max << UInt64(128 - length))
            return IPAddress(family: .ipv6, high: address.high & highMask, low: address.low & lowMask)
        }
    }
}
