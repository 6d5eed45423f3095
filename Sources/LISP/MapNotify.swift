import NIOCore

/// A Map-Notify (type 4) or Map-Notify-Ack (type 5), RFC 9301 section 5.7 and RFC 9437: the layout of a
/// Map-Register without its flags, authenticated with the same key.
///
/// Which of the two it is lives in `LISPMessage` (`.mapNotify` / `.mapNotifyAck`) and in the writer used.
public struct MapNotify: Hashable, Sendable {
    /// The Map-Register's nonce when acknowledging one; the subscription's nonce (+1 per publication) in
    /// RFC 9437.
    public var nonce: UInt64
    public var keyID: UInt8
    public var algorithm: LISPAuthAlgorithm
    public var authenticationData: [UInt8]
    public var records: [EIDRecord]
    /// xTR-ID and Site-ID. Written with the I bit; decoded with the I bit or, as deployed servers send it,
    /// without the bit when exactly 24 bytes follow the records.
    public var xtrIdentity: XTRIdentity?

    /// A notify whose authentication data is zero-filled to the algorithm's length, ready for signing.
    public init(
        nonce: UInt64,
        keyID: UInt8,
        algorithm: LISPAuthAlgorithm,
        records: [EIDRecord],
        xtrIdentity: XTRIdentity? = nil,
        authenticationData: [UInt8]? = nil
    ) {
        self.nonce = nonce
        self.keyID = keyID
        self.algorithm = algorithm
        self.authenticationData =
            authenticationData ?? Array(repeating: 0, count: algorithm.authenticationDataLength ?? 0)
        self.records = records
        self.xtrIdentity = xtrIdentity
    }

    var body: AuthenticatedBody {
        AuthenticatedBody(
            nonce: self.nonce,
            keyID: self.keyID,
            algorithm: self.algorithm,
            authenticationData: self.authenticationData,
            records: self.records,
            xtrIdentity: self.xtrIdentity
        )
    }
}

extension MapNotify {
    static let xtrIdentityFlag: UInt32 = 0x0800_0000

    /// Decodes a whole Map-Notify (type 4) from the readable bytes of `buffer`. Does not check the MAC.
    ///
    /// On success the reader index moves past the message; on error it is unchanged.
    public static func decode(from buffer: inout ByteBuffer) throws(LISPDecodingError) -> MapNotify {
        try decodeWhole(from: &buffer) { (parser: inout LISPParser) throws(LISPDecodingError) in
            try Self.parse(&parser, type: .mapNotify)
        }
    }

    /// Decodes a whole Map-Notify-Ack (type 5) from the readable bytes of `buffer`. Does not check the MAC.
    ///
    /// On success the reader index moves past the message; on error it is unchanged.
    public static func decodeAck(from buffer: inout ByteBuffer) throws(LISPDecodingError) -> MapNotify {
        try decodeWhole(from: &buffer) { (parser: inout LISPParser) throws(LISPDecodingError) in
            try Self.parse(&parser, type: .mapNotifyAck)
        }
    }

    static func parse(_ parser: inout LISPParser, type: LISPMessageType) throws(LISPDecodingError) -> MapNotify {
        let word = try readHeaderWord(&parser, expecting: type)
        let body = try AuthenticatedBody.parse(
            &parser,
            recordCount: Int(word & 0xFF),
            messageName: type == .mapNotify ? "Map-Notify" : "Map-Notify-Ack",
            identity: word & xtrIdentityFlag != 0 ? .required : .detectLeftover
        )
        return MapNotify(
            nonce: body.nonce,
            keyID: body.keyID,
            algorithm: body.algorithm,
            records: body.records,
            xtrIdentity: body.xtrIdentity,
            authenticationData: body.authenticationData
        )
    }
}

extension ByteBuffer {
    /// Writes `notify` as a Map-Notify (type 4); returns the bytes written. The buffer is unchanged on error.
    @discardableResult
    public mutating func writeMapNotify(_ notify: MapNotify) throws(LISPEncodingError) -> Int {
        try self.writeMapNotify(notify, type: .mapNotify)
    }

    /// Writes `notify` as a Map-Notify-Ack (type 5); returns the bytes written. The buffer is unchanged on error.
    @discardableResult
    public mutating func writeMapNotifyAck(_ notify: MapNotify) throws(LISPEncodingError) -> Int {
        try self.writeMapNotify(notify, type: .mapNotifyAck)
    }

    mutating func writeMapNotify(_ notify: MapNotify, type: LISPMessageType) throws(LISPEncodingError) -> Int {
        let body = notify.body
        try body.validateForEncoding()
        var word = type.headerBits | UInt32(notify.records.count)
        if notify.xtrIdentity != nil { word |= MapNotify.xtrIdentityFlag }
        return self.writeInteger(word, endianness: .big) + self.writeAuthenticatedBody(body)
    }
}
