/// Why a LISP control message could not be decoded.
///
/// Every case names the byte offset, counted from the first byte of the outermost message (the UDP payload), so
/// an operator can line it up with a packet capture.
public enum LISPDecodingError: Error, Hashable, Sendable {
    /// The message ended before `field`, which needs `needed` bytes at `offset`.
    case truncated(field: String, offset: Int, needed: Int)
    /// The type nibble names no message this codec knows.
    case unknownMessageType(UInt8, offset: Int)
    /// A message-specific decoder was given a message of another type.
    case unexpectedMessageType(UInt8, expected: UInt8, offset: Int)
    /// An address carries an AFI other than 0, 1, 2 or 16387.
    case unknownAFI(UInt16, field: String, offset: Int)
    /// An LCAF address carries a type other than 2 (Instance-ID).
    case unknownLCAFType(UInt8, offset: Int)
    /// An Instance-ID LCAF wraps another LCAF.
    case nestedLCAF(offset: Int)
    /// The LCAF length field disagrees with the address it wraps.
    case lcafLengthMismatch(declared: Int, actual: Int, offset: Int)
    /// A mask length is longer than the address family allows.
    case invalidMaskLength(UInt8, maximum: Int, offset: Int)
    /// A count field promises more items than the remaining bytes can hold.
    case countOverrun(field: String, count: Int, remainingBytes: Int, offset: Int)
    /// The authentication data length does not match the algorithm.
    case badAuthenticationLength(algorithm: UInt8, length: Int, expected: Int, offset: Int)
    /// Bytes are left over after the last field of the message.
    case trailingBytes(count: Int, offset: Int)
    /// A checksum of an encapsulated header does not match its contents.
    case badChecksum(field: String, expected: UInt16, found: UInt16, offset: Int)
    /// A length field of an encapsulated header disagrees with the bytes present.
    case lengthMismatch(field: String, declared: Int, actual: Int, offset: Int)
    /// The inner header of an ECM is not IPv4/IPv6 carrying unfragmented UDP.
    case unsupportedInnerHeader(String, offset: Int)
    /// An ECM carries another ECM.
    case nestedEncapsulation(offset: Int)

    /// The byte offset the error refers to.
    public var offset: Int {
        switch self {
        case .truncated(_, let offset, _), .unknownMessageType(_, let offset),
            .unexpectedMessageType(_, _, let offset), .unknownAFI(_, _, let offset),
            .unknownLCAFType(_, let offset), .nestedLCAF(let offset), .lcafLengthMismatch(_, _, let offset),
            .invalidMaskLength(_, _, let offset), .countOverrun(_, _, _, let offset),
            .badAuthenticationLength(_, _, _, let offset), .trailingBytes(_, let offset),
            .badChecksum(_, _, _, let offset), .lengthMismatch(_, _, _, let offset),
            .unsupportedInnerHeader(_, let offset), .nestedEncapsulation(let offset):
            return offset
        }
    }
}

extension LISPDecodingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let field, let offset, let needed):
            return "LISP message truncated at byte \(offset): \(field) needs \(needed) more byte(s); "
                + "the datagram was cut short or a count field is wrong"
        case .unknownMessageType(let type, let offset):
            return "unknown LISP message type \(type) at byte \(offset); expected 1-5 or 8 (is this port 4342 traffic?)"
        case .unexpectedMessageType(let type, let expected, let offset):
            return "LISP message type \(type) at byte \(offset) where type \(expected) was expected"
        case .unknownAFI(let afi, let field, let offset):
            return "unknown AFI \(afi) in \(field) at byte \(offset); supported: 0, 1 (IPv4), 2 (IPv6), 16387 (LCAF)"
        case .unknownLCAFType(let type, let offset):
            return "unsupported LCAF type \(type) at byte \(offset); only type 2 (Instance-ID) is understood"
        case .nestedLCAF(let offset):
            return "Instance-ID LCAF at byte \(offset) wraps another LCAF; only IPv4/IPv6/no-address may be wrapped"
        case .lcafLengthMismatch(let declared, let actual, let offset):
            return "LCAF at byte \(offset) declares \(declared) byte(s) but its address takes \(actual)"
        case .invalidMaskLength(let length, let maximum, let offset):
            return "mask length /\(length) at byte \(offset) exceeds /\(maximum) for its address family"
        case .countOverrun(let field, let count, let remaining, let offset):
            return "\(field) count \(count) at byte \(offset) cannot fit in the \(remaining) byte(s) that remain"
        case .badAuthenticationLength(let algorithm, let length, let expected, let offset):
            return "authentication data length \(length) at byte \(offset) does not match algorithm \(algorithm) "
                + "(expects \(expected)); check the algorithm configured on both ends"
        case .trailingBytes(let count, let offset):
            return "\(count) unexpected byte(s) after the message end at byte \(offset)"
        case .badChecksum(let field, let expected, let found, let offset):
            return "\(field) checksum at byte \(offset) is 0x\(hex(found)), computed 0x\(hex(expected))"
        case .lengthMismatch(let field, let declared, let actual, let offset):
            return "\(field) length at byte \(offset) says \(declared) byte(s) but \(actual) are present"
        case .unsupportedInnerHeader(let what, let offset):
            return "encapsulated control message at byte \(offset): \(what)"
        case .nestedEncapsulation(let offset):
            return "encapsulated control message at byte \(offset) carries another ECM; refusing nested encapsulation"
        }
    }
}

private func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}
