import NIOCore

/// A Map-Reply (type 2, RFC 9301 section 5.4).
public struct MapReply: Hashable, Sendable {
    /// P: answers an RLOC probe.
    public var isProbeReply: Bool
    /// E: the sender can echo nonces.
    public var isEchoNonceCapable: Bool
    /// S: LISP-SEC data follows (not interpreted by this codec).
    public var isSecurity: Bool
    /// The nonce of the Map-Request being answered.
    public var nonce: UInt64
    public var records: [EIDRecord]

    public init(
        nonce: UInt64,
        records: [EIDRecord],
        isProbeReply: Bool = false,
        isEchoNonceCapable: Bool = false,
        isSecurity: Bool = false
    ) {
        self.isProbeReply = isProbeReply
        self.isEchoNonceCapable = isEchoNonceCapable
        self.isSecurity = isSecurity
        self.nonce = nonce
        self.records = records
    }
}

extension MapReply {
    static let probeFlag: UInt32 = 0x0800_0000
    static let echoNonceFlag: UInt32 = 0x0400_0000
    static let securityFlag: UInt32 = 0x0200_0000

    /// Decodes a whole Map-Reply from the readable bytes of `buffer`.
    ///
    /// On success the reader index moves past the message; on error it is unchanged.
    public static func decode(from buffer: inout ByteBuffer) throws(LISPDecodingError) -> MapReply {
        try decodeWhole(from: &buffer, parse: Self.parse)
    }

    static func parse(_ parser: inout LISPParser) throws(LISPDecodingError) -> MapReply {
        let word = try readHeaderWord(&parser, expecting: .mapReply)
        let nonce = try parser.read(UInt64.self, field: "Map-Reply nonce")
        let records = try parser.readEIDRecords(count: Int(word & 0xFF), countOffset: 3)
        return MapReply(
            nonce: nonce,
            records: records,
            isProbeReply: word & probeFlag != 0,
            isEchoNonceCapable: word & echoNonceFlag != 0,
            isSecurity: word & securityFlag != 0
        )
    }
}

extension ByteBuffer {
    /// Writes `reply` as a Map-Reply; returns the bytes written. The buffer is unchanged on error.
    @discardableResult
    public mutating func writeMapReply(_ reply: MapReply) throws(LISPEncodingError) -> Int {
        try validateRecordCount(reply.records.count, field: "EID-record")
        for record in reply.records {
            try record.validateForEncoding()
        }
        var word = LISPMessageType.mapReply.headerBits | UInt32(reply.records.count)
        if reply.isProbeReply { word |= MapReply.probeFlag }
        if reply.isEchoNonceCapable { word |= MapReply.echoNonceFlag }
        if reply.isSecurity { word |= MapReply.securityFlag }
        var written = self.writeMultipleIntegers(word, reply.nonce, endianness: .big)
        for record in reply.records {
            written += self.writeValidatedEIDRecord(record)
        }
        return written
    }
}
