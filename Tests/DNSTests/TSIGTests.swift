import DNS
import NIOCore
import Testing

@Suite("TSIG signing and verification (RFC 8945)")
struct TSIGTests {
    let key = TSIGKey(name: "locus-key.", algorithm: .hmacSHA256, secret: capturedSecret)

    private func knownAnswerUpdate() -> DNSMessage {
        var update = DNSUpdate.replacingAddresses(
            of: "db.lab.test.",
            in: "lab.test.",
            with: [DNSAddress("192.0.2.40")!],
            ttl: 120
        )
        // dnspython's replace() deletes only the A RRset; match its operations exactly.
        update.operations = [
            .deleteRRset("db.lab.test.", .a),
            .add(DNSResourceRecord(name: "db.lab.test.", ttl: 120, data: .a(DNSAddress("192.0.2.40")!))),
            .add(DNSResourceRecord(name: "db.lab.test.", ttl: 120, data: .aaaa(DNSAddress("2001:db8::40")!))),
        ]
        return update.message(id: 0x0101)
    }

    @Test func hmacSHA256KnownAnswer() {
        let signed = TSIG.sign(knownAnswerUpdate(), with: key, timeSigned: 1_764_000_000)
        #expect(Array(signed.bytes.readableBytesView) == CapturedVectors.knownAnswerSHA256)
        #expect(signed.mac == hex("a0f1ab579f9f8061ee11064d4b10c6192babb2b7200d472eaf8abf1325c12573"))
    }

    @Test func hmacSHA1KnownAnswer() {
        let sha1Key = TSIGKey(name: "locus-key.", algorithm: .hmacSHA1, secret: capturedSecret)
        let signed = TSIG.sign(knownAnswerUpdate(), with: sha1Key, timeSigned: 1_764_000_000)
        #expect(Array(signed.bytes.readableBytesView) == CapturedVectors.knownAnswerSHA1)
        #expect(signed.mac == hex("dc886f8c672a1564545410c0d9f7364e6663091d"))
    }

    @Test func signingReproducesTheUpdateBINDAccepted() throws {
        let captured = try DNSMessage(bytes: CapturedVectors.signedUpdate)
        var unsigned = captured
        unsigned.tsig = nil
        let signed = TSIG.sign(unsigned, with: key, timeSigned: CapturedVectors.signedUpdateTime)
        #expect(Array(signed.bytes.readableBytesView) == CapturedVectors.signedUpdate)
    }

    @Test func bindsSignedAnswerVerifiesOverTheRequestMAC() throws {
        let answer = try TSIG.verifyResponse(
            ByteBuffer(bytes: CapturedVectors.signedResponse),
            requestMAC: CapturedVectors.signedUpdateMAC,
            key: key,
            now: CapturedVectors.signedUpdateTime + 1
        )
        #expect(answer.responseCode == .noError)
        #expect(answer.tsig?.error == .noError)
    }

    @Test func answerWithAnotherRequestMACFails() {
        var otherMAC = CapturedVectors.signedUpdateMAC
        otherMAC[0] ^= 1
        #expect(throws: TSIGVerificationError.badSignature) {
            try TSIG.verifyResponse(
                ByteBuffer(bytes: CapturedVectors.signedResponse),
                requestMAC: otherMAC,
                key: key,
                now: CapturedVectors.signedUpdateTime
            )
        }
    }

    @Test func tamperedAnswerFails() {
        var bytes = CapturedVectors.signedResponse
        bytes[3] = 0x05  // NOERROR -> REFUSED
        #expect(throws: TSIGVerificationError.badSignature) {
            try TSIG.verifyResponse(
                ByteBuffer(bytes: bytes),
                requestMAC: CapturedVectors.signedUpdateMAC,
                key: key,
                now: CapturedVectors.signedUpdateTime
            )
        }
    }

    @Test func answerOutsideTheFudgeWindowFails() {
        #expect(
            throws: TSIGVerificationError.badTime(
                timeSigned: CapturedVectors.signedUpdateTime,
                now: CapturedVectors.signedUpdateTime + 301,
                fudge: 300
            )
        ) {
            try TSIG.verifyResponse(
                ByteBuffer(bytes: CapturedVectors.signedResponse),
                requestMAC: CapturedVectors.signedUpdateMAC,
                key: key,
                now: CapturedVectors.signedUpdateTime + 301
            )
        }
    }

    @Test func unsignedBADSIGAndBADKEYAnswersAreReportedNotRejected() throws {
        let badSig = try TSIG.verifyResponse(
            ByteBuffer(bytes: CapturedVectors.badSignatureResponse),
            requestMAC: CapturedVectors.signedUpdateMAC,
            key: key,
            now: CapturedVectors.signedUpdateTime
        )
        #expect(badSig.responseCode == .notAuth)
        #expect(badSig.tsig?.error == .badSignature)
        let badKey = try TSIG.verifyResponse(
            ByteBuffer(bytes: CapturedVectors.badKeyResponse),
            requestMAC: CapturedVectors.signedUpdateMAC,
            key: key,
            now: CapturedVectors.signedUpdateTime
        )
        #expect(badKey.responseCode == .notAuth)
        #expect(badKey.tsig?.error == .badKey)
    }

    @Test func answerWithoutTSIGIsUnsigned() {
        #expect(throws: TSIGVerificationError.unsignedResponse(responseCode: .noError)) {
            try TSIG.verifyResponse(
                ByteBuffer(bytes: CapturedVectors.response),
                requestMAC: CapturedVectors.signedUpdateMAC,
                key: key,
                now: 0
            )
        }
    }

    @Test func serverSideVerificationAndSignedAnswerRoundTrip() throws {
        let request = TSIG.sign(knownAnswerUpdate(), with: key, timeSigned: 1_000_000)
        let verification = try TSIG.verifyRequest(request.bytes, keys: [key], now: 1_000_100)
        guard case .verified(let message, let usedKey, let mac) = verification else {
            Issue.record("expected a verified request, got \(verification)")
            return
        }
        #expect(usedKey == key)
        #expect(mac == request.mac)
        let response = DNSMessage(id: message.id, isResponse: true, opcode: .update, questions: message.questions)
        let signed = TSIG.signResponse(response, with: key, requestMAC: mac, timeSigned: 1_000_101)
        let verified = try TSIG.verifyResponse(signed.bytes, requestMAC: request.mac, key: key, now: 1_000_101)
        #expect(verified.responseCode == .noError)
    }

    @Test func serverSideVerificationReportsBADKEYBADSIGBADTIME() throws {
        let request = TSIG.sign(knownAnswerUpdate(), with: key, timeSigned: 1_000_000)
        let otherName = TSIGKey(name: "other-key.", secret: capturedSecret)
        let otherSecret = TSIGKey(name: "locus-key.", secret: Array("another secret".utf8))
        guard case .failed(_, let unknown) = try TSIG.verifyRequest(request.bytes, keys: [otherName], now: 1_000_000)
        else {
            Issue.record("unknown key accepted")
            return
        }
        #expect(unknown == .badKey)
        guard case .failed(_, let wrong) = try TSIG.verifyRequest(request.bytes, keys: [otherSecret], now: 1_000_000)
        else {
            Issue.record("wrong secret accepted")
            return
        }
        #expect(wrong == .badSignature)
        guard case .failed(_, let late) = try TSIG.verifyRequest(request.bytes, keys: [key], now: 1_000_301)
        else {
            Issue.record("late request accepted")
            return
        }
        #expect(late == .badTime)

        let answer = TSIG.unsignedErrorResponse(
            to: try DNSMessage(bytes: CapturedVectors.signedUpdate),
            error: .badSignature
        )
        // Same shape as BIND's own BADSIG answer apart from the ID.
        var bind = try DNSMessage(bytes: CapturedVectors.badSignatureResponse)
        bind.id = 0x5678
        bind.tsig?.originalID = 0x5678
        #expect(answer == bind)
    }
}

@Suite("TSIG key files")
struct TSIGKeyFileTests {
    @Test func tsigKeygenOutputParses() throws {
        // Written by `tsig-keygen -a hmac-sha256 locus-key` (BIND 9.18), secret replaced by ours.
        let text = """
            key "locus-key" {
            \talgorithm hmac-sha256;
            \tsecret "bG9jdXMtbGFiLXRzaWcta2V5LTMyLWJ5dGVzLWxvbmc=";
            };
            """
        let key = try TSIGKey(keyFile: text)
        #expect(key == TSIGKey(name: "locus-key.", algorithm: .hmacSHA256, secret: capturedSecret))
    }

    @Test func bareSecretNeedsTheConfiguredName() throws {
        let text = "bG9jdXMtbGFiLXRzaWcta2V5LTMyLWJ5dGVzLWxvbmc=\n"
        #expect(throws: TSIGKeyFileError.missingKeyName) { try TSIGKey(keyFile: text) }
        let key = try TSIGKey(keyFile: text, name: "ddns-key", algorithm: .hmacSHA1)
        #expect(key == TSIGKey(name: "ddns-key.", algorithm: .hmacSHA1, secret: capturedSecret))
    }

    @Test func commentsAndSeveralKeys() throws {
        let text = """
            # two keys
            key "a." { algorithm hmac-sha1; secret "YWFh"; }; // first
            /* second */ key b { secret "YmJi"; algorithm "hmac-sha256"; };
            """
        #expect(throws: TSIGKeyFileError.keyNotFound(nil)) { try TSIGKey(keyFile: text) }
        #expect(try TSIGKey(keyFile: text, name: "b") == TSIGKey(name: "b.", secret: Array("bbb".utf8)))
        #expect(try TSIGKey(keyFile: text, name: "A").algorithm == .hmacSHA1)
    }

    @Test func errorsNameTheProblem() {
        #expect(throws: TSIGKeyFileError.unsupportedAlgorithm("hmac-md5")) {
            try TSIGKey(keyFile: "key k { algorithm hmac-md5; secret \"YWFh\"; };")
        }
        #expect(throws: TSIGKeyFileError.badSecret) {
            try TSIGKey(keyFile: "key k { algorithm hmac-sha256; secret \"!!\"; };")
        }
        #expect(throws: TSIGKeyFileError.syntax(line: 2, message: "expected \";\"")) {
            try TSIGKey(keyFile: "key k {\n algorithm hmac-sha256 }")
        }
        #expect(throws: TSIGKeyFileError.syntax(line: 1, message: "key k. has no secret")) {
            try TSIGKey(keyFile: "key k { algorithm hmac-sha256; };")
        }
    }

    @Test func base64RoundTrips() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(capturedSecret) == "bG9jdXMtbGFiLXRzaWcta2V5LTMyLWJ5dGVzLWxvbmc=")
        #expect(Base64.decode("abc") != nil)
        #expect(Base64.decode("a") == nil)
    }
}
