import NIOCore

/// TSIG transaction signatures (RFC 8945): signing requests and responses, verifying both.
public enum TSIG {
    /// The fudge BIND and dnspython use: five minutes of allowed clock difference.
    public static let defaultFudge: UInt16 = 300

    /// A signed message: its wire bytes and the MAC, which the response's MAC will cover.
    public struct SignedMessage: Sendable {
        public var bytes: ByteBuffer
        public var message: DNSMessage
        public var mac: [UInt8]
    }

    /// Signs a request: the MAC covers the message (with its ID, without TSIG) and the TSIG variables.
    public static func sign(
        _ message: DNSMessage,
        with key: TSIGKey,
        timeSigned: UInt64,
        fudge: UInt16 = defaultFudge
    ) -> SignedMessage {
        sign(message, with: key, priorMAC: nil, timeSigned: timeSigned, fudge: fudge)
    }

    /// Signs a response to a request whose MAC was `requestMAC`; the MAC covers the request MAC first.
    public static func signResponse(
        _ message: DNSMessage,
        with key: TSIGKey,
        requestMAC: [UInt8],
        timeSigned: UInt64,
        fudge: UInt16 = defaultFudge,
        error: DNSResponseCode = .noError,
        otherData: [UInt8] = []
    ) -> SignedMessage {
        sign(
            message,
            with: key,
            priorMAC: requestMAC,
            timeSigned: timeSigned,
            fudge: fudge,
            error: error,
            otherData: otherData
        )
    }

    private static func sign(
        _ message: DNSMessage,
        with key: TSIGKey,
        priorMAC: [UInt8]?,
        timeSigned: UInt64,
        fudge: UInt16,
        error: DNSResponseCode = .noError,
        otherData: [UInt8] = []
    ) -> SignedMessage {
        var unsigned = DNSMessageWriter()
        message.writeBody(to: &unsigned, includingTSIG: false)
        var record = TSIGRecord(
            keyName: key.name,
            algorithm: key.algorithm.name,
            timeSigned: timeSigned,
            fudge: fudge,
            mac: [],
            originalID: message.id,
            error: error,
            otherData: otherData
        )
        let body = unsigned.buffer.getBytes(at: unsigned.buffer.readerIndex, length: unsigned.buffer.readableBytes)!
        record.mac = computeMAC(key: key, priorMAC: priorMAC, messageBytes: body, record: record)
        var signed = message
        signed.tsig = record
        var writer = DNSMessageWriter()
        signed.writeBody(to: &writer, includingTSIG: true)
        return SignedMessage(bytes: writer.buffer, message: signed, mac: record.mac)
    }

    /// The HMAC over the prior MAC (responses), the message bytes and the TSIG variables (RFC 8945 §4.3).
    ///
    /// `messageBytes` must already carry the original ID and an ARCOUNT that excludes the TSIG record.
    static func computeMAC(key: TSIGKey, priorMAC: [UInt8]?, messageBytes: [UInt8], record: TSIGRecord) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(messageBytes.count + 128)
        if let priorMAC {
            data += [UInt8(priorMAC.count >> 8), UInt8(priorMAC.count & 0xFF)]
            data += priorMAC
        }
        data += messageBytes
        data += record.keyName.lowercased.wireBytes
        data += [0x00, 0xFF, 0, 0, 0, 0]  // class ANY, TTL 0
        data += record.algorithm.lowercased.wireBytes
        for shift in stride(from: 40, through: 0, by: -8) {
            data.append(UInt8(truncatingIfNeeded: record.timeSigned >> shift))
        }
        data += [UInt8(record.fudge >> 8), UInt8(record.fudge & 0xFF)]
        data += [UInt8(record.error.rawValue >> 8), UInt8(record.error.rawValue & 0xFF)]
        data += [UInt8(record.otherData.count >> 8), UInt8(record.otherData.count & 0xFF)]
        data += record.otherData
        return key.algorithm.authenticationCode(for: data, secret: key.secret)
    }

    /// The bytes a received MAC covers: the message up to the TSIG record, ID restored, ARCOUNT less one.
    static func coveredBytes(of buffer: ByteBuffer, tsigOffset: Int, originalID: UInt16) -> [UInt8] {
        var bytes = buffer.getBytes(at: buffer.readerIndex, length: tsigOffset) ?? []
        guard bytes.count >= 12 else { return bytes }
        bytes[0] = UInt8(originalID >> 8)
        bytes[1] = UInt8(originalID & 0xFF)
        let additionalCount = (UInt16(bytes[10]) << 8 | UInt16(bytes[11])) &- 1
        bytes[10] = UInt8(additionalCount >> 8)
        bytes[11] = UInt8(additionalCount & 0xFF)
        return bytes
    }

    /// Compares in time independent of where the first difference lies, and accepts a MAC truncated
    /// as RFC 8945 §5.2.2.1 allows (at least 10 bytes and half the full length).
    static func macMatches(received: [UInt8], expected: [UInt8]) -> Bool {
        guard received.count <= expected.count, received.count >= max(10, expected.count / 2) else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(received, expected) { difference |= a ^ b }
        return difference == 0
    }

    static func timeIsWithinFudge(_ record: TSIGRecord, now: UInt64) -> Bool {
        let distance = now > record.timeSigned ? now - record.timeSigned : record.timeSigned - now
        return distance <= UInt64(record.fudge)
    }
}
