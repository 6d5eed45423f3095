import LISP
import NIOCore
import Testing

@Suite("Map-Reply vectors")
struct MapReplyVectorTests {
    @Test func positiveReplyForIPv6EIDInInstance() throws {
        var buffer = Vectors.mapReplyPositive
        let reply = try MapReply.decode(from: &buffer)
        #expect(reply.isEchoNonceCapable)
        #expect(!reply.isProbeReply && !reply.isSecurity)
        #expect(reply.nonce == 0xA1B2_C3D4_E5F6_0718)
        #expect(reply.records.count == 1)
        let record = reply.records[0]
        #expect(record.ttlMinutes == 1440)
        #expect(record.isAuthoritative)
        #expect(record.mapVersion == 1)
        #expect(record.prefix == EIDPrefix("[5]2001:db8:a::/48"))
        #expect(record.prefix?.description == "[5]2001:db8:a::/48")
        #expect(record.locators.count == 2)
        #expect(record.locators[0].locator == address("192.0.2.10"))
        #expect(record.locators[0].flagsDescription == "LPR")
        #expect(record.locators[0].weight == 50)
        #expect(record.locators[1].locator == address("2001:db8:ffff::1"))
        #expect(record.locators[1].priority == 2)
        #expect(record.locators[1].flagsDescription == "lpR")
        try expectByteExactRoundTrip(Vectors.mapReplyPositive)
    }

    @Test func negativeReplyNativelyForward() throws {
        var buffer = Vectors.mapReplyNegative
        let reply = try MapReply.decode(from: &buffer)
        #expect(reply.nonce == 0x0102_0304_0506_0708)
        let record = try #require(reply.records.first)
        #expect(record.isNegative)
        #expect(record.action == .nativelyForward)
        #expect(record.action.description == "natively-forward")
        #expect(record.ttlMinutes == 15)
        #expect(!record.isAuthoritative)
        #expect(record.prefix == EIDPrefix("11.0.0.0/8"))
        try expectByteExactRoundTrip(Vectors.mapReplyNegative)

        var written = ByteBuffer()
        try written.writeMapReply(
            MapReply(
                nonce: 0x0102_0304_0506_0708,
                records: [EIDRecord(prefix: EIDPrefix("11.0.0.0/8")!, ttlMinutes: 15, action: .nativelyForward)]
            )
        )
        #expect(written == Vectors.mapReplyNegative)
    }
}
