import DNS
import DNSNet
import Foundation
import Testing

@Suite("DNS client against a real BIND 9")
struct BINDTests {
    @Test func queriesAddressesPointersAndSOA() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)

        let a = try await client.query("www.lab.test", type: .a)
        #expect(a.message.responseCode == .noError)
        #expect(a.message.isAuthoritativeAnswer)
        #expect(a.message.answers.map(\.data) == [.a(DNSAddress("192.0.2.10")!)])
        #expect(a.message.answers.first?.ttl == 300)
        #expect(a.transport == .udp)
        #expect(a.server == bind.address)
        #expect(a.rtt > .zero)

        let aaaa = try await client.query("www.lab.test", type: .aaaa)
        #expect(aaaa.message.answers.map(\.data) == [.aaaa(DNSAddress("2001:db8::10")!)])

        let ptr = try await client.query(.reverse(of: DNSAddress("192.0.2.10")!), type: .ptr)
        #expect(ptr.message.answers.map(\.data) == [.ptr("www.lab.test.")])

        let soa = try await client.query("lab.test", type: .soa)
        guard case .soa(let data) = soa.message.answers.first?.data else {
            Issue.record("no SOA in \(soa.message)")
            return
        }
        #expect(data.responsibleMailbox == "hostmaster.lab.test.")

        let alias = try await client.query("alias.lab.test", type: .a)
        #expect(alias.message.answers.map(\.data) == [.cname("www.lab.test."), .a(DNSAddress("192.0.2.10")!)])

        let text = try await client.query("info.lab.test", type: .txt)
        #expect(text.message.answers.first?.data.textStrings == ["locus lab", "second string"])
    }

    @Test func negativeAnswersCarryTheSOA() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)

        let missing = try await client.query("nothere.lab.test", type: .a)
        #expect(missing.message.responseCode == .nameError)
        #expect(missing.message.answers.isEmpty)
        #expect(missing.message.authorities.first?.type == .soa)

        let noData = try await client.query("www.lab.test", type: .txt)
        #expect(noData.message.responseCode == .noError)
        #expect(noData.message.answers.isEmpty)
        #expect(noData.message.authorities.first?.type == .soa)
    }

    @Test func tcpQueryGivesTheSameAnswer() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)
        let message = DNSMessage.query(id: 4242, name: "www.lab.test", type: .a)
        let response = try await client.send(message, transport: .tcp)
        #expect(response.transport == .tcp)
        #expect(response.message.id == 4242)
        #expect(response.message.answers.map(\.data) == [.a(DNSAddress("192.0.2.10")!)])
    }

    @Test(arguments: [DNSTransport.udp, .tcp])
    func signedUpdateIsAppliedAndVisibleWithDig(transport: DNSTransport) async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)
        let update = DNSUpdate.replacingAddresses(
            of: "www.lab.test",
            in: "lab.test",
            with: [DNSAddress("198.51.100.20")!, DNSAddress("2001:db8::20")!],
            ttl: 120
        )
        let result = try await client.update(update, key: BINDServer.key, transport: transport)
        #expect(result.isApplied, "\(result)")
        #expect(result.responseCode == .noError)
        #expect(result.tsigError == nil)
        #expect(result.signatureVerified)
        #expect(result.response.transport == transport)

        #expect(try await bind.dig("www.lab.test", "A") == ["198.51.100.20"])
        #expect(try await bind.dig("www.lab.test", "AAAA") == ["2001:db8::20"])
        let answer = try await client.query("www.lab.test", type: .a)
        #expect(answer.message.answers.map(\.ttl) == [120])

        let pointer = DNSUpdate.replacingPointer(
            for: DNSAddress("192.0.2.10")!,
            in: "2.0.192.in-addr.arpa",
            target: "moved.lab.test",
            ttl: 60
        )
        let pointerResult = try await client.update(pointer, key: BINDServer.key, transport: transport)
        #expect(pointerResult.isApplied, "\(pointerResult)")
        #expect(try await bind.dig("10.2.0.192.in-addr.arpa", "PTR") == ["moved.lab.test."])
    }

    @Test func failedPrerequisiteIsReported() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)
        let update = DNSUpdate(
            zone: "lab.test",
            prerequisites: [.rrsetExists("absent.lab.test", .a)],
            operations: [.deleteName("www.lab.test")]
        )
        let result = try await client.update(update, key: BINDServer.key)
        #expect(result.responseCode == .nxRRSet)
        #expect(!result.isApplied)
        #expect(result.description.hasPrefix("NXRRSET: a prerequisite failed"))
        #expect(try await bind.dig("www.lab.test", "A") == ["192.0.2.10"])
    }

    @Test func wrongSecretIsNotAuthBadSig() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)
        let key = TSIGKey(name: BINDServer.keyName, secret: Array("not the secret BIND knows".utf8))
        let update = DNSUpdate.replacingAddresses(of: "www.lab.test", in: "lab.test", with: [], ttl: 60)
        let result = try await client.update(update, key: key)
        #expect(result.responseCode == .notAuth)
        #expect(result.tsigError == .badSignature)
        #expect(!result.signatureVerified)
        #expect(result.description.hasPrefix("NOTAUTH/BADSIG"))
        #expect(try await bind.dig("www.lab.test", "A") == ["192.0.2.10"])
    }

    @Test func unknownKeyIsNotAuthBadKey() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)
        let key = TSIGKey(name: "nobody-knows-me.", secret: BINDServer.secret)
        let update = DNSUpdate.replacingAddresses(of: "www.lab.test", in: "lab.test", with: [], ttl: 60)
        let result = try await client.update(update, key: key)
        #expect(result.responseCode == .notAuth)
        #expect(result.tsigError == .badKey)
        #expect(result.description.hasPrefix("NOTAUTH/BADKEY"))
    }

    @Test func clockSkewIsNotAuthBadTime() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)
        let update = DNSUpdate.replacingAddresses(of: "www.lab.test", in: "lab.test", with: [], ttl: 60)
        // An hour in the past, far outside the 300 s fudge; BIND signs this error answer.
        let skewed = UInt64(Date().timeIntervalSince1970) - 3600
        let result = try await client.update(update, key: BINDServer.key, timeSigned: skewed)
        #expect(result.responseCode == .notAuth)
        #expect(result.tsigError == .badTime)
        #expect(result.signatureVerified)
        #expect(result.description.hasPrefix("NOTAUTH/BADTIME"))
        #expect(try await bind.dig("www.lab.test", "A") == ["192.0.2.10"])
    }

    @Test func unsignedUpdateIsRefused() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        let client = DNSClient(server: bind.address)
        let update = DNSUpdate.replacingAddresses(of: "www.lab.test", in: "lab.test", with: [], ttl: 60)
        let result = try await client.update(update, key: nil)
        #expect(result.responseCode == .refused)
        #expect(result.tsigError == nil)
        #expect(result.description.hasPrefix("REFUSED"))
        #expect(try await bind.dig("www.lab.test", "A") == ["192.0.2.10"])
    }

    @Test func stoppedServerIsRefusedAtOnce() async throws {
        let bind = try await BINDServer.start()
        bind.stop()
        // Long enough that a timeout cannot pass for a refusal: on loopback the ICMP port unreachable (UDP)
        // and the RST (TCP) come back immediately, and the connected socket turns them into an error.
        let client = DNSClient(
            server: bind.address,
            configuration: DNSClientConfiguration(timeout: .seconds(5), attempts: 3)
        )
        for transport in [DNSTransport.udp, .tcp] {
            await #expect(throws: DNSClientError.connectionRefused(server: bind.address)) {
                try await client.send(DNSMessage.query(id: 1, name: "lab.test", type: .soa), transport: transport)
            }
        }
    }

    @Test func truncatedUDPAnswerIsRetriedOverTCP() async throws {
        let bind = try await BINDServer.start()
        defer { bind.stop() }
        // big.lab.test holds about 2 kB of TXT: more than the 1232-byte UDP payload the client offers.
        let client = DNSClient(server: bind.address)
        let response = try await client.query("big.lab.test", type: .txt)
        #expect(response.transport == .tcp)
        #expect(!response.message.isTruncated)
        #expect(response.message.answers.count == 10)
        #expect(try await bind.dig("big.lab.test", "TXT").count == 10)
    }
}
