import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("A withdrawal removes only the withdrawing registerer's own registration")
struct WithdrawalTests {
    @Test("a late withdrawal from the site a VM moved away from leaves the new site's locators in place")
    func lateWithdrawalAfterMove() async throws {
        let shared = Fixture.sites(eastPrefix: "10.0.0.0/8", westPrefix: "10.0.0.0/8")
        try await withMapServer(Fixture.configuration(sites: shared, api: true)) { server, addresses in
            let api = try #require(addresses.api)
            try await withResolver(Fixture.resolver(addresses.listen)) { resolver in
                let subscription = try await resolver.subscribe(EIDPrefix("10.1.0.9")!)
                #expect(await eventually { await server.statistics().unacknowledgedPublications == 0 })
                try await withRegistrar(Fixture.east(addresses.listen)) { east in
                    try await east.register([Fixture.record("10.1.0.9/32", rlocs: ["127.0.1.1"])])
                    let registered = try #require(await nextValue(of: subscription.updates))
                    #expect(registered.first?.locators.map(\.locator.description) == ["127.0.1.1"])

                    try await withRegistrar(Fixture.west(addresses.listen)) { west in
                        try await west.register([Fixture.record("10.1.0.9/32", rlocs: ["127.0.2.1"])])
                        let moved = try #require(await nextValue(of: subscription.updates))
                        #expect(moved.first?.locators.map(\.locator.description) == ["127.0.2.1"])

                        try await east.withdraw([EIDPrefix("10.1.0.9/32")!])

                        let answer = try await resolver.resolve(EIDPrefix("10.1.0.9")!)
                        let record = try #require(answer.records.first)
                        #expect(answer.negative == nil)
                        #expect(record.locators.map(\.locator.description) == ["127.0.2.1"])

                        let (status, body) = try await httpGet(api, path: "/registrations")
                        #expect(status == 200)
                        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                        let registrations = try #require(json["registrations"] as? [[String: Any]])
                        #expect(registrations.count == 1)
                        #expect(registrations.first?["site"] as? String == "dc-west")
                        #expect(registrations.first?["xtr_id"] as? String == "00000000000000000000000000003e57")

                        // Had the ignored withdrawal been published, it would arrive before this change.
                        try await west.register([Fixture.record("10.1.0.9/32", rlocs: ["127.0.2.1", "127.0.2.2"])])
                        let next = try #require(await nextValue(of: subscription.updates))
                        #expect(next.first?.ttlMinutes == 1440)
                        #expect(next.first?.locators.map(\.locator.description) == ["127.0.2.1", "127.0.2.2"])
                    }
                }
            }
        }
    }
}
