import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("Map-server and clients over IPv6 loopback")
struct IPv6Tests {
    @Test("register and resolve IPv6 and IPv4 EIDs through a map-server on ::1")
    func overIPv6() async throws {
        let v6Loopback = try SocketAddress(ipAddress: "::1", port: 0)
        let site = MapServerConfiguration.Site(
            name: "dc-v6",
            keyID: 3,
            algorithm: .hmacSHA256,
            secret: Fixture.eastSecret,
            prefixes: [EIDPrefix("2001:db8::/32")!, EIDPrefix("10.1.0.0/16")!],
            acceptMoreSpecifics: true
        )
        try await withMapServer(Fixture.configuration(sites: [site], listen: v6Loopback)) { _, addresses in
            var registration = Fixture.east(addresses.listen)
            registration.localAddress = v6Loopback
            registration.keyID = 3
            try await withRegistrar(registration) { registrar in
                try await registrar.register([
                    Fixture.record("2001:db8:1::7/128", rlocs: ["2001:db8:ff::1"]),
                    Fixture.record("10.1.0.7/32", rlocs: ["2001:db8:ff::2"]),
                ])
            }
            var configuration = Fixture.resolver(addresses.listen)
            configuration.localAddress = v6Loopback
            try await withResolver(configuration) { resolver in
                let v6 = try #require(try await resolver.resolve(EIDPrefix("2001:db8:1::7")!).records.first)
                #expect(v6.locators.map(\.locator.description) == ["2001:db8:ff::1"])
                // An IPv4 EID asked over IPv6: the inner header cannot carry both families.
                let v4 = try #require(try await resolver.resolve(EIDPrefix("10.1.0.7")!).records.first)
                #expect(v4.locators.map(\.locator.description) == ["2001:db8:ff::2"])
                let negative = try #require(try await resolver.resolve(EIDPrefix("2001:db8:2::1")!).negative)
                #expect(negative.ttlMinutes == 1)
                // Shares 46 bits with the registered 2001:db8:1::7.
                #expect(negative.prefix == EIDPrefix("2001:db8:2::/47"))
            }
        }
    }
}
