/// An IPv4 or IPv6 address.
public enum IPAddress: Hashable, Sendable, Comparable {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// 32 or 128.
    public var bitWidth: Int {
        switch self {
        case .v4: return 32
        case .v6: return 128
        }
    }

    /// The address with all bits after the first `length` cleared; `length` is clamped to the family's width.
    public func masked(to length: Int) -> Self {
        switch self {
        case .v4(let address): return .v4(address.masked(to: length))
        case .v6(let address): return .v6(address.masked(to: length))
        }
    }

    /// Whether both addresses are of the same family.
    public func isSameFamily(as other: Self) -> Bool {
        self.bitWidth == other.bitWidth
    }
}

extension IPAddress: LosslessStringConvertible {
    /// Parses "192.0.2.1" or "2001:db8::1".
    public init?(_ description: String) {
        if description.contains(":") {
            guard let address = IPv6Address(description) else { return nil }
            self = .v6(address)
        } else {
            guard let address = IPv4Address(description) else { return nil }
            self = .v4(address)
        }
    }

    public var description: String {
        switch self {
        case .v4(let address): return address.description
        case .v6(let address): return address.description
        }
    }
}
