import DNS
import DNSNet
import Testing

@Suite("The lab's authoritative responder")
struct LabResponderTests {
    static let key = TSIGKey(name: "lab-key.", secret: Array("lab responder secret bytes 32 ok".utf8))

    static func store() throws -> DNSZoneStore {
        let soa = SOAData(
            primaryServer: "ns.lab.test",
            responsibleMailbox: "hostmaster.lab.test",
            serial: 1,
            refresh: 3600,
            retry: 600,
            expire: 86400,
            minimum: 30
        )
        return try DNSZoneStore(
            zones: ["lab.test", "2.0.192.in-addr.arpa"],
            records: [
                DNSResourceRecord(name: "lab.test", ttl: 300, data: .soa(soa)),
                DNSResourceRecord(name: "lab.test", ttl: 300, data: .ns("ns.lab.test")),
                DNSResourceRecord(name: "2.0.192.in-addr.arpa", ttl: 300, data: .soa(soa)),
                DNSResourceRecord(name: "app.lab.test", ttl: 300, data: .a(DNSAddress("192.0.2.10")!)),
                DNSResourceRecord(name: "app.lab.test", ttl: 300, data: .aaaa(DNSAddress("2001:db8::10")!)),
                DNSResourceRecord(name: "web.lab.test", ttl: 300, data: .cname("app.lab.test")),
                DNSResourceRecord(name: "10.2.0.192.in-addr.arpa", ttl: 300, data: .ptr("app.lab.test")),
            ]
        )
    }

    /// Runs `body` against a responder bound on a free loopback port, then stops it.
    func withResponder(_ body: (DNSLabResponder, DNSClient) async throws -> Void) async throws {
        let responder = DNSLabResponder(store: try Self.store(), keys: [Self.key])
        let port = try await responder.bind()
        let server = Task { try await responder.run() }
        let client = DNSClient(server: DNSServerAddress(host: "127.0.0.1", port: port))
        do {
            try await body(responder, client)
        } catch {
            await responder.stop()
            throw error
        }
        await responder.stop()
        try await server.value
    }

    @Test func answersQueriesNameErrorAndNoData() async throws {
        try await withResponder { _, client in
            let a = try await client.query("APP.lab.test", type: .a)
            #expect(a.message.isAuthoritativeAnswer)
            #expect(a.message.answers.map(\.data) == [.a(DNSAddress("192.0.2.10")!)])

            let alias = try await client.query("web.lab.test", type: .aaaa)
            #expect(alias.message.answers.map(\.data) == [.cname("app.lab.test"), .aaaa(DNSAddress("2001:db8::10")!)])

            let ptr = try await client.query(.reverse(of: DNSAddress("192.0.2.10")!), type: .ptr)
            #expect(ptr.message.answers.map(\.data) == [.ptr("app.lab.test")])

            let missing = try await client.query("gone.lab.test", type: .a)
            #expect(missing.message.responseCode == .nameError)
            #expect(missing.message.authorities.map(\.type) == [.soa])
            #expect(missing.message.authorities.first?.ttl == 30)

            let noData = try await client.query("app.lab.test", type: .txt)
            #expect(noData.message.responseCode == .noError)
            #expect(noData.message.answers.isEmpty)
            #expect(noData.message.authorities.map(\.type) == [.soa])

            let elsewhere = try await client.query("example.org", type: .a)
            #expect(elsewhere.message.responseCode == .refused)
        }
    }

    @Test func digReadsTheResponderAnswers() async throws {
        let responder = DNSLabResponder(store: try Self.store(), keys: [Self.key])
        let port = try await responder.bind()
        let server = Task { try await responder.run() }
        #expect(try await BINDServer.dig(port: port, "app.lab.test", "A") == ["192.0.2.10"])
        #expect(try await BINDServer.dig(port: port, "web.lab.test", "AAAA") == ["app.lab.test.", "2001:db8::10"])
        #expect(try await BINDServer.dig(port: port, "10.2.0.192.in-addr.arpa", "PTR") == ["app.lab.test."])
        await responder.stop()
        try await server.value
    }

    @Test func signedUpdateIsAppliedAndSignedBack() async throws {
        try await withResponder { responder, client in
            let update = DNSUpdate.replacingAddresses(
                of: "app.lab.test",
                in: "lab.test",
                with: [DNSAddress("198.51.100.7")!],
                ttl: 60
            )
            let result = try await client.update(update, key: Self.key)
            #expect(result.isApplied, "\(result)")
            #expect(result.signatureVerified)
            #expect(
                await responder.records(name: "app.lab.test", type: .a)
                    == [DNSResourceRecord(name: "app.lab.test", ttl: 60, data: .a(DNSAddress("198.51.100.7")!))]
            )
            #expect(await responder.records(name: "app.lab.test", type: .aaaa).isEmpty)
            let answer = try await client.query("app.lab.test", type: .a)
            #expect(answer.message.answers.map(\.data) == [.a(DNSAddress("198.51.100.7")!)])

            let failing = DNSUpdate(zone: "lab.test", prerequisites: [.nameNotInUse("app.lab.test")])
            #expect(try await client.update(failing, key: Self.key).responseCode == .yxDomain)
        }
    }

    @Test func refuseNextChangeRefusesOneChangingUpdateAndLetsPrerequisitesThrough() async throws {
        try await withResponder { responder, client in
            await responder.refuseNextChange()
            let check = DNSUpdate(zone: "lab.test", prerequisites: [.rrsetExists("lab.test", .soa)])
            #expect(try await client.update(check, key: Self.key).isApplied)
            let update = DNSUpdate.replacingAddresses(
                of: "app.lab.test",
                in: "lab.test",
                with: [DNSAddress("198.51.100.9")!],
                ttl: 60
            )
            let refused = try await client.update(update, key: Self.key)
            #expect(refused.responseCode == .refused)
            #expect(
                await responder.records(name: "app.lab.test", type: .a).map(\.data) != [.a(DNSAddress("198.51.100.9")!)]
            )
            let applied = try await client.update(update, key: Self.key)
            #expect(applied.isApplied, "\(applied)")
            #expect(
                await responder.records(name: "app.lab.test", type: .a).map(\.data) == [.a(DNSAddress("198.51.100.9")!)]
            )
        }
    }

    @Test func unsignedAndBadlySignedUpdatesAreRejected() async throws {
        try await withResponder { responder, client in
            let update = DNSUpdate.replacingAddresses(of: "app.lab.test", in: "lab.test", with: [], ttl: 60)
            let unsigned = try await client.update(update, key: nil)
            #expect(unsigned.responseCode == .refused)

            let wrongSecret = TSIGKey(name: "lab-key.", secret: Array("wrong".utf8))
            let badSig = try await client.update(update, key: wrongSecret)
            #expect(badSig.responseCode == .notAuth)
            #expect(badSig.tsigError == .badSignature)

            let unknown = TSIGKey(name: "stranger.", secret: Self.key.secret)
            let badKey = try await client.update(update, key: unknown)
            #expect(badKey.responseCode == .notAuth)
            #expect(badKey.tsigError == .badKey)

            #expect(await responder.records(name: "app.lab.test", type: .a).count == 1)
        }
    }

    @Test func recordsChangedBehindTheClientsBackAreServed() async throws {
        try await withResponder { responder, client in
            let moved = DNSResourceRecord(name: "app.lab.test", ttl: 300, data: .a(DNSAddress("203.0.113.9")!))
            await responder.setRecords([moved], name: "app.lab.test", type: .a)
            let answer = try await client.query("app.lab.test", type: .a)
            #expect(answer.message.answers == [moved])
            await responder.setRecords([], name: "app.lab.test", type: .a)
            await responder.setRecords([], name: "app.lab.test", type: .aaaa)
            let gone = try await client.query("app.lab.test", type: .a)
            #expect(gone.message.responseCode == .nameError)
        }
    }
}
