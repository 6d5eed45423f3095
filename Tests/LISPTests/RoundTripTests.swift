import LISP
import NIOCore
import Testing

@Suite("Round trips over generated messages")
struct RoundTripTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func generatedMessagesSurviveEncodeDecode(seed: UInt64) throws {
        var generator = MessageGenerator(seed: seed)
        for index in 0..<250 {
            let message = generator.message()
            let encoded = try encode(message)
            let decoded = try decode(encoded)
            #expect(decoded == message, "seed \(seed) message \(index)")
            #expect(try encode(decoded) == encoded, "seed \(seed) message \(index)")
        }
    }

    @Test func typedDecodersAgreeWithTheEnum() throws {
        var generator = MessageGenerator(seed: 99)
        for _ in 0..<100 {
            let message = generator.message()
            var buffer = try encode(message)
            switch message {
            case .mapRequest(let request): #expect(try MapRequest.decode(from: &buffer) == request)
            case .mapReply(let reply): #expect(try MapReply.decode(from: &buffer) == reply)
            case .mapRegister(let register): #expect(try MapRegister.decode(from: &buffer) == register)
            case .mapNotify(let notify): #expect(try MapNotify.decode(from: &buffer) == notify)
            case .mapNotifyAck(let notify): #expect(try MapNotify.decodeAck(from: &buffer) == notify)
            case .encapsulated(let ecm): #expect(try EncapsulatedControlMessage.decode(from: &buffer) == ecm)
            }
            #expect(buffer.readableBytes == 0)
            #expect(LISPMessageType(peekingAt: try encode(message)) == message.type)
            #expect(try decode(try encode(message)).nonce == message.nonce)
        }
    }

    @Test func signedMessagesVerifyAfterRoundTrip() throws {
        var generator = MessageGenerator(seed: 7)
        let key = Array("round-trip-key".utf8)
        for _ in 0..<100 {
            var register = generator.mapRegister()
            register.algorithm = generator.bool() ? .hmacSHA1 : .hmacSHA256
            var buffer = ByteBuffer()
            try buffer.writeMapRegister(register, signedWith: key)
            try LISPAuthentication.verify(buffer, key: key)
            let decoded = try MapRegister.decode(from: &buffer)
            #expect(decoded.records == register.records)
            #expect(decoded.xtrIdentity == register.xtrIdentity)
        }
    }

    @Test func writersAppendAfterExistingBytes() throws {
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB])
        buffer.moveReaderIndex(forwardBy: 1)
        let written = try buffer.writeLISPMessage(try decode(Vectors.ecmIPv6))
        #expect(buffer.readableBytes == 1 + written)
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(buffer == Vectors.ecmIPv6)
    }
}
