import Crypto
import NIOCore

/// Why a Map-Register, Map-Notify or Map-Notify-Ack could not be signed or did not verify.
public enum LISPAuthenticationError: Error, Hashable, Sendable {
    /// The message is not of a type that carries authentication data.
    case notAuthenticated(messageType: UInt8)
    /// The message is too short to hold the authentication header and data.
    case truncated(length: Int, needed: Int)
    /// The algorithm id is one this codec cannot compute.
    case unsupportedAlgorithm(UInt8)
    /// The authentication data length does not match the algorithm.
    case badAuthenticationLength(algorithm: UInt8, length: Int, expected: Int)
    /// No key is configured for the message's Key ID.
    case unknownKeyID(UInt8)
    /// The MAC does not match: wrong key, or the message was altered.
    case mismatch(keyID: UInt8, algorithm: UInt8)
    /// The message to be signed does not fit the wire format.
    case unencodable(LISPEncodingError)
}

extension LISPAuthenticationError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notAuthenticated(let type):
            return "LISP message type \(type) carries no authentication data (only types 3, 4 and 5 do)"
        case .truncated(let length, let needed):
            return "message of \(length) byte(s) is too short for its authentication data (needs \(needed))"
        case .unsupportedAlgorithm(let algorithm):
            return "authentication algorithm \(algorithm) is not supported; use 1 (hmac-sha1) or 2 (hmac-sha256)"
        case .badAuthenticationLength(let algorithm, let length, let expected):
            return "authentication data length \(length) does not match algorithm \(algorithm) (expects \(expected))"
        case .unknownKeyID(let keyID):
            return "no key is configured for Key ID \(keyID)"
        case .mismatch(let keyID, let algorithm):
            return "authentication failed (Key ID \(keyID), algorithm \(LISPAuthAlgorithm(rawValue: algorithm))): "
                + "the shared key differs between the two ends or the message was altered"
        case .unencodable(let error):
            return "cannot sign: \(error)"
        }
    }
}

/// HMAC authentication of Map-Register, Map-Notify and Map-Notify-Ack (RFC 9301 section 5.6).
///
/// The MAC covers the whole encoded message, trailing xTR-ID/Site-ID included, with the authentication data
/// field zeroed. Deployed servers use the full MAC: 20 bytes for HMAC-SHA-1, 32 for HMAC-SHA-256.
public enum LISPAuthentication {
    /// Computes the MAC of the encoded message in the readable bytes of `message` and writes it into its
    /// authentication data field. The reader and writer indices do not move.
    public static func sign(_ message: inout ByteBuffer, key: [UInt8]) throws(LISPAuthenticationError) {
        let field = try self.locateField(in: message)
        var bytes = Array(message.readableBytesView)
        bytes.replaceSubrange(field.range, with: repeatElement(0, count: field.range.count))
        let mac = self.authenticationCode(for: bytes, algorithm: field.algorithm, key: key)
        message.setBytes(mac, at: message.readerIndex + field.range.lowerBound)
    }

    /// Checks the MAC of the encoded message in the readable bytes of `message` with `key`, comparing in
    /// constant time. Returns normally when it matches.
    public static func verify(_ message: ByteBuffer, key: [UInt8]) throws(LISPAuthenticationError) {
        let field = try self.locateField(in: message)
        var bytes = Array(message.readableBytesView)
        let received = Array(bytes[field.range])
        bytes.replaceSubrange(field.range, with: repeatElement(0, count: field.range.count))
        let symmetricKey = SymmetricKey(data: key)
        let valid: Bool
        switch field.algorithm {
        case .hmacSHA1:
            valid = HMAC<Insecure.SHA1>.isValidAuthenticationCode(received, authenticating: bytes, using: symmetricKey)
        default:
            valid = HMAC<SHA256>.isValidAuthenticationCode(received, authenticating: bytes, using: symmetricKey)
        }
        if !valid {
            throw .mismatch(keyID: field.keyID, algorithm: field.algorithm.rawValue)
        }
    }

    /// Checks the MAC with the key configured for the message's Key ID.
    public static func verify(_ message: ByteBuffer, keys: [UInt8: [UInt8]]) throws(LISPAuthenticationError) {
        let field = try self.locateField(in: message)
        guard let key = keys[field.keyID] else { throw .unknownKeyID(field.keyID) }
        try self.verify(message, key: key)
    }

    /// The HMAC of `bytes` with `algorithm`, which must be `.hmacSHA1` or `.hmacSHA256`.
    static func authenticationCode(for bytes: [UInt8], algorithm: LISPAuthAlgorithm, key: [UInt8]) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        switch algorithm {
        case .hmacSHA1:
            return Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: symmetricKey))
        default:
            return Array(HMAC<SHA256>.authenticationCode(for: bytes, using: symmetricKey))
        }
    }

    private struct Field {
        var keyID: UInt8
        var algorithm: LISPAuthAlgorithm
        /// Relative to the reader index.
        var range: Range<Int>
    }

    private static func locateField(in message: ByteBuffer) throws(LISPAuthenticationError) -> Field {
        let start = message.readerIndex
        let headerLength = AuthenticatedBody.authenticationDataOffset
        guard let first = message.getInteger(at: start, as: UInt8.self) else {
            throw .truncated(length: 0, needed: headerLength)
        }
        let type = first >> 4
        guard [LISPMessageType.mapRegister, .mapNotify, .mapNotifyAck].contains(where: { $0.rawValue == type }) else {
            throw .notAuthenticated(messageType: type)
        }
        guard
            let (keyID, algorithmID, length) = message.getMultipleIntegers(
                at: start + AuthenticatedBody.keyIDOffset,
                endianness: .big,
                as: (UInt8, UInt8, UInt16).self
            )
        else {
            throw .truncated(length: message.readableBytes, needed: headerLength)
        }
        let algorithm = LISPAuthAlgorithm(rawValue: algorithmID)
        guard algorithm == .hmacSHA1 || algorithm == .hmacSHA256, let expected = algorithm.authenticationDataLength
        else {
            throw .unsupportedAlgorithm(algorithmID)
        }
        guard Int(length) == expected else {
            throw .badAuthenticationLength(algorithm: algorithmID, length: Int(length), expected: expected)
        }
        guard message.readableBytes >= headerLength + expected else {
            throw .truncated(length: message.readableBytes, needed: headerLength + expected)
        }
        return Field(keyID: keyID, algorithm: algorithm, range: headerLength..<(headerLength + expected))
    }
}

extension ByteBuffer {
    /// Writes `register` with the authentication data computed with `key`; returns the bytes written.
    @discardableResult
    public mutating func writeMapRegister(
        _ register: MapRegister,
        signedWith key: [UInt8]
    ) throws(LISPAuthenticationError) -> Int {
        var unsigned = register
        unsigned.authenticationData = try zeroedAuthenticationData(for: register.algorithm)
        return try self.writeSigned(key: key) { (buffer: inout ByteBuffer) throws(LISPEncodingError) in
            try buffer.writeMapRegister(unsigned)
        }
    }

    /// Writes `notify` as a Map-Notify with the authentication data computed with `key`.
    @discardableResult
    public mutating func writeMapNotify(
        _ notify: MapNotify,
        signedWith key: [UInt8]
    ) throws(LISPAuthenticationError) -> Int {
        var unsigned = notify
        unsigned.authenticationData = try zeroedAuthenticationData(for: notify.algorithm)
        return try self.writeSigned(key: key) { (buffer: inout ByteBuffer) throws(LISPEncodingError) in
            try buffer.writeMapNotify(unsigned)
        }
    }

    /// Writes `notify` as a Map-Notify-Ack with the authentication data computed with `key`.
    @discardableResult
    public mutating func writeMapNotifyAck(
        _ notify: MapNotify,
        signedWith key: [UInt8]
    ) throws(LISPAuthenticationError) -> Int {
        var unsigned = notify
        unsigned.authenticationData = try zeroedAuthenticationData(for: notify.algorithm)
        return try self.writeSigned(key: key) { (buffer: inout ByteBuffer) throws(LISPEncodingError) in
            try buffer.writeMapNotifyAck(unsigned)
        }
    }

    private mutating func writeSigned(
        key: [UInt8],
        write: (inout ByteBuffer) throws(LISPEncodingError) -> Int
    ) throws(LISPAuthenticationError) -> Int {
        let start = self.writerIndex
        let written: Int
        do {
            written = try write(&self)
        } catch {
            throw .unencodable(error)
        }
        var message = self.getSlice(at: start, length: written)!
        try LISPAuthentication.sign(&message, key: key)
        self.setBuffer(message, at: start)
        return written
    }
}

private func zeroedAuthenticationData(for algorithm: LISPAuthAlgorithm) throws(LISPAuthenticationError) -> [UInt8] {
    guard algorithm == .hmacSHA1 || algorithm == .hmacSHA256, let length = algorithm.authenticationDataLength else {
        throw .unsupportedAlgorithm(algorithm.rawValue)
    }
    return Array(repeating: 0, count: length)
}
