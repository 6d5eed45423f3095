import NIOCore
import Testing

@testable import LISP

@Suite("HMAC authentication")
struct AuthenticationTests {
    /// Expected MACs computed once with
    /// `python3 -c 'import hmac,hashlib; print(hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha1).hexdigest())'`
    /// (and `hashlib.sha256`); they equal RFC 2202 test case 2 and RFC 4231 test case 2.
    @Test func knownAnswers() {
        let data = Array("what do ya want for nothing?".utf8)
        let key = Array("Jefe".utf8)
        let sha1 = LISPAuthentication.authenticationCode(for: data, algorithm: .hmacSHA1, key: key)
        #expect(hexString(ByteBuffer(bytes: sha1)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        let sha256 = LISPAuthentication.authenticationCode(for: data, algorithm: .hmacSHA256, key: key)
        #expect(
            hexString(ByteBuffer(bytes: sha256))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        )
    }

    /// The vectors carry MACs computed in python3 over the message with the field zeroed; signing in place
    /// must reproduce them.
    @Test(arguments: [
        ("mapRegisterSHA1", Vectors.mapRegisterSHA1, Vectors.sha1Key),
        ("mapRegisterSHA256", Vectors.mapRegisterSHA256, Vectors.sha256Key),
        ("mapNotify", Vectors.mapNotify, Vectors.sha256Key),
        ("mapNotifyAck", Vectors.mapNotifyAck, Vectors.sha1Key),
        ("mapNotifyWithoutIBit", Vectors.mapNotifyWithoutIBit, Vectors.sha256Key),
    ])
    func signingReproducesVectorMACs(name: String, vector: ByteBuffer, key: [UInt8]) throws {
        var message = vector
        // Scribble over the MAC, then sign again in place.
        message.setBytes(Array(repeating: 0xEE, count: 20), at: message.readerIndex + 16)
        #expect(throws: LISPAuthenticationError.self) { try LISPAuthentication.verify(message, key: key) }
        try LISPAuthentication.sign(&message, key: key)
        #expect(message == vector, "\(name)")
        try LISPAuthentication.verify(message, key: key)
    }

    @Test(arguments: [
        (Vectors.mapRegisterSHA1, Vectors.sha1Key),
        (Vectors.mapRegisterSHA256, Vectors.sha256Key),
        (Vectors.mapNotify, Vectors.sha256Key),
        (Vectors.mapNotifyAck, Vectors.sha1Key),
    ])
    func everyFlippedBitIsRejected(vector: ByteBuffer, key: [UInt8]) throws {
        try LISPAuthentication.verify(vector, key: key)
        for byteIndex in vector.readerIndex..<vector.writerIndex {
            for bit in 0..<8 {
                var tampered = vector
                let byte = tampered.getInteger(at: byteIndex, as: UInt8.self)!
                tampered.setInteger(byte ^ (1 << bit), at: byteIndex)
                #expect(throws: LISPAuthenticationError.self, "bit \(bit) of byte \(byteIndex)") {
                    try LISPAuthentication.verify(tampered, key: key)
                }
            }
        }
    }

    @Test func wrongKeyAndKeySelection() throws {
        #expect(throws: LISPAuthenticationError.mismatch(keyID: 1, algorithm: 1)) {
            try LISPAuthentication.verify(Vectors.mapRegisterSHA1, key: Array("dc-east-secreT".utf8))
        }
        #expect(throws: LISPAuthenticationError.unknownKeyID(1)) {
            try LISPAuthentication.verify(Vectors.mapRegisterSHA1, keys: [2: Vectors.sha1Key])
        }
        try LISPAuthentication.verify(Vectors.mapRegisterSHA1, keys: [1: Vectors.sha1Key, 2: Vectors.sha256Key])
        #expect(throws: LISPAuthenticationError.notAuthenticated(messageType: 2)) {
            try LISPAuthentication.verify(Vectors.mapReplyNegative, key: Vectors.sha1Key)
        }
        #expect(throws: LISPAuthenticationError.self) {
            try LISPAuthentication.verify(ByteBuffer(), key: Vectors.sha1Key)
        }
    }

    @Test func authLengthMustMatchAlgorithm() throws {
        // Claim SHA-256 (algorithm 2) while carrying the 20 bytes of a SHA-1 MAC.
        var mislabelled = Vectors.mapRegisterSHA1
        mislabelled.setInteger(UInt8(2), at: 13)
        #expect(throws: LISPAuthenticationError.badAuthenticationLength(algorithm: 2, length: 20, expected: 32)) {
            try LISPAuthentication.verify(mislabelled, key: Vectors.sha1Key)
        }
        var copy = mislabelled
        #expect(throws: LISPDecodingError.badAuthenticationLength(algorithm: 2, length: 20, expected: 32, offset: 14)) {
            try MapRegister.decode(from: &copy)
        }

        var register = MapRegister(nonce: 1, keyID: 1, algorithm: .hmacSHA256, records: [])
        register.authenticationData = Array(repeating: 0, count: 20)
        var buffer = ByteBuffer()
        #expect(throws: LISPEncodingError.badAuthenticationLength(algorithm: 2, length: 20, expected: 32)) {
            try buffer.writeMapRegister(register)
        }
        #expect(buffer.readableBytes == 0)
    }

    @Test func unsupportedAlgorithmCannotBeSigned() throws {
        let register = MapRegister(nonce: 1, keyID: 1, algorithm: LISPAuthAlgorithm(rawValue: 7), records: [])
        var buffer = ByteBuffer()
        #expect(throws: LISPAuthenticationError.unsupportedAlgorithm(7)) {
            try buffer.writeMapRegister(register, signedWith: Vectors.sha1Key)
        }
        // Unsigned, it still encodes and decodes: a map-server can report what it received.
        try buffer.writeMapRegister(register)
        let decoded = try MapRegister.decode(from: &buffer)
        #expect(decoded.algorithm.rawValue == 7)
    }

    @Test func algorithmNames() {
        #expect(LISPAuthAlgorithm(configurationName: "hmac-sha256") == .hmacSHA256)
        #expect(LISPAuthAlgorithm(configurationName: "HMAC-SHA1") == .hmacSHA1)
        #expect(LISPAuthAlgorithm(configurationName: "md5") == nil)
        #expect(LISPAuthAlgorithm.hmacSHA1.description == "hmac-sha1")
    }
}
