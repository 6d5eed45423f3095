/// A resource record TYPE (RFC 1035 §3.2.2 and later registrations).
public struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let ns = DNSRecordType(rawValue: 2)
    public static let cname = DNSRecordType(rawValue: 5)
    public static let soa = DNSRecordType(rawValue: 6)
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let mx = DNSRecordType(rawValue: 15)
    public static let txt = DNSRecordType(rawValue: 16)
    public static let aaaa = DNSRecordType(rawValue: 28)
    public static let opt = DNSRecordType(rawValue: 41)
    public static let tsig = DNSRecordType(rawValue: 250)
    public static let axfr = DNSRecordType(rawValue: 252)
    /// `ANY` (`*`): in an UPDATE it means every RRset of a name.
    public static let any = DNSRecordType(rawValue: 255)

    private static let names: [UInt16: String] = [
        1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 41: "OPT",
        250: "TSIG", 252: "AXFR", 255: "ANY",
    ]

    /// Parses a mnemonic such as `AAAA` or the RFC 3597 form `TYPE65`.
    public init?(_ text: String) {
        let upper = text.uppercased()
        if let entry = Self.names.first(where: { $0.value == upper }) {
            self.init(rawValue: entry.key)
        } else if upper.hasPrefix("TYPE"), let value = UInt16(upper.dropFirst(4)) {
            self.init(rawValue: value)
        } else {
            return nil
        }
    }

    public var description: String { Self.names[rawValue] ?? "TYPE\(rawValue)" }
}

/// A resource record CLASS.
public struct DNSClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = DNSClass(rawValue: 1)
    public static let chaos = DNSClass(rawValue: 3)
    /// `NONE`: in an UPDATE, "delete this RR" or "RRset does not exist" (RFC 2136 §2.4, §2.5).
    public static let none = DNSClass(rawValue: 254)
    /// `ANY`: in an UPDATE, "delete this RRset" or "RRset exists" (RFC 2136 §2.4, §2.5).
    public static let any = DNSClass(rawValue: 255)

    public var description: String {
        switch rawValue {
        case 1: return "IN"
        case 3: return "CH"
        case 254: return "NONE"
        case 255: return "ANY"
        default: return "CLASS\(rawValue)"
        }
    }
}

/// The OPCODE of a message header.
public struct DNSOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    public static let query = DNSOpcode(rawValue: 0)
    public static let notify = DNSOpcode(rawValue: 4)
    public static let update = DNSOpcode(rawValue: 5)

    public var description: String {
        switch rawValue {
        case 0: return "QUERY"
        case 4: return "NOTIFY"
        case 5: return "UPDATE"
        default: return "OPCODE\(rawValue)"
        }
    }
}
