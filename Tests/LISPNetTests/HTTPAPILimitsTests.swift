import Foundation
import LISPNet
import NIOCore
import NIOPosix
import Testing

/// The registrations API fit to face more than one polite client: idle connections are closed, and the
/// number served at once is capped.
@Suite("The map-server's HTTP API limits")
struct HTTPAPILimitsTests {
    typealias RawConnection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func configuration(_ limits: HTTPAPILimits) -> MapServerConfiguration {
        var configuration = Fixture.configuration(api: true)
        configuration.apiLimits = limits
        return configuration
    }

    static func connect(_ address: SocketAddress) async throws -> RawConnection {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(to: address) { channel in
            channel.eventLoop.makeCompletedFuture { try RawConnection(wrappingChannelSynchronously: channel) }
        }
    }

    /// Reads until the server closes the connection, or gives up after `deadline`; returns whether it closed.
    static func serverCloses(_ connection: RawConnection, within deadline: Duration) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await connection.executeThenClose { inbound, _ in
                    for try await _ in inbound {}
                }
                return true
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            if !first { try? await connection.channel.close() }
            return first
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() async throws {
        let limits = HTTPAPILimits(idleTimeout: .milliseconds(200), maxConnections: 4)
        try await withMapServer(Self.configuration(limits)) { _, addresses in
            let api = try #require(addresses.api)
            let silent = try await Self.connect(api)
            #expect(try await Self.serverCloses(silent, within: .seconds(10)))
            // The server still answers a client that asks.
            #expect(try await httpGet(api, path: "/registrations").status == 200)
        }
    }

    @Test func connectionsOverTheCapAreAnswered503UntilOneCloses() async throws {
        let limits = HTTPAPILimits(idleTimeout: .seconds(60), maxConnections: 2)
        try await withMapServer(Self.configuration(limits)) { _, addresses in
            let api = try #require(addresses.api)
            let first = try await Self.connect(api)
            let second = try await Self.connect(api)
            // Both are admitted once the server has accepted them; until then a GET may still be served.
            var refused = false
            for _ in 0..<100 where !refused {
                refused = try await httpGet(api, path: "/registrations").status == 503
                if !refused { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(refused, "a third connection was served while two were open")
            try await first.channel.close()
            var served = false
            for _ in 0..<250 where !served {
                served = try await httpGet(api, path: "/registrations").status == 200
                if !served { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(served, "no connection was served after one of the two closed")
            try await second.channel.close()
        }
    }
}
