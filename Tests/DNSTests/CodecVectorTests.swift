import DNS
import Testing

@Suite("Decoding and re-encoding captured messages")
struct CodecVectorTests {
    @Test func queryDecodesAndReencodesByteForByte() throws {
        let message = try DNSMessage(bytes: CapturedVectors.query)
        #expect(message.id == 0x1234)
        #expect(!message.isResponse)
        #expect(message.opcode == .query)
        #expect(!message.isRecursionDesired)
        #expect(message.questions == [DNSQuestion(name: "www.lab.test.", type: .a)])
        #expect(message.edns == EDNS(udpPayloadSize: 1232))
        #expect(message.bytes == CapturedVectors.query)

        let built = DNSMessage.query(id: 0x1234, name: "www.lab.test", type: .a, edns: EDNS(udpPayloadSize: 1232))
        #expect(built.bytes == CapturedVectors.query)
    }

    @Test func compressedResponseDecodesAndReencodesByteForByte() throws {
        let message = try DNSMessage(bytes: CapturedVectors.response)
        #expect(message.isResponse)
        #expect(message.isAuthoritativeAnswer)
        #expect(!message.isTruncated)
        #expect(message.responseCode == .noError)
        #expect(
            message.answers == [DNSResourceRecord(name: "www.lab.test.", ttl: 300, data: .a(DNSAddress("192.0.2.10")!))]
        )
        #expect(message.authorities == [DNSResourceRecord(name: "lab.test.", ttl: 300, data: .ns("ns.lab.test."))])
        #expect(
            message.additionals == [
                DNSResourceRecord(name: "ns.lab.test.", ttl: 300, data: .a(DNSAddress("127.0.0.1")!))
            ]
        )
        #expect(message.edns?.udpPayloadSize == 1232)
        // The writer's compression table makes the same choices as BIND here: each suffix points at its
        // first occurrence.
        #expect(message.bytes == CapturedVectors.response)
    }

    @Test func negativeAnswerCarriesSOAWithCompressedNames() throws {
        let message = try DNSMessage(bytes: CapturedVectors.nameError)
        #expect(message.responseCode == .nameError)
        #expect(message.answers.isEmpty)
        let soa = try #require(message.authorities.first)
        #expect(soa.name == "lab.test.")
        #expect(soa.ttl == 60)
        guard case .soa(let data) = soa.data else {
            Issue.record("expected SOA data, got \(soa.data)")
            return
        }
        #expect(data.primaryServer == "ns.lab.test.")
        #expect(data.responsibleMailbox == "hostmaster.lab.test.")
        #expect(data.serial == 1)
        #expect(data.minimum == 60)
        #expect(message.bytes == CapturedVectors.nameError)
    }

    @Test func updateDecodesIntoPrerequisitesAndOperations() throws {
        let message = try DNSMessage(bytes: CapturedVectors.update)
        #expect(message.opcode == .update)
        let update = try #require(DNSUpdate(message: message))
        #expect(update.zone == "lab.test.")
        #expect(
            update.prerequisites == [.rrsetExists("www.lab.test.", .a), .rrsetDoesNotExist("new.lab.test.", .aaaa)]
        )
        #expect(
            update.operations == [
                .deleteRRset("www.lab.test.", .a),
                .add(DNSResourceRecord(name: "www.lab.test.", ttl: 300, data: .a(DNSAddress("192.0.2.20")!))),
                .deleteName("old.lab.test."),
                .add(DNSResourceRecord(name: "new.lab.test.", ttl: 600, data: .aaaa(DNSAddress("2001:db8::20")!))),
                .deleteRecord(DNSResourceRecord(name: "www.lab.test.", ttl: 0, data: .text(["x"]))),
            ]
        )
        // Building the same update from scratch gives dnspython's bytes exactly.
        #expect(update.message(id: 0x4321).bytes == CapturedVectors.update)
    }

    @Test func replacingAddressesBuildsDeleteThenAdd() throws {
        let update = DNSUpdate.replacingAddresses(
            of: "www.lab.test.",
            in: "lab.test.",
            with: [DNSAddress("192.0.2.30")!],
            ttl: 300
        )
        let message = update.message(id: 0x5678)
        // The captured signed update is dnspython's replace(): delete A, add A. Ours also clears AAAA.
        let captured = try DNSMessage(bytes: CapturedVectors.signedUpdate)
        #expect(message.updates.count == 3)
        #expect(message.updates[0] == captured.updates[0])
        #expect(
            message.updates[1]
                == DNSResourceRecord(name: "www.lab.test.", type: .aaaa, recordClass: .any, ttl: 0, data: .empty)
        )
        #expect(message.updates[2] == captured.updates[1])
    }

    @Test func signedMessagesExposeTheirTSIGRecord() throws {
        let message = try DNSMessage(bytes: CapturedVectors.signedUpdate)
        let tsig = try #require(message.tsig)
        #expect(tsig.keyName == "locus-key.")
        #expect(tsig.algorithm == "hmac-sha256.")
        #expect(tsig.timeSigned == CapturedVectors.signedUpdateTime)
        #expect(tsig.fudge == 300)
        #expect(tsig.mac == CapturedVectors.signedUpdateMAC)
        #expect(tsig.originalID == 0x5678)
        #expect(message.additionals.isEmpty)
        #expect(message.bytes == CapturedVectors.signedUpdate)
    }

    @Test func extendedResponseCodeCombinesHeaderAndOPT() throws {
        var message = DNSMessage(id: 7, isResponse: true, responseCode: DNSResponseCode(rawValue: 0x123))
        message.edns = EDNS(udpPayloadSize: 4096, dnssecOK: true)
        let decoded = try DNSMessage(bytes: message.bytes)
        #expect(decoded.responseCode.rawValue == 0x123)
        #expect(decoded.edns?.dnssecOK == true)
        #expect(decoded.edns?.udpPayloadSize == 4096)
        #expect(decoded == message)
    }

    @Test func allRecordTypesRoundTrip() throws {
        let records = [
            DNSResourceRecord(name: "a.lab.test", ttl: 1, data: .a(DNSAddress("198.51.100.7")!)),
            DNSResourceRecord(name: "a.lab.test", ttl: 2, data: .aaaa(DNSAddress("2001:db8::1:0:0:7")!)),
            DNSResourceRecord(name: "c.lab.test", ttl: 3, data: .cname("a.lab.test")),
            DNSResourceRecord(name: "7.100.51.198.in-addr.arpa", ttl: 4, data: .ptr("a.lab.test")),
            DNSResourceRecord(name: "lab.test", ttl: 5, data: .ns("ns1.lab.test")),
            DNSResourceRecord(name: "t.lab.test", ttl: 6, data: .text(["hello", "", "world"])),
            DNSResourceRecord(
                name: "lab.test",
                ttl: 7,
                data: .soa(
                    SOAData(
                        primaryServer: "ns1.lab.test",
                        responsibleMailbox: "root.lab.test",
                        serial: 2_026_112_501,
                        refresh: 1,
                        retry: 2,
                        expire: 3,
                        minimum: 4
                    )
                )
            ),
            DNSResourceRecord(
                name: "m.lab.test",
                type: .mx,
                recordClass: .internet,
                ttl: 8,
                data: .opaque([0, 10, 0])
            ),
        ]
        let message = DNSMessage(id: 99, isResponse: true, answers: records)
        #expect(try DNSMessage(bytes: message.bytes) == message)
    }
}
