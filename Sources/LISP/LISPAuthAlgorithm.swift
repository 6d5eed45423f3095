/// The Algorithm ID of a Map-Register / Map-Notify / Map-Notify-Ack.
///
/// A struct rather than an enum so that a message with an algorithm this codec cannot compute still decodes
/// (and can be reported) instead of being dropped as malformed.
public struct LISPAuthAlgorithm: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let none = LISPAuthAlgorithm(rawValue: 0)
    public static let hmacSHA1 = LISPAuthAlgorithm(rawValue: 1)
    public static let hmacSHA256 = LISPAuthAlgorithm(rawValue: 2)

    /// The authentication data length deployed servers use (the full MAC), or `nil` for an algorithm this
    /// codec does not know.
    public var authenticationDataLength: Int? {
        switch self.rawValue {
        case 0: return 0
        case 1: return 20
        case 2: return 32
        default: return nil
        }
    }

    /// Parses the configuration names "hmac-sha1", "hmac-sha256" and "none".
    public init?(configurationName: String) {
        switch configurationName.lowercased() {
        case "none": self = .none
        case "hmac-sha1", "hmac-sha-1": self = .hmacSHA1
        case "hmac-sha256", "hmac-sha-256": self = .hmacSHA256
        default: return nil
        }
    }
}

extension LISPAuthAlgorithm: CustomStringConvertible {
    public var description: String {
        switch self.rawValue {
        case 0: return "none"
        case 1: return "hmac-sha1"
        case 2: return "hmac-sha256"
        default: return "algorithm-\(self.rawValue)"
        }
    }
}
