import NIOCore

/// Why a response to a signed request cannot be trusted.
public enum TSIGVerificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The response could not be decoded at all.
    case malformed(DNSDecodingError)
    /// The request was signed but the answer carries no TSIG record (and so no TSIG error either).
    case unsignedResponse(responseCode: DNSResponseCode)
    /// The answer is signed with a key or algorithm other than the one the request used.
    case unexpectedKey(name: DNSName, algorithm: DNSName)
    /// The answer's MAC does not match: it was altered, or the secrets differ.
    case badSignature
    /// The answer was signed outside the fudge window of the local clock.
    case badTime(timeSigned: UInt64, now: UInt64, fudge: UInt16)

    public var description: String {
        switch self {
        case .malformed(let error):
            return "malformed response: \(error)"
        case .unsignedResponse(let rcode):
            return "the server answered \(rcode) without a TSIG record to a signed request"
        case .unexpectedKey(let name, let algorithm):
            return "the response is signed with key \(name) (\(algorithm)), not the request's key"
        case .badSignature:
            return "the response's TSIG MAC does not verify: check that both sides use the same secret"
        case .badTime(let signed, let now, let fudge):
            return "the response was signed at \(signed) but the local clock reads \(now) (fudge \(fudge) s): "
                + "check both clocks"
        }
    }
}

/// What a server found when checking a request's signature.
public enum TSIGRequestVerification: Sendable {
    /// No TSIG record at all.
    case unsigned(DNSMessage)
    /// The MAC verified: answer signed with this key over this MAC.
    case verified(DNSMessage, key: TSIGKey, mac: [UInt8])
    /// The signature failed with `error` (`badKey`, `badSignature`, `badTime`): answer NOTAUTH with it.
    case failed(DNSMessage, error: DNSResponseCode)
}

extension TSIG {
    /// Verifies the response to a request signed with `key` whose MAC was `requestMAC`.
    ///
    /// A response that reports a TSIG error with an empty MAC (RFC 8945 §5.3.2: BADSIG, BADKEY) is returned,
    /// not thrown: it is the server's verdict on the request, read from `message.tsig?.error`, and the
    /// caller reports it as such. A signed BADTIME answer is verified like any other signed answer.
    public static func verifyResponse(
        _ buffer: ByteBuffer,
        requestMAC: [UInt8],
        key: TSIGKey,
        now: UInt64
    ) throws(TSIGVerificationError) -> DNSMessage {
        let message: DNSMessage
        let tsigOffset: Int?
        do {
            (message, tsigOffset) = try DNSMessage.decodeLocatingTSIG(buffer)
        } catch {
            throw .malformed(error)
        }
        guard let record = message.tsig, let tsigOffset else {
            throw .unsignedResponse(responseCode: message.responseCode)
        }
        if record.error != .noError, record.mac.isEmpty { return message }
        guard record.keyName == key.name, TSIGAlgorithm(name: record.algorithm) == key.algorithm else {
            throw .unexpectedKey(name: record.keyName, algorithm: record.algorithm)
        }
        let covered = coveredBytes(of: buffer, tsigOffset: tsigOffset, originalID: record.originalID)
        let expected = computeMAC(key: key, priorMAC: requestMAC, messageBytes: covered, record: record)
        guard macMatches(received: record.mac, expected: expected) else { throw .badSignature }
        // A BADTIME answer is signed with the request's time on purpose; the window check would reject it.
        if record.error != .badTime, !timeIsWithinFudge(record, now: now) {
            throw .badTime(timeSigned: record.timeSigned, now: now, fudge: record.fudge)
        }
        return message
    }

    /// Checks a request's signature against the keys a server knows (RFC 8945 §5.2).
    public static func verifyRequest(
        _ buffer: ByteBuffer,
        keys: [TSIGKey],
        now: UInt64
    ) throws(DNSDecodingError) -> TSIGRequestVerification {
        let (message, tsigOffset) = try DNSMessage.decodeLocatingTSIG(buffer)
        guard let record = message.tsig, let tsigOffset else { return .unsigned(message) }
        guard
            let key = keys.first(where: {
                $0.name == record.keyName && $0.algorithm.name == record.algorithm
            })
        else { return .failed(message, error: .badKey) }
        let covered = coveredBytes(of: buffer, tsigOffset: tsigOffset, originalID: record.originalID)
        let expected = computeMAC(key: key, priorMAC: nil, messageBytes: covered, record: record)
        guard macMatches(received: record.mac, expected: expected) else {
            return .failed(message, error: .badSignature)
        }
        guard timeIsWithinFudge(record, now: now) else { return .failed(message, error: .badTime) }
        return .verified(message, key: key, mac: record.mac)
    }

    /// The unsigned NOTAUTH answer for a request whose key or MAC failed (RFC 8945 §5.3.2): the TSIG record
    /// echoes the request's key, algorithm and time, with an empty MAC and the TSIG error.
    public static func unsignedErrorResponse(to request: DNSMessage, error: DNSResponseCode) -> DNSMessage {
        var response = DNSMessage(
            id: request.id,
            isResponse: true,
            opcode: request.opcode,
            responseCode: .notAuth,
            questions: request.questions
        )
        if let record = request.tsig {
            response.tsig = TSIGRecord(
                keyName: record.keyName,
                algorithm: record.algorithm,
                timeSigned: record.timeSigned,
                fudge: record.fudge,
                mac: [],
                originalID: request.id,
                error: error,
                otherData: []
            )
        }
        return response
    }
}
