import NIOCore

/// A Map-Request (type 1, RFC 9301 section 5.2, with the RFC 9437 I and N bits).
public struct MapRequest: Hashable, Sendable {
    /// A: the requester wants an authoritative answer.
    public var isAuthoritative: Bool
    /// P: an RLOC probe.
    public var isProbe: Bool
    /// S: solicit-map-request (SMR).
    public var isSolicitMapRequest: Bool
    /// p: sent by a PITR.
    public var isFromPITR: Bool
    /// s: sent in answer to an SMR.
    public var isSMRInvoked: Bool
    /// L: addressed to a local xTR.
    public var isToLocalXTR: Bool
    /// D: the sender does not want a Map-Reply.
    public var suppressesMapReply: Bool
    public var nonce: UInt64
    public var sourceEID: LISPAddress
    /// At least one; the first is where the Map-Reply goes.
    public var itrRLOCs: [LISPAddress]
    /// The EID-prefixes asked for; send exactly one.
    public var records: [Record]
    /// The Map-Reply record appended when M is set (the sender's own mapping, e.g. in an SMR).
    public var mapReplyRecord: EIDRecord?
    /// RFC 9437 xTR-ID and Site-ID, present when the I bit is set (subscriptions).
    public var xtrIdentity: XTRIdentity?

    public init(
        nonce: UInt64,
        sourceEID: LISPAddress = .none,
        itrRLOCs: [LISPAddress],
        records: [Record],
        isAuthoritative: Bool = false,
        isProbe: Bool = false,
        isSolicitMapRequest: Bool = false,
        isFromPITR: Bool = false,
        isSMRInvoked: Bool = false,
        isToLocalXTR: Bool = false,
        suppressesMapReply: Bool = false,
        mapReplyRecord: EIDRecord? = nil,
        xtrIdentity: XTRIdentity? = nil
    ) {
        self.isAuthoritative = isAuthoritative
        self.isProbe = isProbe
        self.isSolicitMapRequest = isSolicitMapRequest
        self.isFromPITR = isFromPITR
        self.isSMRInvoked = isSMRInvoked
        self.isToLocalXTR = isToLocalXTR
        self.suppressesMapReply = suppressesMapReply
        self.nonce = nonce
        self.sourceEID = sourceEID
        self.itrRLOCs = itrRLOCs
        self.records = records
        self.mapReplyRecord = mapReplyRecord
        self.xtrIdentity = xtrIdentity
    }

    /// One EID-prefix asked for.
    public struct Record: Hashable, Sendable {
        /// N (RFC 9437): subscribe to changes of this prefix.
        public var isSubscribe: Bool
        public var eid: LISPAddress
        public var maskLength: UInt8

        public init(eid: LISPAddress, maskLength: UInt8, isSubscribe: Bool = false) {
            self.isSubscribe = isSubscribe
            self.eid = eid
            self.maskLength = maskLength
        }

        /// Asks for `prefix`; the EID goes in an Instance-ID LCAF when the instance-id is not 0.
        public init(prefix: EIDPrefix, isSubscribe: Bool = false) {
            self.init(eid: prefix.wireAddress, maskLength: prefix.length, isSubscribe: isSubscribe)
        }

        /// The canonical prefix, or `nil` when the EID has no address (AFI 0).
        public var prefix: EIDPrefix? {
            guard let ip = self.eid.ip, Int(self.maskLength) <= ip.bitWidth else { return nil }
            return EIDPrefix(instanceID: self.eid.instanceID ?? 0, address: ip, length: Int(self.maskLength))
        }
    }
}

extension MapRequest {
    static let authoritativeFlag: UInt32 = 0x0800_0000
    static let mapDataPresentFlag: UInt32 = 0x0400_0000
    static let probeFlag: UInt32 = 0x0200_0000
    static let solicitMapRequestFlag: UInt32 = 0x0100_0000
    static let pitrFlag: UInt32 = 0x0080_0000
    static let smrInvokedFlag: UInt32 = 0x0040_0000
    static let xtrIdentityFlag: UInt32 = 0x0010_0000
    static let localXTRFlag: UInt32 = 0x0000_4000
    static let suppressMapReplyFlag: UInt32 = 0x0000_2000
    static let subscribeFlag: UInt8 = 0x80
    static let minimumRecordLength = 4

    /// Decodes a whole Map-Request from the readable bytes of `buffer`.
    ///
    /// On success the reader index moves past the message; on error it is unchanged. The message must fill
    /// the readable bytes exactly.
    public static func decode(from buffer: inout ByteBuffer) throws(LISPDecodingError) -> MapRequest {
        try decodeWhole(from: &buffer, parse: Self.parse)
    }

    static func parse(_ parser: inout LISPParser) throws(LISPDecodingError) -> MapRequest {
        let word = try readHeaderWord(&parser, expecting: .mapRequest)
        let nonce = try parser.read(UInt64.self, field: "Map-Request nonce")
        let sourceEID = try parser.readAddress(field: "source EID")
        let itrCount = Int(word >> 8 & 0x1F) + 1
        try parser.checkCount(itrCount, minimumItemSize: 2, field: "ITR-RLOC", countOffset: 2)
        var itrRLOCs: [LISPAddress] = []
        itrRLOCs.reserveCapacity(itrCount)
        for _ in 0..<itrCount {
            itrRLOCs.append(try parser.readAddress(field: "ITR-RLOC"))
        }
        let recordCount = Int(word & 0xFF)
        try parser.checkCount(recordCount, minimumItemSize: minimumRecordLength, field: "record", countOffset: 3)
        var records: [Record] = []
        records.reserveCapacity(recordCount)
        for _ in 0..<recordCount {
            let reserved = try parser.read(UInt8.self, field: "request record reserved")
            let maskOffset = parser.offset
            let maskLength = try parser.read(UInt8.self, field: "request record mask length")
            let eid = try parser.readAddress(field: "requested EID-prefix")
            try LISPParser.checkMaskLength(maskLength, for: eid, offset: maskOffset)
            records.append(Record(eid: eid, maskLength: maskLength, isSubscribe: reserved & subscribeFlag != 0))
        }
        let mapReplyRecord = word & mapDataPresentFlag != 0 ? try parser.readEIDRecord() : nil
        let xtrIdentity = word & xtrIdentityFlag != 0 ? try parser.readXTRIdentity() : nil
        return MapRequest(
            nonce: nonce,
            sourceEID: sourceEID,
            itrRLOCs: itrRLOCs,
            records: records,
            isAuthoritative: word & authoritativeFlag != 0,
            isProbe: word & probeFlag != 0,
            isSolicitMapRequest: word & solicitMapRequestFlag != 0,
            isFromPITR: word & pitrFlag != 0,
            isSMRInvoked: word & smrInvokedFlag != 0,
            isToLocalXTR: word & localXTRFlag != 0,
            suppressesMapReply: word & suppressMapReplyFlag != 0,
            mapReplyRecord: mapReplyRecord,
            xtrIdentity: xtrIdentity
        )
    }

    func validateForEncoding() throws(LISPEncodingError) {
        if self.itrRLOCs.isEmpty {
            throw .tooFew(field: "ITR-RLOC", count: 0, minimum: 1)
        }
        if self.itrRLOCs.count > 32 {
            throw .tooMany(field: "ITR-RLOC", count: self.itrRLOCs.count, maximum: 32)
        }
        try validateRecordCount(self.records.count, field: "Map-Request record")
        for record in self.records {
            try validateMaskLength(record.maskLength, for: record.eid)
        }
        try self.mapReplyRecord?.validateForEncoding()
    }
}

extension ByteBuffer {
    /// Writes `request` as a Map-Request; returns the bytes written. The buffer is unchanged on error.
    @discardableResult
    public mutating func writeMapRequest(_ request: MapRequest) throws(LISPEncodingError) -> Int {
        try request.validateForEncoding()
        var word = LISPMessageType.mapRequest.headerBits
        if request.isAuthoritative { word |= MapRequest.authoritativeFlag }
        if request.mapReplyRecord != nil { word |= MapRequest.mapDataPresentFlag }
        if request.isProbe { word |= MapRequest.probeFlag }
        if request.isSolicitMapRequest { word |= MapRequest.solicitMapRequestFlag }
        if request.isFromPITR { word |= MapRequest.pitrFlag }
        if request.isSMRInvoked { word |= MapRequest.smrInvokedFlag }
        if request.xtrIdentity != nil { word |= MapRequest.xtrIdentityFlag }
        if request.isToLocalXTR { word |= MapRequest.localXTRFlag }
        if request.suppressesMapReply { word |= MapRequest.suppressMapReplyFlag }
        word |= UInt32(request.itrRLOCs.count - 1) << 8 | UInt32(request.records.count)
        var written = self.writeMultipleIntegers(word, request.nonce, endianness: .big)
        written += self.writeLISPAddress(request.sourceEID)
        for rloc in request.itrRLOCs {
            written += self.writeLISPAddress(rloc)
        }
        for record in request.records {
            written += self.writeMultipleIntegers(
                record.isSubscribe ? MapRequest.subscribeFlag : 0,
                record.maskLength,
                endianness: .big
            )
            written += self.writeLISPAddress(record.eid)
        }
        if let record = request.mapReplyRecord {
            written += self.writeValidatedEIDRecord(record)
        }
        if let identity = request.xtrIdentity {
            written += self.writeXTRIdentity(identity)
        }
        return written
    }
}
