/// A response code: the 4 header bits, extended to 12 bits by an OPT record, or a TSIG error (RFC 8945 §3).
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = DNSResponseCode(rawValue: 0)
    public static let formatError = DNSResponseCode(rawValue: 1)
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    public static let nameError = DNSResponseCode(rawValue: 3)
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    public static let refused = DNSResponseCode(rawValue: 5)
    public static let yxDomain = DNSResponseCode(rawValue: 6)
    public static let yxRRSet = DNSResponseCode(rawValue: 7)
    public static let nxRRSet = DNSResponseCode(rawValue: 8)
    public static let notAuth = DNSResponseCode(rawValue: 9)
    public static let notZone = DNSResponseCode(rawValue: 10)
    /// `BADVERS` in an OPT context, `BADSIG` as a TSIG error: both are 16.
    public static let badSignature = DNSResponseCode(rawValue: 16)
    public static let badKey = DNSResponseCode(rawValue: 17)
    public static let badTime = DNSResponseCode(rawValue: 18)
    public static let badMode = DNSResponseCode(rawValue: 19)
    public static let badName = DNSResponseCode(rawValue: 20)
    public static let badAlgorithm = DNSResponseCode(rawValue: 21)
    public static let badTruncation = DNSResponseCode(rawValue: 22)
    public static let badCookie = DNSResponseCode(rawValue: 23)

    /// The mnemonic used by `dig` and in the RFCs (`NXDOMAIN`, `BADSIG`…).
    public var description: String {
        switch rawValue {
        case 0: return "NOERROR"
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        case 6: return "YXDOMAIN"
        case 7: return "YXRRSET"
        case 8: return "NXRRSET"
        case 9: return "NOTAUTH"
        case 10: return "NOTZONE"
        case 16: return "BADSIG"
        case 17: return "BADKEY"
        case 18: return "BADTIME"
        case 19: return "BADMODE"
        case 20: return "BADNAME"
        case 21: return "BADALG"
        case 22: return "BADTRUNC"
        case 23: return "BADCOOKIE"
        default: return "RCODE\(rawValue)"
        }
    }
}
