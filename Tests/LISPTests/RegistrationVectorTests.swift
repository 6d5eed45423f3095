import LISP
import NIOCore
import Testing

@Suite("Map-Register, Map-Notify and Map-Notify-Ack vectors")
struct RegistrationVectorTests {
    static let identity = XTRIdentity(
        xtrID: XTRID(high: 0x0123_4567_89AB_CDEF, low: 0x0123_4567_89AB_CDEF),
        siteID: 0xA5
    )

    static let ipv6Record = EIDRecord(
        prefix: EIDPrefix(instanceID: 0xAB_CDEF, address: ip("2001:db8:b:1::"), length: 64),
        ttlMinutes: 1440,
        isAuthoritative: true,
        mapVersion: 4095,
        locators: [RLOCRecord(locator: address("2001:db8:ffff::2"), isLocal: true)]
    )

    @Test func mapRegisterWithSHA1() throws {
        var buffer = Vectors.mapRegisterSHA1
        let register = try MapRegister.decode(from: &buffer)
        #expect(register.wantsProxyReply && register.expiresByRecordTTL && register.wantsMapNotify)
        #expect(!register.wantsMerge && !register.isSecurity)
        #expect(register.nonce == 1)
        #expect(register.keyID == 1)
        #expect(register.algorithm == .hmacSHA1)
        #expect(register.authenticationData.count == 20)
        #expect(register.xtrIdentity == nil)
        #expect(register.records.count == 1)
        #expect(register.records[0].prefix == EIDPrefix("10.1.0.7/32"))
        #expect(register.records[0].ttlMinutes == 3)
        #expect(register.records[0].locators.map(\.locator) == [address("127.0.1.1")])
        try expectByteExactRoundTrip(Vectors.mapRegisterSHA1)
        try LISPAuthentication.verify(Vectors.mapRegisterSHA1, key: Vectors.sha1Key)

        var signed = ByteBuffer()
        try signed.writeMapRegister(
            MapRegister(
                nonce: 1,
                keyID: 1,
                algorithm: .hmacSHA1,
                records: [
                    EIDRecord(
                        prefix: EIDPrefix("10.1.0.7/32")!,
                        ttlMinutes: 3,
                        isAuthoritative: true,
                        locators: [RLOCRecord(locator: address("127.0.1.1"), isLocal: true)]
                    )
                ],
                wantsProxyReply: true,
                expiresByRecordTTL: true,
                wantsMapNotify: true
            ),
            signedWith: Vectors.sha1Key
        )
        #expect(hexString(signed) == hexString(Vectors.mapRegisterSHA1))
    }

    @Test func mapRegisterWithSHA256AndXTRIdentity() throws {
        var buffer = Vectors.mapRegisterSHA256
        let register = try MapRegister.decode(from: &buffer)
        #expect(register.wantsMerge && register.wantsMapNotify)
        #expect(!register.wantsProxyReply && !register.expiresByRecordTTL)
        #expect(register.algorithm == .hmacSHA256)
        #expect(register.authenticationData.count == 32)
        #expect(register.xtrIdentity == Self.identity)
        #expect(register.records == [Self.ipv6Record])
        #expect(register.records[0].prefix?.description == "[11259375]2001:db8:b:1::/64")
        try expectByteExactRoundTrip(Vectors.mapRegisterSHA256)
        try LISPAuthentication.verify(Vectors.mapRegisterSHA256, keys: [1: Vectors.sha256Key])

        var signed = ByteBuffer()
        try signed.writeMapRegister(
            MapRegister(
                nonce: 2,
                keyID: 1,
                algorithm: .hmacSHA256,
                records: [Self.ipv6Record],
                wantsMerge: true,
                wantsMapNotify: true,
                xtrIdentity: Self.identity
            ),
            signedWith: Vectors.sha256Key
        )
        #expect(hexString(signed) == hexString(Vectors.mapRegisterSHA256))
    }

    @Test func mapNotify() throws {
        var buffer = Vectors.mapNotify
        let notify = try MapNotify.decode(from: &buffer)
        #expect(notify.nonce == 2)
        #expect(notify.algorithm == .hmacSHA256)
        #expect(notify.records == [Self.ipv6Record])
        #expect(notify.xtrIdentity == Self.identity)
        guard case .mapNotify(let generic) = try decode(Vectors.mapNotify) else {
            Issue.record("expected a Map-Notify")
            return
        }
        #expect(generic == notify)
        try expectByteExactRoundTrip(Vectors.mapNotify)
        try LISPAuthentication.verify(Vectors.mapNotify, key: Vectors.sha256Key)

        var signed = ByteBuffer()
        try signed.writeMapNotify(
            MapNotify(
                nonce: 2,
                keyID: 1,
                algorithm: .hmacSHA256,
                records: [Self.ipv6Record],
                xtrIdentity: Self.identity
            ),
            signedWith: Vectors.sha256Key
        )
        #expect(signed == Vectors.mapNotify)
    }

    @Test func mapNotifyAckWithdrawal() throws {
        var buffer = Vectors.mapNotifyAck
        let ack = try MapNotify.decodeAck(from: &buffer)
        #expect(ack.nonce == 0xDEAD_BEF0)
        #expect(ack.algorithm == .hmacSHA1)
        #expect(ack.xtrIdentity == nil)
        #expect(ack.records.count == 1)
        #expect(ack.records[0].ttlMinutes == 0)
        #expect(ack.records[0].isNegative)
        guard case .mapNotifyAck = try decode(Vectors.mapNotifyAck) else {
            Issue.record("expected a Map-Notify-Ack")
            return
        }
        try expectByteExactRoundTrip(Vectors.mapNotifyAck)
        try LISPAuthentication.verify(Vectors.mapNotifyAck, key: Vectors.sha1Key)

        var wrongType = Vectors.mapNotifyAck
        #expect(throws: LISPDecodingError.unexpectedMessageType(5, expected: 4, offset: 0)) {
            try MapNotify.decode(from: &wrongType)
        }
        #expect(wrongType == Vectors.mapNotifyAck)
    }

    /// Deployed map-servers append xTR-ID/Site-ID to a Map-Notify without setting the I bit.
    @Test func mapNotifyIdentityWithoutIBit() throws {
        var buffer = Vectors.mapNotifyWithoutIBit
        let notify = try MapNotify.decode(from: &buffer)
        #expect(notify.xtrIdentity == Self.identity)
        #expect(notify.records == [Self.ipv6Record])
        try LISPAuthentication.verify(Vectors.mapNotifyWithoutIBit, key: Vectors.sha256Key)
    }

    @Test func mapRegisterWithoutIBitRejectsLeftoverIdentity() throws {
        // A Map-Register is strict: 24 bytes after the records without the I bit are trailing garbage.
        var bytes = Vectors.mapRegisterSHA256
        bytes.setInteger(UInt8(0x30), at: 0)
        let end = bytes.readableBytes - 24
        #expect(throws: LISPDecodingError.trailingBytes(count: 24, offset: end)) {
            try MapRegister.decode(from: &bytes)
        }
    }
}
