import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("RFC 9437 publish/subscribe against the real map-server")
struct PubSubTests {
    @Test("a subscriber gets the new locator set when the prefix is registered, moved and withdrawn, and acks")
    func subscriberFollowsChanges() async throws {
        let shared = Fixture.sites(eastPrefix: "10.0.0.0/8", westPrefix: "10.0.0.0/8")
        try await withMapServer(Fixture.configuration(sites: shared)) { server, addresses in
            try await withResolver(Fixture.resolver(addresses.listen)) { resolver in
                let subscription = try await resolver.subscribe(EIDPrefix("10.1.0.9")!)
                let initial = try #require(subscription.initial.first)
                #expect(initial.isNegative)
                #expect(initial.ttlMinutes == 1)
                #expect(await eventually { await server.statistics().unacknowledgedPublications == 0 })
                #expect(await server.statistics().subscribers == 1)

                try await withRegistrar(Fixture.east(addresses.listen)) { east in
                    try await east.register([Fixture.record("10.1.0.0/24", rlocs: ["127.0.1.1"])])
                }
                let registered = try #require(await nextValue(of: subscription.updates))
                #expect(registered.first?.prefix == EIDPrefix("10.1.0.0/24"))
                #expect(registered.first?.locators.map(\.locator.description) == ["127.0.1.1"])
                #expect(await eventually { await server.statistics().unacknowledgedPublications == 0 })

                try await withRegistrar(Fixture.west(addresses.listen)) { west in
                    try await west.register([Fixture.record("10.1.0.0/24", rlocs: ["127.0.2.1", "127.0.2.2"])])
                    let moved = try #require(await nextValue(of: subscription.updates))
                    #expect(moved.first?.locators.map(\.locator.description) == ["127.0.2.1", "127.0.2.2"])

                    try await west.withdraw([EIDPrefix("10.1.0.0/24")!])
                    let withdrawn = try #require(await nextValue(of: subscription.updates))
                    #expect(withdrawn.first?.ttlMinutes == 0)
                    #expect(withdrawn.first?.prefix == EIDPrefix("10.1.0.0/24"))
                }
                #expect(await eventually { await server.statistics().unacknowledgedPublications == 0 })
                #expect(await resolver.status().unmatchedReplies == 0)
            }
        }
    }

    @Test("an unacknowledged publication is resent until the subscriber acknowledges it")
    func retransmitUntilAcknowledged() async throws {
        try await withMapServer(Fixture.configuration()) { server, addresses in
            // A subscriber that never acknowledges: a bare socket sending the subscribe by hand.
            let silent = try await RawUDPSocket()
            defer { Task { await silent.close() } }
            let identity = XTRIdentity(xtrID: XTRID(high: 9, low: 9), siteID: 9)
            let request = MapRequest(
                nonce: 0x1000,
                itrRLOCs: [LISPAddress(IPAddress("127.0.0.1")!)],
                records: [MapRequest.Record(prefix: EIDPrefix("10.1.0.9/32")!, isSubscribe: true)],
                xtrIdentity: identity
            )
            let ecm = EncapsulatedControlMessage(
                source: IPAddress("127.0.0.1")!,
                destination: IPAddress("10.1.0.9")!,
                sourcePort: UInt16(silent.localAddress.port!),
                message: .mapRequest(request)
            )
            var bytes = ByteBuffer()
            try bytes.writeEncapsulatedControlMessage(ecm)
            try await silent.send(bytes, to: addresses.listen)

            var notifies: [MapNotify] = []
            while notifies.count < 3, let envelope = await silent.next() {
                var data = envelope.data
                if case .mapNotify(let notify) = try LISPMessage.decode(from: &data) {
                    notifies.append(notify)
                }
            }
            #expect(notifies.count == 3)
            #expect(notifies.allSatisfy { $0.nonce == 0x1000 })

            let ack = MapNotify(nonce: 0x1000, keyID: 0, algorithm: .none, records: notifies[0].records)
            var ackBytes = ByteBuffer()
            try ackBytes.writeMapNotifyAck(ack)
            try await silent.send(ackBytes, to: addresses.listen)
            #expect(await eventually { await server.statistics().unacknowledgedPublications == 0 })
        }
    }
}
