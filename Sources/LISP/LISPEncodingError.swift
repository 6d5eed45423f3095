/// Why a message value could not be written to the wire.
///
/// Writers check every field that the wire format limits before writing anything; on error the buffer is left
/// as it was.
public enum LISPEncodingError: Error, Hashable, Sendable {
    /// A list is longer than its count field can express.
    case tooMany(field: String, count: Int, maximum: Int)
    /// A list is shorter than the format requires (a Map-Request needs at least one ITR-RLOC).
    case tooFew(field: String, count: Int, minimum: Int)
    /// A value does not fit its field.
    case valueOutOfRange(field: String, value: Int, maximum: Int)
    /// The authentication data does not have the length the algorithm produces.
    case badAuthenticationLength(algorithm: UInt8, length: Int, expected: Int)
    /// The inner source and destination of an ECM are of different address families.
    case addressFamilyMismatch
    /// An ECM was asked to carry another ECM.
    case nestedEncapsulation
}

extension LISPEncodingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tooMany(let field, let count, let maximum):
            return "cannot encode \(count) \(field) entries; the format allows at most \(maximum) per message"
        case .tooFew(let field, let count, let minimum):
            return "cannot encode \(count) \(field) entries; the format needs at least \(minimum)"
        case .valueOutOfRange(let field, let value, let maximum):
            return "\(field) \(value) does not fit its field (maximum \(maximum))"
        case .badAuthenticationLength(let algorithm, let length, let expected):
            return "authentication data of \(length) byte(s) does not fit algorithm \(algorithm) (expects \(expected))"
        case .addressFamilyMismatch:
            return "ECM inner source and destination must both be IPv4 or both be IPv6"
        case .nestedEncapsulation:
            return "an ECM cannot carry another ECM"
        }
    }
}
