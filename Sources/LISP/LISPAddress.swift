import NIOCore

/// An address as it travels in an AFI field: nothing (AFI 0), IPv4, IPv6, or one of those wrapped in an
/// Instance-ID LCAF (RFC 8060 type 2).
///
/// The wire form is kept exactly (whether an LCAF was used, the IID mask-len) so that decoding and re-encoding
/// reproduce the same bytes; `EIDPrefix` is the normalised form for lookups.
public struct LISPAddress: Hashable, Sendable {
    /// The IP address, or `nil` for AFI 0.
    public var ip: IPAddress?
    /// The Instance-ID when the address travels in an Instance-ID LCAF. LISP uses the low 24 bits.
    public var instanceID: UInt32?
    /// The LCAF "IID mask-len" field; 0 unless the address denotes a range of instance-ids.
    public var instanceIDMaskLength: UInt8

    public init(_ ip: IPAddress?, instanceID: UInt32? = nil, instanceIDMaskLength: UInt8 = 0) {
        self.ip = ip
        self.instanceID = instanceID
        self.instanceIDMaskLength = instanceIDMaskLength
    }

    /// AFI 0: no address.
    public static let none = LISPAddress(nil)

    /// The number of bytes the address takes on the wire, AFI included.
    public var encodedLength: Int {
        let ipLength: Int
        switch self.ip {
        case .none: ipLength = 0
        case .v4: ipLength = 4
        case .v6: ipLength = 16
        }
        return self.instanceID == nil ? 2 + ipLength : 2 + 6 + 4 + 2 + ipLength
    }
}

extension LISPAddress: CustomStringConvertible {
    /// "10.0.0.1", "[7]2001:db8::1", "no-address" or "[7]no-address".
    public var description: String {
        let address = self.ip?.description ?? "no-address"
        guard let instanceID = self.instanceID else { return address }
        return "[\(instanceID)]\(address)"
    }
}

extension ByteBuffer {
    /// Writes `address` with its AFI (and Instance-ID LCAF when it has an instance-id); returns the bytes written.
    @discardableResult
    public mutating func writeLISPAddress(_ address: LISPAddress) -> Int {
        var written = 0
        if let instanceID = address.instanceID {
            written += self.writeMultipleIntegers(
                LISPParser.afiLCAF,
                UInt8(0),
                UInt8(0),
                LISPParser.lcafTypeInstanceID,
                address.instanceIDMaskLength,
                UInt16(address.encodedLength - 8),
                instanceID,
                endianness: .big
            )
        }
        switch address.ip {
        case .none:
            written += self.writeInteger(LISPParser.afiNone, endianness: .big)
        case .v4(let v4):
            written += self.writeMultipleIntegers(LISPParser.afiIPv4, v4.rawValue, endianness: .big)
        case .v6(let v6):
            written += self.writeMultipleIntegers(LISPParser.afiIPv6, v6.high, v6.low, endianness: .big)
        }
        return written
    }
}
