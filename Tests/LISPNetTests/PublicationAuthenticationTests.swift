import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

/// A publication changes where the engine believes a workload is, so it must come from the map-server:
/// signed with the site's key, or, where the subscriber holds no key, from the resolver's address.
@Suite("RFC 9437 publications are authenticated")
struct PublicationAuthenticationTests {
    static let eid = EIDPrefix("10.1.0.9")!

    /// A subscribe request as an xTR sends it, for a hand-driven subscriber or resolver.
    static func subscribeRequest(
        nonce: UInt64,
        from socket: RawUDPSocket,
        itr: String = "127.0.0.1"
    ) throws -> ByteBuffer {
        let request = MapRequest(
            nonce: nonce,
            itrRLOCs: [LISPAddress(IPAddress(itr)!)],
            records: [MapRequest.Record(prefix: eid, isSubscribe: true)],
            xtrIdentity: XTRIdentity(xtrID: XTRID(high: 7, low: 7), siteID: 7)
        )
        let ecm = EncapsulatedControlMessage(
            source: IPAddress("127.0.0.1")!,
            destination: eid.address,
            sourcePort: UInt16(socket.localAddress.port!),
            message: .mapRequest(request)
        )
        var bytes = ByteBuffer()
        try bytes.writeEncapsulatedControlMessage(ecm)
        return bytes
    }

    static func notify(nonce: UInt64, rloc: String) throws -> ByteBuffer {
        let record = Fixture.record("10.1.0.0/24", rlocs: [rloc])
        var bytes = ByteBuffer()
        try bytes.writeMapNotify(MapNotify(nonce: nonce, keyID: 0, algorithm: .none, records: [record]))
        return bytes
    }

    @Test func theMapServerSignsPublicationsWithTheKeyOfTheSiteOwningThePrefix() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            let subscriber = try await RawUDPSocket()
            defer { Task { await subscriber.close() } }
            try await subscriber.send(Self.subscribeRequest(nonce: 0x2000, from: subscriber), to: addresses.listen)
            var signed: ByteBuffer?
            while signed == nil, let envelope = await subscriber.next() {
                var data = envelope.data
                if case .mapNotify = try LISPMessage.decode(from: &data) { signed = envelope.data }
            }
            let bytes = try #require(signed)
            var copy = bytes
            guard case .mapNotify(let notify) = try LISPMessage.decode(from: &copy) else { return }
            #expect(notify.keyID == 1)
            #expect(notify.algorithm == .hmacSHA256)
            #expect(throws: Never.self) { try LISPAuthentication.verify(bytes, key: Fixture.eastSecret) }
            #expect(throws: LISPAuthenticationError.self) {
                try LISPAuthentication.verify(bytes, key: Fixture.westSecret)
            }
        }
    }

    @Test func aSubscriptionIsTakenOnlyForTheRequestersOwnAddressAndAnXTRIDCannotBeTakenOver() async throws {
        try await withMapServer(Fixture.configuration()) { server, addresses in
            let owner = try await RawUDPSocket()
            let other = try await RawUDPSocket()
            defer {
                Task {
                    await owner.close()
                    await other.close()
                }
            }
            // Aimed at another host: answered, but not subscribed.
            try await other.send(
                Self.subscribeRequest(nonce: 0x3000, from: other, itr: "127.0.0.9"),
                to: addresses.listen
            )
            try await owner.send(Self.subscribeRequest(nonce: 0x4000, from: owner), to: addresses.listen)
            #expect(await eventually { await server.statistics().subscribers == 1 })
            // The same xTR-ID from another address is a subscription of its own, not a takeover.
            try await other.send(Self.subscribeRequest(nonce: 0x5000, from: other), to: addresses.listen)
            #expect(await eventually { await server.statistics().subscribers == 2 })
            try await withRegistrar(Fixture.east(addresses.listen)) { east in
                try await east.register([Fixture.record("10.1.0.0/24", rlocs: ["127.0.1.1"])])
            }
            for socket in [owner, other] {
                var published = false
                while !published, let envelope = await socket.next() {
                    var data = envelope.data
                    if case .mapNotify(let notify) = try LISPMessage.decode(from: &data), !notify.records.isEmpty,
                        notify.records[0].locators.map(\.locator.description) == ["127.0.1.1"]
                    {
                        published = true
                    }
                }
                #expect(published, "a subscriber did not get the publication")
            }
        }
    }

    @Test func aSubscriberHoldingTheSiteKeyFollowsSignedPublications() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            var configuration = Fixture.resolver(addresses.listen)
            configuration.publicationKeys = [1: Fixture.eastSecret]
            try await withResolver(configuration) { resolver in
                let subscription = try await resolver.subscribe(Self.eid)
                try await withRegistrar(Fixture.east(addresses.listen)) { east in
                    try await east.register([Fixture.record("10.1.0.0/24", rlocs: ["127.0.1.1"])])
                }
                let update = try #require(await nextValue(of: subscription.updates))
                #expect(update.first?.locators.map(\.locator.description) == ["127.0.1.1"])
                #expect(await resolver.status().rejectedPublications == 0)
            }
        }
    }

    @Test func aMACThatDoesNotVerifyWithTheKeyHeldIsRefused() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            var configuration = Fixture.resolver(addresses.listen)
            configuration.publicationKeys = [1: Array("not-the-east-key".utf8)]
            try await withResolver(configuration) { resolver in
                await #expect(throws: (any Error).self) { try await resolver.subscribe(Self.eid) }
                #expect(await resolver.status().rejectedPublications >= 1)
            }
        }
    }

    @Test func withoutAKeyOnlyTheResolversAddressIsBelieved() async throws {
        // The test plays the map-resolver (to know the nonce) and a forger at another address.
        let resolverSocket = try await RawUDPSocket()
        let forger = try await RawUDPSocket()
        defer {
            Task {
                await resolverSocket.close()
                await forger.close()
            }
        }
        try await withResolver(Fixture.resolver(resolverSocket.localAddress)) { resolver in
            let subscribing = Task { try await resolver.subscribe(Self.eid) }
            let request = try #require(await resolverSocket.next())
            var data = request.data
            guard case .encapsulated(let ecm) = try LISPMessage.decode(from: &data),
                case .mapRequest(let subscribe) = ecm.message
            else {
                Issue.record("expected an ECM Map-Request")
                return
            }
            try await resolverSocket.send(
                try Self.notify(nonce: subscribe.nonce, rloc: "127.0.1.1"),
                to: request.remoteAddress
            )
            let subscription = try await subscribing.value

            try await forger.send(
                try Self.notify(nonce: subscribe.nonce + 1, rloc: "127.0.66.6"),
                to: request.remoteAddress
            )
            #expect(await eventually { await resolver.status().rejectedPublications == 1 })
            try await resolverSocket.send(
                try Self.notify(nonce: subscribe.nonce + 2, rloc: "127.0.2.1"),
                to: request.remoteAddress
            )
            let update = try #require(await nextValue(of: subscription.updates))
            #expect(
                update.first?.locators.map(\.locator.description) == ["127.0.2.1"],
                "the forged publication was delivered"
            )
        }
    }
}
