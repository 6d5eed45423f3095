import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("Map-server registrations over loopback")
struct MapServerRegistrationTests {
    @Test("a registered EID resolves to its locators through the real server")
    func registerAndResolve() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            let notify = try await withRegistrar(Fixture.east(addresses.listen)) { registrar in
                try await registrar.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1", "127.0.1.2"])])
            }
            #expect(notify?.records.first?.prefix == EIDPrefix("10.1.0.7/32"))
            try await withResolver(Fixture.resolver(addresses.listen)) { resolver in
                let result = try await resolver.resolve(EIDPrefix("10.1.0.7")!)
                let record = try #require(result.records.first)
                #expect(record.prefix == EIDPrefix("10.1.0.7/32"))
                #expect(record.locators.map(\.locator.description) == ["127.0.1.1", "127.0.1.2"])
                #expect(record.ttlMinutes == 1440)
                #expect(result.isAuthoritative == false)
                #expect(result.negative == nil)
                #expect(result.respondent == addresses.listen)
                #expect(await resolver.health == .ok)
            }
        }
    }

    @Test("negative replies: outside configured space (15 min) and configured but unregistered (1 min)")
    func negativeReplies() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            try await withRegistrar(Fixture.east(addresses.listen)) { registrar in
                try await registrar.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1"])])
            }
            try await withResolver(Fixture.resolver(addresses.listen)) { resolver in
                let outside = try #require(try await resolver.resolve(EIDPrefix("192.168.5.5")!).negative)
                #expect(outside.action == .nativelyForward)
                #expect(outside.ttlMinutes == 15)
                // 192.x and the configured 10.1/16, 10.2/16 differ in the first bit.
                #expect(outside.prefix == EIDPrefix("128.0.0.0/1"))

                let near = try #require(try await resolver.resolve(EIDPrefix("10.0.9.9")!).negative)
                // 10.0.9.9 shares 15 bits with 10.1.0.0/16 (14 with 10.2.0.0/16).
                #expect(near.prefix == EIDPrefix("10.0.0.0/16"))
                #expect(near.ttlMinutes == 15)

                let unregistered = try #require(try await resolver.resolve(EIDPrefix("10.1.200.1")!).negative)
                #expect(unregistered.action == .nativelyForward)
                #expect(unregistered.ttlMinutes == 1)
                // Largest prefix around 10.1.200.1 inside 10.1/16 that leaves 10.1.0.7 out.
                #expect(unregistered.prefix == EIDPrefix("10.1.128.0/17"))

                let neighbour = try #require(try await resolver.resolve(EIDPrefix("10.1.0.6")!).negative)
                #expect(neighbour.prefix == EIDPrefix("10.1.0.6/32"))

                let empty = try #require(try await resolver.resolve(EIDPrefix("10.2.3.4")!).negative)
                #expect(empty.prefix == EIDPrefix("10.2.0.0/16"))
                #expect(empty.ttlMinutes == 1)
            }
        }
    }

    @Test("registrations expire after registration_timeout, and at once when withdrawn")
    func expiry() async throws {
        let clock = ManualClock()
        try await withMapServer(Fixture.configuration(), clock: clock) { server, addresses in
            try await withRegistrar(Fixture.east(addresses.listen)) { registrar in
                try await registrar.register([
                    Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1"]),
                    Fixture.record("10.1.0.8/32", rlocs: ["127.0.1.1"]),
                ])
                #expect(await server.registrations().registrations.count == 2)
                try await registrar.withdraw([EIDPrefix("10.1.0.8/32")!])
                #expect(await server.registrations().registrations.map(\.eidPrefix) == ["10.1.0.7/32"])
            }
            clock.advance(by: 179)
            #expect(await server.registrations().registrations.count == 1)
            clock.advance(by: 2)
            #expect(await server.registrations().registrations.isEmpty)
            try await withResolver(Fixture.resolver(addresses.listen)) { resolver in
                let negative = try #require(try await resolver.resolve(EIDPrefix("10.1.0.7")!).negative)
                #expect(negative.ttlMinutes == 1)
            }
        }
    }

    @Test("keepRegistered refreshes the registration, so it outlives the registration timeout")
    func periodicRefresh() async throws {
        let clock = ManualClock()
        try await withMapServer(Fixture.configuration(), clock: clock) { server, addresses in
            try await withRegistrar(Fixture.east(addresses.listen)) { registrar in
                let refreshing = Task {
                    await registrar.keepRegistered(
                        [Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1"])],
                        every: .milliseconds(20)
                    )
                }
                defer { refreshing.cancel() }
                for _ in 0..<3 {
                    let before = await server.registrations().registrations.first?.lastRegistered
                    clock.advance(by: 120)
                    #expect(
                        await eventually {
                            let last = await server.registrations().registrations.first?.lastRegistered
                            return last != nil && last != before
                        }
                    )
                }
                let registration = try #require(await server.registrations().registrations.first)
                #expect(registration.lastRegistered.timeIntervalSince(registration.firstRegistered) >= 240)
            }
        }
    }

    @Test("with the T bit a registration lives for its record TTL")
    func expiryByRecordTTL() async throws {
        let clock = ManualClock()
        try await withMapServer(Fixture.configuration(), clock: clock) { server, addresses in
            var configuration = Fixture.east(addresses.listen)
            configuration.expiresByRecordTTL = true
            try await withRegistrar(configuration) { registrar in
                try await registrar.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1"], ttl: 10)])
            }
            clock.advance(by: 300)
            #expect(await server.registrations().registrations.first?.flags.ttlExpiry == true)
            clock.advance(by: 301)
            #expect(await server.registrations().registrations.isEmpty)
        }
    }

    @Test("a replayed Map-Register is dropped and counted; without xTR-ID no replay check")
    func replay() async throws {
        try await withMapServer(Fixture.configuration()) { server, addresses in
            let raw = try await RawUDPSocket()
            defer { Task { await raw.close() } }
            let identity = XTRIdentity(xtrID: XTRID(high: 1, low: 2), siteID: 7)
            var register = MapRegister(
                nonce: 100,
                keyID: 1,
                algorithm: .hmacSHA256,
                records: [Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1"])],
                wantsMapNotify: true,
                xtrIdentity: identity
            )
            var first = ByteBuffer()
            try first.writeMapRegister(register, signedWith: Fixture.eastSecret)
            try await raw.send(first, to: addresses.listen)
            #expect(await raw.next() != nil, "the first register is acknowledged")

            try await raw.send(first, to: addresses.listen)
            register.nonce = 99
            var older = ByteBuffer()
            try older.writeMapRegister(register, signedWith: Fixture.eastSecret)
            try await raw.send(older, to: addresses.listen)
            #expect(
                await eventually {
                    await server.registrations().sites.first { $0.name == "dc-east" }?.dropped.replay == 2
                }
            )

            register.nonce = 101
            var newer = ByteBuffer()
            try newer.writeMapRegister(register, signedWith: Fixture.eastSecret)
            try await raw.send(newer, to: addresses.listen)
            let notify = try #require(await raw.next())
            var bytes = notify.data
            guard case .mapNotify(let decoded) = try LISPMessage.decode(from: &bytes) else {
                Issue.record("expected a Map-Notify")
                return
            }
            #expect(decoded.nonce == 101)

            // The same bytes twice without an xTR-ID: both accepted.
            register.xtrIdentity = nil
            var anonymous = ByteBuffer()
            try anonymous.writeMapRegister(register, signedWith: Fixture.eastSecret)
            try await raw.send(anonymous, to: addresses.listen)
            try await raw.send(anonymous, to: addresses.listen)
            #expect(await raw.next() != nil)
            #expect(await raw.next() != nil)
            #expect(await server.registrations().sites.first { $0.name == "dc-east" }?.dropped.replay == 2)
        }
    }

    @Test("a bad MAC and an unknown key id are dropped without an answer and counted per site")
    func authenticationFailures() async throws {
        try await withMapServer(Fixture.configuration()) { server, addresses in
            let oneTry = RetryPolicy(initialTimeout: .milliseconds(200), attempts: 1)
            var forged = Fixture.east(addresses.listen, retry: oneTry)
            forged.secret = Array("not-the-secret".utf8)
            await #expect(throws: LISPNetError.self) {
                try await withRegistrar(forged) { registrar in
                    try await registrar.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.66"])])
                }
            }
            var unknown = Fixture.east(addresses.listen, retry: oneTry)
            unknown.keyID = 9
            await #expect(throws: LISPNetError.self) {
                try await withRegistrar(unknown) { registrar in
                    try await registrar.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.66"])])
                }
            }
            let outside = Fixture.east(addresses.listen, retry: oneTry)
            await #expect(throws: LISPNetError.self) {
                try await withRegistrar(outside) { registrar in
                    try await registrar.register([Fixture.record("10.2.0.7/32", rlocs: ["127.0.1.66"])])
                }
            }
            let document = await server.registrations()
            let east = try #require(document.sites.first { $0.name == "dc-east" })
            #expect(east.dropped.badMac == 1)
            #expect(east.dropped.unknownKey == 1)
            #expect(east.dropped.outsidePrefix == 1)
            #expect(document.registrations.isEmpty)
        }
    }

    @Test("a prefix moving to another site replaces the locators and the previous registerer is notified")
    func moveBetweenSites() async throws {
        let shared = Fixture.sites(eastPrefix: "10.0.0.0/8", westPrefix: "10.0.0.0/8")
        try await withMapServer(Fixture.configuration(sites: shared)) { server, addresses in
            try await withRegistrar(Fixture.east(addresses.listen)) { east in
                try await east.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1"])])
                try await withRegistrar(Fixture.west(addresses.listen)) { west in
                    try await west.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.2.1"])])
                }
                let told = try #require(await nextValue(of: east.notifications))
                #expect(told.records.first?.locators.map(\.locator.description) == ["127.0.2.1"])
            }
            let document = await server.registrations()
            #expect(document.registrations.count == 1)
            #expect(document.registrations.first?.site == "dc-west")
            try await withResolver(Fixture.resolver(addresses.listen)) { resolver in
                let record = try #require(try await resolver.resolve(EIDPrefix("10.1.0.7")!).records.first)
                #expect(record.locators.map(\.locator.description) == ["127.0.2.1"])
            }
        }
    }

    @Test("bare Map-Requests and RLOC probes get no answer; the ECM Map-Request after them does")
    func bareAndProbeDropped() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            let raw = try await RawUDPSocket()
            defer { Task { await raw.close() } }
            let me = IPAddress("127.0.0.1")!
            func request(_ nonce: UInt64, probe: Bool = false) -> MapRequest {
                MapRequest(
                    nonce: nonce,
                    itrRLOCs: [LISPAddress(me)],
                    records: [MapRequest.Record(prefix: EIDPrefix("10.1.0.7/32")!)],
                    isProbe: probe
                )
            }
            func encapsulated(_ request: MapRequest) throws -> ByteBuffer {
                var bytes = ByteBuffer()
                try bytes.writeEncapsulatedControlMessage(
                    EncapsulatedControlMessage(
                        source: me,
                        destination: IPAddress("10.1.0.7")!,
                        sourcePort: UInt16(raw.localAddress.port!),
                        message: .mapRequest(request)
                    )
                )
                return bytes
            }
            var bare = ByteBuffer()
            try bare.writeMapRequest(request(1))
            try await raw.send(bare, to: addresses.listen)
            try await raw.send(try encapsulated(request(2, probe: true)), to: addresses.listen)
            try await raw.send(try encapsulated(request(3)), to: addresses.listen)
            var answer = try #require(await raw.next()).data
            guard case .mapReply(let reply) = try LISPMessage.decode(from: &answer) else {
                Issue.record("expected a Map-Reply")
                return
            }
            #expect(reply.nonce == 3)
        }
    }
}
