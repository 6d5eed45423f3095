import NIOCore

/// An Encapsulated Control Message (type 8, RFC 9301 section 5.8): a control message inside an inner IPv4 or
/// IPv6 header and UDP header, as ITRs send Map-Requests to a map-resolver.
///
/// Only the inner header fields that matter are kept; the encoder writes TOS/traffic class, identification,
/// flags and flow label as zero and fills in lengths and checksums. The decoder checks the IPv4 header checksum
/// and the UDP checksum (an IPv4 UDP checksum of zero means "not computed" and is accepted).
public struct EncapsulatedControlMessage: Hashable, Sendable {
    /// S: LISP-SEC data accompanies the message (not interpreted by this codec).
    public var isSecurity: Bool
    /// D: sent by a LISP-DDT node.
    public var isDDT: Bool
    /// Inner source address: the ITR's own address (where the Map-Reply will go).
    public var source: IPAddress
    /// Inner destination address: the EID being looked up.
    public var destination: IPAddress
    /// Inner UDP source port; use the outer source port, because the resolver replies to it.
    public var sourcePort: UInt16
    /// Inner UDP destination port, 4342.
    public var destinationPort: UInt16
    /// Inner IPv4 TTL or IPv6 hop limit.
    public var hopLimit: UInt8
    /// The encapsulated message (never another ECM).
    public var message: LISPMessage

    public init(
        source: IPAddress,
        destination: IPAddress,
        sourcePort: UInt16,
        destinationPort: UInt16 = 4342,
        hopLimit: UInt8 = 64,
        message: LISPMessage,
        isSecurity: Bool = false,
        isDDT: Bool = false
    ) {
        self.isSecurity = isSecurity
        self.isDDT = isDDT
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.hopLimit = hopLimit
        self.message = message
    }
}

extension EncapsulatedControlMessage {
    static let securityFlag: UInt32 = 0x0800_0000
    static let ddtFlag: UInt32 = 0x0400_0000
    static let udpProtocol: UInt8 = 17
    static let udpHeaderLength = 8

    /// Decodes a whole ECM, inner headers and message included, from the readable bytes of `buffer`.
    ///
    /// On success the reader index moves past the message; on error it is unchanged.
    public static func decode(from buffer: inout ByteBuffer) throws(LISPDecodingError) -> EncapsulatedControlMessage {
        try decodeWhole(from: &buffer, parse: Self.parse)
    }

    static func parse(_ parser: inout LISPParser) throws(LISPDecodingError) -> EncapsulatedControlMessage {
        let word = try readHeaderWord(&parser, expecting: .encapsulatedControlMessage)
        let ipOffset = parser.offset
        guard let first = parser.buffer.getInteger(at: parser.buffer.readerIndex, as: UInt8.self) else {
            throw .truncated(field: "inner IP version", offset: ipOffset, needed: 1)
        }
        let header: InnerIPHeader
        switch first >> 4 {
        case 4: header = try InnerIPHeader.parseIPv4(&parser)
        case 6: header = try InnerIPHeader.parseIPv6(&parser)
        default:
            throw .unsupportedInnerHeader("inner IP version \(first >> 4); expected 4 or 6", offset: ipOffset)
        }

        let udpOffset = parser.offset
        // The parser consumes as it goes; keep a view of the UDP datagram for the checksum.
        let datagram = parser.buffer
        let sourcePort = try parser.read(UInt16.self, field: "inner UDP source port")
        let destinationPort = try parser.read(UInt16.self, field: "inner UDP destination port")
        let udpLength = Int(try parser.read(UInt16.self, field: "inner UDP length"))
        let found = try parser.read(UInt16.self, field: "inner UDP checksum")
        let actual = parser.remaining + Self.udpHeaderLength
        if udpLength != actual {
            throw .lengthMismatch(field: "inner UDP", declared: udpLength, actual: actual, offset: udpOffset + 4)
        }
        if found != 0 || header.isIPv6 {
            var checksum = InternetChecksum()
            checksum.addPseudoHeader(source: header.source, destination: header.destination, udpLength: udpLength)
            checksum.add(readableBytesOf: datagram, skipping: 6)
            let expected = checksum.value == 0 ? 0xFFFF : checksum.value
            if expected != found {
                throw .badChecksum(field: "inner UDP", expected: expected, found: found, offset: udpOffset + 6)
            }
        }

        let message = try LISPMessage.parse(&parser, allowEncapsulation: false)
        return EncapsulatedControlMessage(
            source: header.source,
            destination: header.destination,
            sourcePort: sourcePort,
            destinationPort: destinationPort,
            hopLimit: header.hopLimit,
            message: message,
            isSecurity: word & securityFlag != 0,
            isDDT: word & ddtFlag != 0
        )
    }
}

/// The inner IP header fields an ECM keeps.
private struct InnerIPHeader {
    var source: IPAddress
    var destination: IPAddress
    var hopLimit: UInt8
    var isIPv6: Bool { self.source.bitWidth == 128 }

    static func parseIPv4(_ parser: inout LISPParser) throws(LISPDecodingError) -> InnerIPHeader {
        let offset = parser.offset
        let packet = parser.buffer
        let versionAndLength = try parser.read(UInt8.self, field: "inner IPv4 version/IHL")
        let headerLength = Int(versionAndLength & 0x0F) * 4
        if headerLength < 20 {
            throw .unsupportedInnerHeader("inner IPv4 header length \(headerLength) is below 20", offset: offset)
        }
        _ = try parser.read(UInt8.self, field: "inner IPv4 TOS")
        let totalLength = Int(try parser.read(UInt16.self, field: "inner IPv4 total length"))
        _ = try parser.read(UInt16.self, field: "inner IPv4 identification")
        let fragment = try parser.read(UInt16.self, field: "inner IPv4 flags/fragment offset")
        let ttl = try parser.read(UInt8.self, field: "inner IPv4 TTL")
        let proto = try parser.read(UInt8.self, field: "inner IPv4 protocol")
        let found = try parser.read(UInt16.self, field: "inner IPv4 header checksum")
        let source = try parser.read(UInt32.self, field: "inner IPv4 source")
        let destination = try parser.read(UInt32.self, field: "inner IPv4 destination")
        _ = try parser.readSlice(headerLength - 20, field: "inner IPv4 options")
        let actual = parser.remaining + headerLength
        if totalLength != actual {
            throw .lengthMismatch(field: "inner IPv4 total", declared: totalLength, actual: actual, offset: offset + 2)
        }
        var checksum = InternetChecksum()
        checksum.add(readableBytesOf: packet.getSlice(at: packet.readerIndex, length: headerLength)!, skipping: 10)
        if checksum.value != found {
            throw .badChecksum(field: "inner IPv4 header", expected: checksum.value, found: found, offset: offset + 10)
        }
        if fragment & 0x3FFF != 0 {
            throw .unsupportedInnerHeader("inner IPv4 packet is a fragment", offset: offset + 6)
        }
        if proto != EncapsulatedControlMessage.udpProtocol {
            throw .unsupportedInnerHeader("inner protocol \(proto); expected UDP (17)", offset: offset + 9)
        }
        return InnerIPHeader(
            source: .v4(IPv4Address(rawValue: source)),
            destination: .v4(IPv4Address(rawValue: destination)),
            hopLimit: ttl
        )
    }

    static func parseIPv6(_ parser: inout LISPParser) throws(LISPDecodingError) -> InnerIPHeader {
        let offset = parser.offset
        _ = try parser.read(UInt32.self, field: "inner IPv6 version/class/flow label")
        let payloadLength = Int(try parser.read(UInt16.self, field: "inner IPv6 payload length"))
        let nextHeader = try parser.read(UInt8.self, field: "inner IPv6 next header")
        let hopLimit = try parser.read(UInt8.self, field: "inner IPv6 hop limit")
        let source = IPv6Address(
            high: try parser.read(UInt64.self, field: "inner IPv6 source"),
            low: try parser.read(UInt64.self, field: "inner IPv6 source")
        )
        let destination = IPv6Address(
            high: try parser.read(UInt64.self, field: "inner IPv6 destination"),
            low: try parser.read(UInt64.self, field: "inner IPv6 destination")
        )
        if payloadLength != parser.remaining {
            throw .lengthMismatch(
                field: "inner IPv6 payload",
                declared: payloadLength,
                actual: parser.remaining,
                offset: offset + 4
            )
        }
        if nextHeader != EncapsulatedControlMessage.udpProtocol {
            throw .unsupportedInnerHeader("inner next header \(nextHeader); expected UDP (17)", offset: offset + 6)
        }
        return InnerIPHeader(source: .v6(source), destination: .v6(destination), hopLimit: hopLimit)
    }
}

extension InternetChecksum {
    mutating func addPseudoHeader(source: IPAddress, destination: IPAddress, udpLength: Int) {
        self.add(source)
        self.add(destination)
        self.add(UInt32(udpLength))
        self.add(UInt32(EncapsulatedControlMessage.udpProtocol))
    }
}

extension ByteBuffer {
    /// Writes `ecm` with its inner IP and UDP headers, lengths and checksums filled in; returns the bytes written.
    /// The buffer is unchanged on error.
    @discardableResult
    public mutating func writeEncapsulatedControlMessage(
        _ ecm: EncapsulatedControlMessage
    ) throws(LISPEncodingError) -> Int {
        guard ecm.source.isSameFamily(as: ecm.destination) else { throw .addressFamilyMismatch }
        if case .encapsulated = ecm.message { throw .nestedEncapsulation }
        let start = self.writerIndex
        var word = LISPMessageType.encapsulatedControlMessage.headerBits
        if ecm.isSecurity { word |= EncapsulatedControlMessage.securityFlag }
        if ecm.isDDT { word |= EncapsulatedControlMessage.ddtFlag }
        self.writeInteger(word, endianness: .big)

        let ipStart = self.writerIndex
        switch (ecm.source, ecm.destination) {
        case (.v4(let source), .v4(let destination)):
            self.writeMultipleIntegers(
                UInt8(0x45),
                UInt8(0),
                UInt16(0),  // total length, filled in below
                UInt16(0),
                UInt16(0),
                ecm.hopLimit,
                EncapsulatedControlMessage.udpProtocol,
                UInt16(0),  // header checksum, filled in below
                source.rawValue,
                destination.rawValue,
                endianness: .big
            )
        case (.v6(let source), .v6(let destination)):
            self.writeMultipleIntegers(
                UInt32(0x6000_0000),
                UInt16(0),  // payload length, filled in below
                EncapsulatedControlMessage.udpProtocol,
                ecm.hopLimit,
                source.high,
                source.low,
                destination.high,
                destination.low,
                endianness: .big
            )
        default:
            preconditionFailure("address families checked above")
        }

        let udpStart = self.writerIndex
        self.writeMultipleIntegers(ecm.sourcePort, ecm.destinationPort, UInt32(0), endianness: .big)
        do {
            try self.writeLISPMessage(ecm.message)
        } catch {
            self.moveWriterIndex(to: start)
            throw error
        }
        let udpLength = self.writerIndex - udpStart
        let ipLength = self.writerIndex - ipStart
        guard ipLength <= Int(UInt16.max) else {
            self.moveWriterIndex(to: start)
            throw .valueOutOfRange(field: "inner packet length", value: ipLength, maximum: Int(UInt16.max))
        }
        self.setInteger(UInt16(udpLength), at: udpStart + 4, endianness: .big)
        var udpChecksum = InternetChecksum()
        udpChecksum.addPseudoHeader(source: ecm.source, destination: ecm.destination, udpLength: udpLength)
        udpChecksum.add(readableBytesOf: self.getSlice(at: udpStart, length: udpLength)!)
        self.setInteger(udpChecksum.value == 0 ? 0xFFFF : udpChecksum.value, at: udpStart + 6, endianness: .big)

        if case .v4 = ecm.source {
            self.setInteger(UInt16(ipLength), at: ipStart + 2, endianness: .big)
            var headerChecksum = InternetChecksum()
            headerChecksum.add(readableBytesOf: self.getSlice(at: ipStart, length: udpStart - ipStart)!)
            self.setInteger(headerChecksum.value, at: ipStart + 10, endianness: .big)
        } else {
            self.setInteger(UInt16(udpLength), at: ipStart + 4, endianness: .big)
        }
        return self.writerIndex - start
    }
}
