/// An EID-prefix in an instance: the key of the mapping system.
///
/// Always canonical (host bits zero), so equal prefixes hash equally whatever text or wire form they came
/// from. For longest-prefix matching, `truncated(to:)` gives the covering prefix of each shorter length.
public struct EIDPrefix: Hashable, Sendable {
    /// The instance-id (24 bits used by LISP); 0 when the EID travels without an Instance-ID LCAF.
    public let instanceID: UInt32
    /// The network address, host bits zero.
    public let address: IPAddress
    /// The prefix length, 0...32 for IPv4 and 0...128 for IPv6.
    public let length: UInt8

    /// Creates the prefix, clearing host bits. `length` beyond the family's width is a programming error.
    public init(instanceID: UInt32 = 0, address: IPAddress, length: Int) {
        precondition((0...address.bitWidth).contains(length), "prefix length /\(length) exceeds \(address)")
        self.instanceID = instanceID
        self.address = address.masked(to: length)
        self.length = UInt8(length)
    }

    /// The host prefix (/32 or /128) of `address`.
    public init(host address: IPAddress, instanceID: UInt32 = 0) {
        self.init(instanceID: instanceID, address: address, length: address.bitWidth)
    }

    /// Whether `other` lies inside this prefix (same instance, same family, at least as long, same leading bits).
    public func contains(_ other: EIDPrefix) -> Bool {
        other.instanceID == self.instanceID && other.address.isSameFamily(as: self.address)
            && other.length >= self.length && other.address.masked(to: Int(self.length)) == self.address
    }

    /// Whether `address` in `instanceID` lies inside this prefix.
    public func contains(_ address: IPAddress, instanceID: UInt32 = 0) -> Bool {
        instanceID == self.instanceID && address.isSameFamily(as: self.address)
            && address.masked(to: Int(self.length)) == self.address
    }

    /// The covering prefix of `length` bits (clamped to 0...self.length).
    public func truncated(to length: Int) -> EIDPrefix {
        EIDPrefix(instanceID: self.instanceID, address: self.address, length: min(max(length, 0), Int(self.length)))
    }

    /// The address as it goes on the wire: inside an Instance-ID LCAF when the instance-id is not 0.
    public var wireAddress: LISPAddress {
        LISPAddress(self.address, instanceID: self.instanceID == 0 ? nil : self.instanceID)
    }

    /// "10.1.0.0/16" — without the instance-id.
    public var cidr: String { "\(self.address)/\(self.length)" }
}

extension EIDPrefix: Comparable {
    /// Orders by instance, then family (IPv4 first), then address, then length.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.instanceID, lhs.address, lhs.length) < (rhs.instanceID, rhs.address, rhs.length)
    }
}

extension EIDPrefix: LosslessStringConvertible {
    /// Parses "10.1.0.0/16", "2001:db8::/32", "[5]10.1.0.7/32" or a bare address (a host prefix).
    /// Host bits are cleared; the instance-id defaults to 0.
    public init?(_ description: String) {
        self.init(description, defaultInstanceID: 0)
    }

    /// Parses as `init?(_:)`, using `defaultInstanceID` when the text has no "[iid]" part.
    public init?(_ text: String, defaultInstanceID: UInt32) {
        var rest = Substring(text)
        var instanceID = defaultInstanceID
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]"),
                let parsed = UInt32(rest[rest.index(after: rest.startIndex)..<close]),
                parsed <= 0xFF_FFFF
            else { return nil }
            instanceID = parsed
            rest = rest[rest.index(after: close)...]
        }
        let addressText: Substring
        var length: Int?
        if let slash = rest.firstIndex(of: "/") {
            addressText = rest[..<slash]
            let lengthText = rest[rest.index(after: slash)...]
            guard (1...3).contains(lengthText.count), lengthText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
            length = Int(lengthText)
        } else {
            addressText = rest
        }
        guard let address = IPAddress(String(addressText)) else { return nil }
        let prefixLength = length ?? address.bitWidth
        guard prefixLength <= address.bitWidth else { return nil }
        self.init(instanceID: instanceID, address: address, length: prefixLength)
    }

    /// "[0]10.1.0.0/16", the form lig prints.
    public var description: String { "[\(self.instanceID)]\(self.cidr)" }
}
