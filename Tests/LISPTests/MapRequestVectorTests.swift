import LISP
import NIOCore
import Testing

@Suite("Map-Request vectors")
struct MapRequestVectorTests {
    @Test func plainRequestWithInstanceID() throws {
        var buffer = Vectors.mapRequestPlain
        let request = try MapRequest.decode(from: &buffer)
        #expect(buffer.readableBytes == 0)
        #expect(request.nonce == 0xA1B2_C3D4_E5F6_0718)
        #expect(request.sourceEID == .none)
        #expect(request.itrRLOCs == [address("127.0.0.1")])
        #expect(request.records.count == 1)
        #expect(request.records[0].isSubscribe == false)
        #expect(request.records[0].eid == address("10.1.0.7", instanceID: 7))
        #expect(request.records[0].prefix == EIDPrefix("[7]10.1.0.7/32"))
        #expect(!request.isProbe && !request.isSolicitMapRequest && !request.isAuthoritative)
        #expect(request.mapReplyRecord == nil && request.xtrIdentity == nil)
        try expectByteExactRoundTrip(Vectors.mapRequestPlain)

        var written = ByteBuffer()
        try written.writeMapRequest(
            MapRequest(
                nonce: 0xA1B2_C3D4_E5F6_0718,
                itrRLOCs: [address("127.0.0.1")],
                records: [MapRequest.Record(prefix: EIDPrefix("[7]10.1.0.7/32")!)]
            )
        )
        #expect(written == Vectors.mapRequestPlain)
    }

    @Test func solicitMapRequestWithMapReplyRecord() throws {
        var buffer = Vectors.mapRequestSMR
        let request = try MapRequest.decode(from: &buffer)
        #expect(request.isSolicitMapRequest)
        #expect(!request.isProbe)
        #expect(request.nonce == 0x42)
        #expect(request.sourceEID == address("10.1.0.1"))
        #expect(request.itrRLOCs == [address("192.0.2.1"), address("2001:db8::1")])
        #expect(request.records.map(\.prefix) == [EIDPrefix("10.2.0.0/16")])
        let record = try #require(request.mapReplyRecord)
        #expect(record.ttlMinutes == 10)
        #expect(record.prefix == EIDPrefix("10.1.0.0/24"))
        #expect(record.isAuthoritative)
        #expect(record.mapVersion == 5)
        #expect(record.action == .noAction)
        #expect(record.locators.count == 1)
        #expect(record.locators[0].locator == address("192.0.2.1"))
        #expect(record.locators[0].flagsDescription == "LpR")
        #expect(record.locators[0].priority == 1 && record.locators[0].weight == 100)
        #expect(record.locators[0].multicastPriority == 255 && record.locators[0].multicastWeight == 0)
        try expectByteExactRoundTrip(Vectors.mapRequestSMR)
    }

    @Test func rlocProbeForIPv6Prefix() throws {
        var buffer = Vectors.mapRequestProbe
        let request = try MapRequest.decode(from: &buffer)
        #expect(request.isProbe)
        #expect(request.nonce == 0x1122_3344_5566_7788)
        #expect(request.itrRLOCs == [address("::1")])
        #expect(request.records[0].prefix == EIDPrefix("2001:db8:1::/48"))
        #expect(request.records[0].eid.instanceID == nil)
        try expectByteExactRoundTrip(Vectors.mapRequestProbe)
    }

    @Test func subscribeWithXTRIdentity() throws {
        var buffer = Vectors.mapRequestSubscribe
        let request = try MapRequest.decode(from: &buffer)
        #expect(request.records.count == 1)
        #expect(request.records[0].isSubscribe)
        #expect(request.records[0].eid == address("10.1.0.0", instanceID: 0))
        #expect(request.records[0].prefix == EIDPrefix("[0]10.1.0.0/16"))
        let identity = try #require(request.xtrIdentity)
        #expect(identity.xtrID == XTRID(high: 0x0011_2233_4455_6677, low: 0x8899_AABB_CCDD_EEFF))
        #expect(identity.xtrID.description == "0x00112233445566778899aabbccddeeff")
        #expect(identity.siteID == 7)
        try expectByteExactRoundTrip(Vectors.mapRequestSubscribe)
    }
}
