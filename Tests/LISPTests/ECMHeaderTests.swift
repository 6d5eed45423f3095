import LISP
import NIOCore
import Testing

/// Inner headers built by hand (UDP checksum 0, which IPv4 allows) to reach each validation of the ECM decoder.
@Suite("ECM inner header validation")
struct ECMHeaderTests {
    /// An ECM around the plain Map-Request vector, with the inner IPv4 header fields as given.
    static func ipv4ECM(
        versionAndLength: UInt8 = 0x45,
        fragment: UInt16 = 0,
        protocolNumber: UInt8 = 17,
        totalLengthAdjustment: Int = 0,
        udpLengthAdjustment: Int = 0
    ) -> ByteBuffer {
        var payload = Vectors.mapRequestPlain
        let options = Int(versionAndLength & 0x0F) * 4 - 20
        let udpLength = 8 + payload.readableBytes
        var header = ByteBuffer()
        header.writeMultipleIntegers(
            versionAndLength,
            UInt8(0),
            UInt16(20 + max(options, 0) + udpLength + totalLengthAdjustment),
            UInt16(0x1234),
            fragment,
            UInt8(64),
            protocolNumber,
            UInt16(0),
            UInt32(0x7F00_0001),
            UInt32(0x0A01_0007)
        )
        header.writeRepeatingByte(1, count: max(options, 0))
        header.setInteger(checksum(header.readableBytesView), at: 10)
        var ecm = ByteBuffer()
        ecm.writeInteger(UInt32(0x8000_0000))
        ecm.writeBuffer(&header)
        ecm.writeMultipleIntegers(UInt16(4342), UInt16(4342), UInt16(udpLength + udpLengthAdjustment), UInt16(0))
        ecm.writeBuffer(&payload)
        return ecm
    }

    /// RFC 1071, written independently of the codec's implementation.
    static func checksum(_ bytes: ByteBufferView) -> UInt16 {
        var sum: UInt32 = 0
        var iterator = bytes.makeIterator()
        while let high = iterator.next() {
            let low = iterator.next() ?? 0
            sum += UInt32(high) << 8 | UInt32(low)
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    @Test func wellFormedHandBuiltPacketDecodes() throws {
        var buffer = Self.ipv4ECM()
        let ecm = try EncapsulatedControlMessage.decode(from: &buffer)
        #expect(ecm.destination == ip("10.1.0.7"))
        #expect(ecm.sourcePort == 4342)
    }

    @Test func headerOptionsAreSkipped() throws {
        var buffer = Self.ipv4ECM(versionAndLength: 0x47)
        let ecm = try EncapsulatedControlMessage.decode(from: &buffer)
        #expect(ecm.source == ip("127.0.0.1"))
    }

    @Test func dontFragmentIsAcceptedButFragmentsAreNot() throws {
        var dontFragment = Self.ipv4ECM(fragment: 0x4000)
        _ = try EncapsulatedControlMessage.decode(from: &dontFragment)

        var moreFragments = Self.ipv4ECM(fragment: 0x2000)
        #expect(throws: LISPDecodingError.unsupportedInnerHeader("inner IPv4 packet is a fragment", offset: 10)) {
            try EncapsulatedControlMessage.decode(from: &moreFragments)
        }
    }

    @Test func nonUDPIsRejected() {
        var tcp = Self.ipv4ECM(protocolNumber: 6)
        #expect(throws: LISPDecodingError.unsupportedInnerHeader("inner protocol 6; expected UDP (17)", offset: 13)) {
            try EncapsulatedControlMessage.decode(from: &tcp)
        }
    }

    @Test func badVersionAndHeaderLength() {
        var version5 = Self.ipv4ECM(versionAndLength: 0x55)
        #expect(throws: LISPDecodingError.unsupportedInnerHeader("inner IP version 5; expected 4 or 6", offset: 4)) {
            try EncapsulatedControlMessage.decode(from: &version5)
        }
        var short = Self.ipv4ECM(versionAndLength: 0x44)
        #expect(
            throws: LISPDecodingError.unsupportedInnerHeader("inner IPv4 header length 16 is below 20", offset: 4)
        ) {
            try EncapsulatedControlMessage.decode(from: &short)
        }
    }

    @Test func lengthFieldsMustMatchTheDatagram() {
        var total = Self.ipv4ECM(totalLengthAdjustment: 1)
        #expect {
            try EncapsulatedControlMessage.decode(from: &total)
        } throws: { error in
            guard case .lengthMismatch(let field, _, _, 6) = error as? LISPDecodingError else { return false }
            return field == "inner IPv4 total"
        }
        var udp = Self.ipv4ECM(udpLengthAdjustment: -2)
        #expect {
            try EncapsulatedControlMessage.decode(from: &udp)
        } throws: { error in
            guard case .lengthMismatch(let field, _, _, 28) = error as? LISPDecodingError else { return false }
            return field == "inner UDP"
        }
    }

    @Test func ipv6NextHeaderMustBeUDP() {
        var buffer = Vectors.ecmIPv6
        buffer.setInteger(UInt8(58), at: 10)
        #expect(throws: LISPDecodingError.unsupportedInnerHeader("inner next header 58; expected UDP (17)", offset: 10))
        {
            try EncapsulatedControlMessage.decode(from: &buffer)
        }
    }

    @Test func ipv6ZeroUDPChecksumIsRejected() {
        var buffer = Vectors.ecmIPv6
        buffer.setInteger(UInt16(0), at: 50)
        #expect {
            try EncapsulatedControlMessage.decode(from: &buffer)
        } throws: { error in
            guard case .badChecksum(_, _, 0, 50) = error as? LISPDecodingError else { return false }
            return true
        }
    }
}
