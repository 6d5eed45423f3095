import LISP
import NIOCore
import Testing

@Suite("Encapsulated Control Message vectors")
struct ECMVectorTests {
    @Test func ecmWithInnerIPv4() throws {
        var buffer = Vectors.ecmIPv4
        let ecm = try EncapsulatedControlMessage.decode(from: &buffer)
        #expect(!ecm.isSecurity && !ecm.isDDT)
        #expect(ecm.source == ip("127.0.0.1"))
        #expect(ecm.destination == ip("10.1.0.7"))
        #expect(ecm.sourcePort == 50000)
        #expect(ecm.destinationPort == 4342)
        #expect(ecm.hopLimit == 64)
        var inner = Vectors.mapRequestPlain
        #expect(ecm.message == .mapRequest(try MapRequest.decode(from: &inner)))
        try expectByteExactRoundTrip(Vectors.ecmIPv4)

        var written = ByteBuffer()
        try written.writeEncapsulatedControlMessage(
            EncapsulatedControlMessage(
                source: ip("127.0.0.1"),
                destination: ip("10.1.0.7"),
                sourcePort: 50000,
                message: try decode(Vectors.mapRequestPlain)
            )
        )
        #expect(hexString(written) == hexString(Vectors.ecmIPv4))
    }

    @Test func ecmWithInnerIPv6() throws {
        var buffer = Vectors.ecmIPv6
        let ecm = try EncapsulatedControlMessage.decode(from: &buffer)
        #expect(ecm.source == ip("::1"))
        #expect(ecm.destination == ip("2001:db8:1::7"))
        #expect(ecm.sourcePort == 50000)
        guard case .mapRequest(let request) = ecm.message else {
            Issue.record("expected a Map-Request inside")
            return
        }
        #expect(request.isProbe)
        try expectByteExactRoundTrip(Vectors.ecmIPv6)
    }

    @Test func corruptedChecksumsAreRejected() throws {
        // Byte 14 is the low byte of the inner IPv4 header checksum (4-byte ECM header + 10).
        var badHeader = Vectors.ecmIPv4
        badHeader.setInteger(badHeader.getInteger(at: 15, as: UInt8.self)! ^ 0x01, at: 15)
        #expect {
            try EncapsulatedControlMessage.decode(from: &badHeader)
        } throws: { error in
            guard case .badChecksum(let field, _, _, let offset) = error as? LISPDecodingError else { return false }
            return field == "inner IPv4 header" && offset == 14
        }

        // The UDP checksum sits at 4 + 20 + 6.
        var badUDP = Vectors.ecmIPv4
        badUDP.setInteger(badUDP.getInteger(at: 31, as: UInt8.self)! ^ 0x80, at: 31)
        #expect {
            try EncapsulatedControlMessage.decode(from: &badUDP)
        } throws: { error in
            guard case .badChecksum(let field, _, _, let offset) = error as? LISPDecodingError else { return false }
            return field == "inner UDP" && offset == 30
        }

        // A flipped payload bit in the IPv6 variant breaks its UDP checksum too.
        var badPayload = Vectors.ecmIPv6
        let last = badPayload.writerIndex - 1
        badPayload.setInteger(badPayload.getInteger(at: last, as: UInt8.self)! ^ 0x01, at: last)
        #expect {
            try EncapsulatedControlMessage.decode(from: &badPayload)
        } throws: { error in
            guard case .badChecksum(let field, _, _, _) = error as? LISPDecodingError else { return false }
            return field == "inner UDP"
        }
    }

    @Test func zeroIPv4UDPChecksumIsAccepted() throws {
        var unchecked = Vectors.ecmIPv4
        unchecked.setInteger(UInt16(0), at: 30)
        let ecm = try EncapsulatedControlMessage.decode(from: &unchecked)
        #expect(ecm.destination == ip("10.1.0.7"))
    }

    @Test func nestedECMIsRefused() throws {
        let inner = try decode(Vectors.ecmIPv4)
        let ecm = EncapsulatedControlMessage(
            source: ip("127.0.0.1"),
            destination: ip("10.1.0.7"),
            sourcePort: 1,
            message: inner
        )
        var buffer = ByteBuffer()
        #expect(throws: LISPEncodingError.nestedEncapsulation) {
            try buffer.writeEncapsulatedControlMessage(ecm)
        }
        #expect(buffer.readableBytes == 0)
    }

    @Test func mixedFamiliesAreRefused() throws {
        let ecm = EncapsulatedControlMessage(
            source: ip("127.0.0.1"),
            destination: ip("2001:db8::1"),
            sourcePort: 1,
            message: try decode(Vectors.mapRequestPlain)
        )
        var buffer = ByteBuffer()
        #expect(throws: LISPEncodingError.addressFamilyMismatch) {
            try buffer.writeEncapsulatedControlMessage(ecm)
        }
    }
}
