import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("Resolver client against the real map-server")
struct ResolverClientTests {
    @Test("a reply with a wrong nonce is ignored; the right nonce is accepted from any address")
    func forgedReplyIgnored() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            try await withRegistrar(Fixture.east(addresses.listen)) { registrar in
                try await registrar.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.1"])])
            }
            // The client's requests go through a relay we control, so a forgery can arrive while the lookup is
            // outstanding; the relay then hands the request on to the real server, which answers the client
            // directly (ITR-RLOC) from another address than the one the request went to.
            let relay = try await RawUDPSocket()
            let attacker = try await RawUDPSocket()
            defer {
                Task {
                    await relay.close()
                    await attacker.close()
                }
            }
            let slow = RetryPolicy(initialTimeout: .seconds(5), attempts: 1)
            try await withResolver(Fixture.resolver(relay.localAddress, retry: slow)) { resolver in
                let lookup = Task { try await resolver.resolve(EIDPrefix("10.1.0.7")!) }
                let request = try #require(await relay.next())
                var bytes = request.data
                guard case .encapsulated(let ecm) = try LISPMessage.decode(from: &bytes),
                    case .mapRequest(let mapRequest) = ecm.message
                else {
                    Issue.record("the client did not send an ECM Map-Request")
                    lookup.cancel()
                    return
                }
                let forged = MapReply(
                    nonce: mapRequest.nonce &+ 1,
                    records: [Fixture.record("10.1.0.7/32", rlocs: ["127.66.66.66"])]
                )
                var forgedBytes = ByteBuffer()
                try forgedBytes.writeMapReply(forged)
                try await attacker.send(forgedBytes, to: request.remoteAddress)
                #expect(await eventually { await resolver.status().unmatchedReplies == 1 })

                try await relay.send(request.data, to: addresses.listen)
                let result = try await lookup.value
                #expect(result.records.first?.locators.map(\.locator.description) == ["127.0.1.1"])
                #expect(result.respondent == addresses.listen)
                #expect(result.resolver == relay.localAddress)
            }
        }
    }

    @Test("a silent server makes lookups time out and the resolver down; its return makes it ok")
    func downAndBack() async throws {
        // Reserve a port by running a server once, then reuse it for the second life.
        let port = try await withMapServer(Fixture.configuration()) { _, addresses in addresses.listen.port! }
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let retry = RetryPolicy(initialTimeout: .milliseconds(100), attempts: 3, maximumTimeout: .milliseconds(200))
        try await withResolver(Fixture.resolver(address, retry: retry)) { resolver in
            await #expect(throws: LISPNetError.timedOut(destination: "127.0.0.1:\(port)", attempts: 3)) {
                try await resolver.resolve(EIDPrefix("10.1.0.7")!)
            }
            #expect(await resolver.health == .down)
            #expect(await resolver.status().consecutiveTimeouts == 3)

            try await withMapServer(Fixture.configuration(listen: address)) { _, _ in
                let result = try await resolver.resolve(EIDPrefix("10.1.0.7")!)
                #expect(result.negative?.ttlMinutes == 1)
                #expect(await resolver.health == .ok)
            }
        }
    }

    @Test("10 000 concurrent lookups all complete with the right answer")
    func tenThousandInFlight() async throws {
        try await withMapServer(Fixture.configuration()) { _, addresses in
            try await withRegistrar(Fixture.east(addresses.listen)) { registrar in
                let records = (0..<100).map { Fixture.record("10.1.0.\($0)/32", rlocs: ["127.0.1.\($0 % 4 + 1)"]) }
                try await registrar.register(records)
            }
            let retry = RetryPolicy(initialTimeout: .seconds(2), attempts: 3)
            try await withResolver(Fixture.resolver(addresses.listen, retry: retry, inFlight: 1024)) { resolver in
                let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<10_000 {
                        group.addTask {
                            let host = index % 200
                            let result = try await resolver.resolve(EIDPrefix("10.1.0.\(host)")!)
                            let record = try #require(result.records.first)
                            if host < 100 {
                                return record.locators.first?.locator.description == "127.0.1.\(host % 4 + 1)"
                            }
                            return record.isNegative && result.negative?.ttlMinutes == 1
                        }
                    }
                    var correct = 0
                    for try await ok in group where ok {
                        correct += 1
                    }
                    return correct
                }
                #expect(answered == 10_000)
                let status = await resolver.status()
                #expect(status.inFlight == 0)
                #expect(status.queued == 0)
                #expect(status.health == .ok)
            }
        }
    }
}
