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

    @Test func aRefusedConnectionThatSendsNothingIsClosedWithinASecondOrSo() async throws {
        let limits = HTTPAPILimits(idleTimeout: .seconds(60), maxConnections: 1)
        try await withMapServer(Self.configuration(limits)) { _, addresses in
            let api = try #require(addresses.api)
            let held = try await Self.heldConnection(api)
            // Over the limit and silent: with a 60 s idle timeout, only the refusal deadline closes it.
            let silent = try await Self.connect(api)
            #expect(try await Self.serverCloses(silent, within: .seconds(20)))
            try await held.channel.close()
        }
    }

    /// A keep-alive connection that has been answered once, and so is being served: it holds a slot until
    /// its channel closes.
    static func heldConnection(_ address: SocketAddress) async throws -> RawConnection {
        let connection = try await connect(address)
        let (answered, signal) = AsyncStream.makeStream(of: Void.self)
        Task {
            try? await connection.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /registrations HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                for try await chunk in inbound where String(buffer: chunk).contains("HTTP/1.1 200") {
                    signal.yield()
                }
            }
            signal.finish()
        }
        for await _ in answered { break }
        return connection
    }

    @Test func connectionsOverTheCapAreAnswered503UntilOneCloses() async throws {
        let limits = HTTPAPILimits(idleTimeout: .seconds(60), maxConnections: 2)
        try await withMapServer(Self.configuration(limits)) { _, addresses in
            let api = try #require(addresses.api)
            let first = try await Self.heldConnection(api)
            let second = try await Self.heldConnection(api)
            #expect(try await httpGet(api, path: "/registrations").status == 503)
            try await first.channel.close()
            // The server counts the slot free once it has seen the close.
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
