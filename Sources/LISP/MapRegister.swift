import NIOCore

/// A Map-Register (type 3, RFC 9301 section 5.6): an ETR's authenticated registration of its EID-prefixes.
public struct MapRegister: Hashable, Sendable {
    /// P: the map-server answers Map-Requests for these prefixes itself (proxy reply).
    public var wantsProxyReply: Bool
    /// S: LISP-SEC capable.
    public var isSecurity: Bool
    /// T: the registration expires after the record TTL rather than the default three minutes.
    public var expiresByRecordTTL: Bool
    /// a: merge the locator sets of several registering ETRs.
    public var wantsMerge: Bool
    /// M: the ETR wants a Map-Notify in answer.
    public var wantsMapNotify: Bool
    /// Grows with every Map-Register of an xTR; a map-server drops a non-increasing one (replay).
    public var nonce: UInt64
    public var keyID: UInt8
    public var algorithm: LISPAuthAlgorithm
    /// The MAC; all zero while the message is being signed.
    public var authenticationData: [UInt8]
    public var records: [EIDRecord]
    /// xTR-ID and Site-ID, present exactly when the I bit is set.
    public var xtrIdentity: XTRIdentity?

    /// A register whose authentication data is zero-filled to the algorithm's length, ready for signing.
    public init(
        nonce: UInt64,
        keyID: UInt8,
        algorithm: LISPAuthAlgorithm,
        records: [EIDRecord],
        wantsProxyReply: Bool = false,
        isSecurity: Bool = false,
        expiresByRecordTTL: Bool = false,
        wantsMerge: Bool = false,
        wantsMapNotify: Bool = false,
        xtrIdentity: XTRIdentity? = nil,
        authenticationData: [UInt8]? = nil
    ) {
        self.wantsProxyReply = wantsProxyReply
        self.isSecurity = isSecurity
        self.expiresByRecordTTL = expiresByRecordTTL
        self.wantsMerge = wantsMerge
        self.wantsMapNotify = wantsMapNotify
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

extension MapRegister {
    static let proxyReplyFlag: UInt32 = 0x0800_0000
    static let securityFlag: UInt32 = 0x0400_0000
    static let xtrIdentityFlag: UInt32 = 0x0200_0000
    static let recordTTLFlag: UInt32 = 0x0000_0800
    static let mergeFlag: UInt32 = 0x0000_0400
    static let mapNotifyFlag: UInt32 = 0x0000_0100

    /// Decodes a whole Map-Register from the readable bytes of `buffer`. Does not check the MAC; see
    /// `LISPAuthentication.verify`.
    ///
    /// On success the reader index moves past the message; on error it is unchanged.
    public static func decode(from buffer: inout ByteBuffer) throws(LISPDecodingError) -> MapRegister {
        try decodeWhole(from: &buffer, parse: Self.parse)
    }

    static func parse(_ parser: inout LISPParser) throws(LISPDecodingError) -> MapRegister {
        let word = try readHeaderWord(&parser, expecting: .mapRegister)
        let body = try AuthenticatedBody.parse(
            &parser,
            recordCount: Int(word & 0xFF),
            messageName: "Map-Register",
            identity: word & xtrIdentityFlag != 0 ? .required : .absent
        )
        return MapRegister(
            nonce: body.nonce,
            keyID: body.keyID,
            algorithm: body.algorithm,
            records: body.records,
            wantsProxyReply: word & proxyReplyFlag != 0,
            isSecurity: word & securityFlag != 0,
            expiresByRecordTTL: word & recordTTLFlag != 0,
            wantsMerge: word & mergeFlag != 0,
            wantsMapNotify: word & mapNotifyFlag != 0,
            xtrIdentity: body.xtrIdentity,
            authenticationData: body.authenticationData
        )
    }
}

extension ByteBuffer {
    /// Writes `register` as a Map-Register with its authentication data as given; returns the bytes written.
    /// The buffer is unchanged on error. To sign, use `writeMapRegister(_:signedWith:)`.
    @discardableResult
    public mutating func writeMapRegister(_ register: MapRegister) throws(LISPEncodingError) -> Int {
        let body = register.body
        try body.validateForEncoding()
        var word = LISPMessageType.mapRegister.headerBits | UInt32(register.records.count)
        if register.wantsProxyReply { word |= MapRegister.proxyReplyFlag }
        if register.isSecurity { word |= MapRegister.securityFlag }
        if register.xtrIdentity != nil { word |= MapRegister.xtrIdentityFlag }
        if register.expiresByRecordTTL { word |= MapRegister.recordTTLFlag }
        if register.wantsMerge { word |= MapRegister.mergeFlag }
        if register.wantsMapNotify { word |= MapRegister.mapNotifyFlag }
        return self.writeInteger(word, endianness: .big) + self.writeAuthenticatedBody(body)
    }
}
