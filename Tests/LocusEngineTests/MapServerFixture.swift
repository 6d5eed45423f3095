import Foundation
import LISP
import LISPNet
import LocusCore
import NIOCore
import Testing

/// The project's map-server, in process on loopback, that a test can stop and start again on the
/// same ports.
actor MapServerFixture {
    static let eastKey = Array("east-secret".utf8)
    static let westKey = Array("west-secret".utf8)

    private var configuration: MapServerConfiguration
    private var server: MapServer
    private var task: Task<Void, any Error>
    private(set) var addresses: MapServer.BoundAddresses

    /// Starts a map-server for sites `dc-east` (key 1) and `dc-west` (key 2), both allowed to register
    /// any host route in 10.1.0.0/16, so a workload can move between them.
    init(
        registrationTimeout: Duration = .seconds(180),
        subscriptionLimits: SubscriptionLimits = SubscriptionLimits()
    ) async throws {
        let prefix = try #require(EIDPrefix("10.1.0.0/16"))
        configuration = MapServerConfiguration(
            listen: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            api: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            registrationTimeout: registrationTimeout,
            sites: [
                .init(
                    name: "dc-east",
                    keyID: 1,
                    algorithm: .hmacSHA256,
                    secret: Self.eastKey,
                    prefixes: [prefix],
                    acceptMoreSpecifics: true
                ),
                .init(
                    name: "dc-west",
                    keyID: 2,
                    algorithm: .hmacSHA256,
                    secret: Self.westKey,
                    prefixes: [prefix],
                    acceptMoreSpecifics: true
                ),
            ],
            publicationRetransmits: [.milliseconds(300), .milliseconds(300), .milliseconds(600)],
            subscriptionLimits: subscriptionLimits,
            maintenanceInterval: .milliseconds(50)
        )
        (server, task, addresses) = try await Self.start(configuration)
        // Later starts reuse the ports the kernel chose, as a restarted daemon would.
        configuration.listen = addresses.listen
        configuration.api = addresses.api
    }

    private static func start(
        _ configuration: MapServerConfiguration
    ) async throws -> (MapServer, Task<Void, any Error>, MapServer.BoundAddresses) {
        let server = MapServer(configuration: configuration)
        let task = Task { try await server.run() }
        let addresses = try await server.boundAddresses()
        return (server, task, addresses)
    }

    /// Stops answering: the resolver is gone.
    func statistics() async -> MapServerStatistics {
        await server.statistics()
    }

    func stop() async {
        await server.shutdown()
        task.cancel()
        _ = await task.result
    }

    /// Starts a new map-server on the same ports, with an empty registration table.
    func restart() async throws {
        (server, task, addresses) = try await Self.start(configuration)
    }

    var resolver: Endpoint {
        Endpoint(host: "127.0.0.1", port: UInt16(addresses.listen.port ?? 0))
    }

    var registrationsAPI: String {
        "http://127.0.0.1:\(addresses.api?.port ?? 0)"
    }
}

/// An xTR of one site registering EIDs with its RLOC, through the project's registration client.
actor SimulatedXTR {
    let rloc: String
    private let client: RegistrationClient
    private let task: Task<Void, any Error>

    init(keyID: UInt8, secret: [UInt8], rloc: String, siteID: UInt64, mapServer: SocketAddress) async throws {
        self.rloc = rloc
        client = RegistrationClient(
            configuration: RegistrationConfiguration(
                mapServer: mapServer,
                keyID: keyID,
                algorithm: .hmacSHA256,
                secret: secret,
                xtrIdentity: XTRIdentity(xtrID: XTRID(high: siteID, low: UInt64(keyID)), siteID: siteID),
                retry: RetryPolicy(initialTimeout: .milliseconds(200), attempts: 5, maximumTimeout: .seconds(1))
            )
        )
        let client = self.client
        task = Task { try await client.run() }
        _ = try await client.localAddress()
    }

    static func east(_ server: MapServerFixture) async throws -> SimulatedXTR {
        try await SimulatedXTR(
            keyID: 1,
            secret: MapServerFixture.eastKey,
            rloc: "127.0.1.1",
            siteID: 1,
            mapServer: await server.addresses.listen
        )
    }

    static func west(_ server: MapServerFixture) async throws -> SimulatedXTR {
        try await SimulatedXTR(
            keyID: 2,
            secret: MapServerFixture.westKey,
            rloc: "127.0.2.1",
            siteID: 2,
            mapServer: await server.addresses.listen
        )
    }

    /// Registers `eids` (host addresses) with this xTR's RLOC in one Map-Register and waits for the
    /// map-server's Map-Notify.
    func register(_ eids: String..., ttlMinutes: UInt32 = 1440) async throws {
        try await register(eids, ttlMinutes: ttlMinutes)
    }

    func register(_ eids: [String], ttlMinutes: UInt32 = 1440) async throws {
        guard let locator = LISP.IPAddress(rloc) else {
            throw TimedOut(description: "\(rloc) is not an address")
        }
        var records: [EIDRecord] = []
        for eid in eids {
            records.append(
                EIDRecord(
                    prefix: try #require(EIDPrefix(eid + "/32")),
                    ttlMinutes: ttlMinutes,
                    isAuthoritative: true,
                    locators: [RLOCRecord(locator: LISPAddress(locator), isLocal: true)]
                )
            )
        }
        try await client.register(records)
    }

    func stop() async {
        await client.shutdown()
        task.cancel()
        _ = await task.result
    }
}
