import NIOCore

/// The 128-bit xTR-ID of RFC 9437 / RFC 9301 section 5.6.
public struct XTRID: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}

extension XTRID: CustomStringConvertible {
    /// "0x" and 32 hex digits.
    public var description: String { "0x" + hexDigits(self.high) + hexDigits(self.low) }
}

/// The xTR-ID and Site-ID that follow the records of a Map-Request with the I bit (RFC 9437), a Map-Register
/// with the I bit, and Map-Notify / Map-Notify-Ack.
public struct XTRIdentity: Hashable, Sendable {
    public var xtrID: XTRID
    public var siteID: UInt64

    public init(xtrID: XTRID, siteID: UInt64) {
        self.xtrID = xtrID
        self.siteID = siteID
    }

    static let encodedLength = 24
}

extension XTRIdentity: CustomStringConvertible {
    public var description: String { "xTR-ID \(self.xtrID), site-ID 0x\(hexDigits(self.siteID))" }
}

func hexDigits(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

extension LISPParser {
    mutating func readXTRIdentity() throws(LISPDecodingError) -> XTRIdentity {
        let high = try self.read(UInt64.self, field: "xTR-ID")
        let low = try self.read(UInt64.self, field: "xTR-ID")
        let siteID = try self.read(UInt64.self, field: "Site-ID")
        return XTRIdentity(xtrID: XTRID(high: high, low: low), siteID: siteID)
    }
}

extension ByteBuffer {
    mutating func writeXTRIdentity(_ identity: XTRIdentity) -> Int {
        self.writeMultipleIntegers(identity.xtrID.high, identity.xtrID.low, identity.siteID, endianness: .big)
    }
}
