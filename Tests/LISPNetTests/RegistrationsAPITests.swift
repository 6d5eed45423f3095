import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("The map-server's registrations API over HTTP")
struct RegistrationsAPITests {
    @Test("GET /registrations reflects registrations, expiries and drops")
    func registrationsDocument() async throws {
        let clock = ManualClock()
        try await withMapServer(Fixture.configuration(api: true), clock: clock) { _, addresses in
            let api = try #require(addresses.api)
            try await withRegistrar(Fixture.east(addresses.listen)) { east in
                try await east.register([Fixture.record("10.1.0.7/32", rlocs: ["127.0.1.2", "127.0.1.1"])])
            }
            clock.advance(by: 60)
            try await withRegistrar(Fixture.west(addresses.listen, xtr: nil)) { west in
                try await west.register([Fixture.record("10.2.0.0/24", rlocs: ["127.0.2.1"])])
            }
            var forged = Fixture.west(
                addresses.listen,
                retry: RetryPolicy(initialTimeout: .milliseconds(100), attempts: 1)
            )
            forged.secret = Array("wrong".utf8)
            _ = try? await withRegistrar(forged) { west in
                try await west.register([Fixture.record("10.2.0.0/24", rlocs: ["127.0.2.66"])])
            }

            let (status, body) = try await httpGet(api, path: "/registrations")
            #expect(status == 200)
            let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(json["version"] as? Int == 1)
            #expect(json["registration_timeout_s"] as? Int == 180)
            let registrations = try #require(json["registrations"] as? [[String: Any]])
            #expect(registrations.count == 2)
            let east = try #require(registrations.first { $0["eid_prefix"] as? String == "10.1.0.7/32" })
            #expect(east["site"] as? String == "dc-east")
            #expect(east["iid"] as? Int == 0)
            #expect(east["xtr_id"] as? String == "0000000000000000000000000000ea57")
            #expect(east["site_id"] as? Int == 1)
            #expect(east["ttl_minutes"] as? Int == 1440)
            #expect(east["first_registered"] as? String == "2027-01-15T08:00:00Z")
            #expect((east["registerer"] as? String)?.hasPrefix("127.0.0.1:") == true)
            let locators = try #require(east["locators"] as? [[String: Any]])
            #expect(locators.map { $0["address"] as? String } == ["127.0.1.1", "127.0.1.2"])
            #expect(locators.first?["priority"] as? Int == 1)
            #expect(locators.first?["mpriority"] as? Int == 255)
            #expect(locators.first?["reachable"] as? Bool == true)
            let flags = try #require(east["flags"] as? [String: Any])
            #expect(flags["want_map_notify"] as? Bool == true)
            #expect(flags["xtr_id_present"] as? Bool == true)
            let west = try #require(registrations.first { $0["site"] as? String == "dc-west" })
            #expect(west["xtr_id"] is NSNull)
            #expect(west["first_registered"] as? String == "2027-01-15T08:01:00Z")

            let sites = try #require(json["sites"] as? [[String: Any]])
            let westSite = try #require(sites.first { $0["name"] as? String == "dc-west" })
            #expect(westSite["registrations"] as? Int == 1)
            #expect((westSite["dropped"] as? [String: Any])?["bad_mac"] as? Int == 1)

            // Past the timeout for the first registration only.
            clock.advance(by: 150)
            let (_, later) = try await httpGet(api, path: "/")
            let document = try RegistrationsDocument.makeDecoder().decode(RegistrationsDocument.self, from: later)
            #expect(document.registrations.map(\.eidPrefix) == ["10.2.0.0/24"])
            #expect(document.sites.first { $0.name == "dc-east" }?.registrations == 0)

            let (missing, _) = try await httpGet(api, path: "/nothing")
            #expect(missing == 404)
        }
    }
}
