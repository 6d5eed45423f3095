import Testing

@testable import LocusEngine

@Suite("registrations_api address")
struct RegistrationsEndpointTests {
    @Test("host and port, with the map-server's path when none is given")
    func defaults() throws {
        let endpoint = try RegistrationsEndpoint(parsing: "http://127.0.0.1:9442")
        #expect(endpoint.host == "127.0.0.1")
        #expect(endpoint.port == 9442)
        #expect(endpoint.path == "/registrations")
    }

    @Test("an explicit path and an IPv6 host are kept")
    func explicitPathAndIPv6() throws {
        let endpoint = try RegistrationsEndpoint(parsing: "http://[::1]:8080/api/registrations")
        #expect(endpoint.host == "::1")
        #expect(endpoint.port == 8080)
        #expect(endpoint.path == "/api/registrations")
    }

    @Test(
        "other schemes and bad ports are refused",
        arguments: ["https://127.0.0.1:9442", "http://127.0.0.1:0", "http://127.0.0.1:x", "127.0.0.1:9442"]
    )
    func refused(text: String) {
        #expect(throws: RegistrationsEndpointError.self) { try RegistrationsEndpoint(parsing: text) }
    }
}
