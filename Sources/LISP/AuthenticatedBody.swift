import NIOCore

/// The part Map-Register, Map-Notify and Map-Notify-Ack share after their first word: nonce, key id,
/// algorithm, authentication data, EID-records and the optional xTR-ID/Site-ID.
struct AuthenticatedBody {
    var nonce: UInt64
    var keyID: UInt8
    var algorithm: LISPAuthAlgorithm
    var authenticationData: [UInt8]
    var records: [EIDRecord]
    var xtrIdentity: XTRIdentity?

    /// Offset of the Key ID byte from the start of the message.
    static let keyIDOffset = 12
    /// Offset of the authentication data from the start of the message.
    static let authenticationDataOffset = 16

    enum TrailingIdentity {
        /// The I bit is set: the 24 bytes must be there.
        case required
        /// No I bit, but accept exactly 24 leftover bytes as the identity (deployed Map-Notify senders).
        case detectLeftover
        /// No I bit: nothing may follow the records.
        case absent
    }

    static func parse(
        _ parser: inout LISPParser,
        recordCount: Int,
        messageName: String,
        identity: TrailingIdentity
    ) throws(LISPDecodingError) -> AuthenticatedBody {
        let nonce = try parser.read(UInt64.self, field: "\(messageName) nonce")
        let keyID = try parser.read(UInt8.self, field: "Key ID")
        let algorithm = LISPAuthAlgorithm(rawValue: try parser.read(UInt8.self, field: "Algorithm ID"))
        let lengthOffset = parser.offset
        let length = Int(try parser.read(UInt16.self, field: "authentication data length"))
        if let expected = algorithm.authenticationDataLength, expected != length {
            throw .badAuthenticationLength(
                algorithm: algorithm.rawValue,
                length: length,
                expected: expected,
                offset: lengthOffset
            )
        }
        let authenticationData = try parser.readBytes(length, field: "authentication data")
        let records = try parser.readEIDRecords(count: recordCount, countOffset: 3)
        let xtrIdentity: XTRIdentity?
        switch identity {
        case .required:
            xtrIdentity = try parser.readXTRIdentity()
        case .detectLeftover where parser.remaining == XTRIdentity.encodedLength:
            xtrIdentity = try parser.readXTRIdentity()
        case .detectLeftover, .absent:
            xtrIdentity = nil
        }
        return AuthenticatedBody(
            nonce: nonce,
            keyID: keyID,
            algorithm: algorithm,
            authenticationData: authenticationData,
            records: records,
            xtrIdentity: xtrIdentity
        )
    }

    func validateForEncoding() throws(LISPEncodingError) {
        try validateRecordCount(self.records.count, field: "EID-record")
        for record in self.records {
            try record.validateForEncoding()
        }
        let length = self.authenticationData.count
        if let expected = self.algorithm.authenticationDataLength, expected != length {
            throw .badAuthenticationLength(algorithm: self.algorithm.rawValue, length: length, expected: expected)
        }
        if length > Int(UInt16.max) {
            throw .valueOutOfRange(field: "authentication data length", value: length, maximum: Int(UInt16.max))
        }
    }
}

extension ByteBuffer {
    /// Writes the body after the first word; `validateForEncoding()` must have passed.
    mutating func writeAuthenticatedBody(_ body: AuthenticatedBody) -> Int {
        var written = self.writeMultipleIntegers(
            body.nonce,
            body.keyID,
            body.algorithm.rawValue,
            UInt16(body.authenticationData.count),
            endianness: .big
        )
        written += self.writeBytes(body.authenticationData)
        for record in body.records {
            written += self.writeValidatedEIDRecord(record)
        }
        if let identity = body.xtrIdentity {
            written += self.writeXTRIdentity(identity)
        }
        return written
    }
}
