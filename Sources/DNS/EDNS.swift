/// The EDNS(0) pseudo-record (RFC 6891): the OPT record's fields, decoded.
///
/// The extended RCODE bits are not kept here: ``DNSMessage/responseCode`` holds the full 12-bit value and
/// the encoder splits it between the header and this record.
public struct EDNS: Hashable, Sendable {
    /// One EDNS option (code and raw data), e.g. a cookie or NSID.
    public struct Option: Hashable, Sendable {
        public var code: UInt16
        public var data: [UInt8]

        public init(code: UInt16, data: [UInt8]) {
            self.code = code
            self.data = data
        }
    }

    /// The largest UDP payload the sender can reassemble.
    public var udpPayloadSize: UInt16
    public var version: UInt8
    /// The DO bit: the sender wants DNSSEC records.
    public var dnssecOK: Bool
    public var options: [Option]

    public init(udpPayloadSize: UInt16 = 1232, version: UInt8 = 0, dnssecOK: Bool = false, options: [Option] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.version = version
        self.dnssecOK = dnssecOK
        self.options = options
    }
}

/// The TSIG pseudo-record (RFC 8945 §4.2) that ends a signed message.
public struct TSIGRecord: Hashable, Sendable {
    public var keyName: DNSName
    public var algorithm: DNSName
    /// Seconds since the epoch, 48 bits on the wire.
    public var timeSigned: UInt64
    /// Allowed clock difference in seconds.
    public var fudge: UInt16
    /// Empty in the unsigned error answers for BADSIG and BADKEY.
    public var mac: [UInt8]
    /// The message ID when signed; the MAC covers the message with this ID restored.
    public var originalID: UInt16
    /// The TSIG error: `noError`, `badSignature`, `badKey`, `badTime`, `badTruncation`.
    public var error: DNSResponseCode
    /// For BADTIME, the server's clock as 48 bits.
    public var otherData: [UInt8]

    public init(
        keyName: DNSName,
        algorithm: DNSName,
        timeSigned: UInt64,
        fudge: UInt16,
        mac: [UInt8],
        originalID: UInt16,
        error: DNSResponseCode,
        otherData: [UInt8]
    ) {
        self.keyName = keyName
        self.algorithm = algorithm
        self.timeSigned = timeSigned
        self.fudge = fudge
        self.mac = mac
        self.originalID = originalID
        self.error = error
        self.otherData = otherData
    }

    static func decode(
        keyName: DNSName,
        length: Int,
        from reader: inout DNSMessageReader
    ) throws(DNSDecodingError) -> TSIGRecord {
        let start = reader.offset
        guard reader.remaining >= length else { throw .truncated(field: "TSIG RDATA", offset: start) }
        let algorithm = try reader.readName("TSIG algorithm name")
        let timeSigned = try reader.readUInt48("TSIG time signed")
        let fudge = try reader.readUInt16("TSIG fudge")
        let macSize = Int(try reader.readUInt16("TSIG MAC size"))
        let mac = try reader.readBytes(macSize, "TSIG MAC")
        let originalID = try reader.readUInt16("TSIG original ID")
        let error = DNSResponseCode(rawValue: try reader.readUInt16("TSIG error"))
        let otherLength = Int(try reader.readUInt16("TSIG other length"))
        let otherData = try reader.readBytes(otherLength, "TSIG other data")
        guard reader.offset == start + length else {
            throw .badRDataLength(type: .tsig, length: length, offset: start)
        }
        return TSIGRecord(
            keyName: keyName,
            algorithm: algorithm,
            timeSigned: timeSigned,
            fudge: fudge,
            mac: mac,
            originalID: originalID,
            error: error,
            otherData: otherData
        )
    }

    /// Names are written uncompressed: RFC 8945 §4.2 forbids compressing the algorithm name, and the owner
    /// is kept whole too so that every server finds the key name as it was signed.
    func write(to writer: inout DNSMessageWriter) {
        writer.writeName(keyName, compress: false)
        writer.buffer.writeMultipleIntegers(DNSRecordType.tsig.rawValue, DNSClass.any.rawValue, UInt32(0))
        writer.writeLengthPrefixed { writer in
            writer.writeName(algorithm, compress: false)
            writer.writeUInt48(timeSigned)
            writer.buffer.writeMultipleIntegers(fudge, UInt16(mac.count))
            writer.buffer.writeBytes(mac)
            writer.buffer.writeMultipleIntegers(originalID, error.rawValue, UInt16(otherData.count))
            writer.buffer.writeBytes(otherData)
        }
    }
}
