import Foundation
import LISP
import LISPNet
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A wall clock the test moves by hand, so expiry is tested without waiting minutes.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    func now() -> Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

enum Fixture {
    static let eastSecret = Array("east-secret-key".utf8)
    static let westSecret = Array("west-secret-key".utf8)
    static let loopback = try! SocketAddress(ipAddress: "127.0.0.1", port: 0)

    static func sites(
        eastPrefix: String = "10.1.0.0/16",
        westPrefix: String = "10.2.0.0/16"
    )
        -> [MapServerConfiguration.Site]
    {
        [
            MapServerConfiguration.Site(
                name: "dc-east",
                keyID: 1,
                algorithm: .hmacSHA256,
                secret: eastSecret,
                prefixes: [EIDPrefix(eastPrefix)!],
                acceptMoreSpecifics: true
            ),
            MapServerConfiguration.Site(
                name: "dc-west",
                keyID: 2,
                algorithm: .hmacSHA1,
                secret: westSecret,
                prefixes: [EIDPrefix(westPrefix)!],
                acceptMoreSpecifics: true
            ),
        ]
    }

    static func configuration(
        sites: [MapServerConfiguration.Site] = sites(),
        listen: SocketAddress = loopback,
        api: Bool = false,
        registrationTimeout: Duration = .seconds(180)
    ) -> MapServerConfiguration {
        MapServerConfiguration(
            listen: listen,
            api: api ? loopback : nil,
            registrationTimeout: registrationTimeout,
            sites: sites,
            publicationRetransmits: [.milliseconds(200), .milliseconds(200), .milliseconds(400)],
            maintenanceInterval: .milliseconds(20)
        )
    }

    static func record(_ eid: String, rlocs: [String], ttl: UInt32 = 1440) -> EIDRecord {
        EIDRecord(
            prefix: EIDPrefix(eid)!,
            ttlMinutes: ttl,
            locators: rlocs.map { RLOCRecord(locator: LISPAddress(IPAddress($0)!), priority: 1, weight: 100) }
        )
    }

    static func east(
        _ server: SocketAddress,
        xtr: UInt64? = 0xEA57,
        retry: RetryPolicy = quick
    )
        -> RegistrationConfiguration
    {
        RegistrationConfiguration(
            mapServer: server,
            localAddress: loopback,
            keyID: 1,
            algorithm: .hmacSHA256,
            secret: eastSecret,
            xtrIdentity: xtr.map { XTRIdentity(xtrID: XTRID(high: 0, low: $0), siteID: 1) },
            retry: retry
        )
    }

    static func west(
        _ server: SocketAddress,
        xtr: UInt64? = 0x3E57,
        retry: RetryPolicy = quick
    )
        -> RegistrationConfiguration
    {
        RegistrationConfiguration(
            mapServer: server,
            localAddress: loopback,
            keyID: 2,
            algorithm: .hmacSHA1,
            secret: westSecret,
            xtrIdentity: xtr.map { XTRIdentity(xtrID: XTRID(high: 0, low: $0), siteID: 2) },
            retry: retry
        )
    }

    static let quick = RetryPolicy(initialTimeout: .milliseconds(300), attempts: 3, maximumTimeout: .seconds(1))

    static func resolver(
        _ server: SocketAddress,
        retry: RetryPolicy = quick,
        inFlight: Int = 1024
    )
        -> ResolverConfiguration
    {
        ResolverConfiguration(resolver: server, localAddress: loopback, retry: retry, inFlightLimit: inFlight)
    }
}

/// Runs `server` for the duration of `body`.
@discardableResult
func withMapServer<R: Sendable>(
    _ configuration: MapServerConfiguration,
    clock: ManualClock? = nil,
    _ body: (MapServer, MapServer.BoundAddresses) async throws -> R
) async throws -> R {
    let server: MapServer
    if let clock {
        server = MapServer(configuration: configuration, clock: { clock.now() })
    } else {
        server = MapServer(configuration: configuration)
    }
    let task = Task { try await server.run() }
    do {
        let addresses = try await server.boundAddresses()
        let result = try await body(server, addresses)
        await server.shutdown()
        try await task.value
        return result
    } catch {
        await server.shutdown()
        _ = await task.result
        throw error
    }
}

@discardableResult
func withResolver<R: Sendable>(
    _ configuration: ResolverConfiguration,
    _ body: (ResolverClient) async throws -> R
) async throws -> R {
    let client = ResolverClient(configuration: configuration)
    let task = Task { try await client.run() }
    defer { task.cancel() }
    do {
        _ = try await client.localAddress()
        let result = try await body(client)
        await client.shutdown()
        _ = await task.result
        return result
    } catch {
        await client.shutdown()
        _ = await task.result
        throw error
    }
}

@discardableResult
func withRegistrar<R: Sendable>(
    _ configuration: RegistrationConfiguration,
    _ body: (RegistrationClient) async throws -> R
) async throws -> R {
    let client = RegistrationClient(configuration: configuration)
    let task = Task { try await client.run() }
    do {
        _ = try await client.localAddress()
        let result = try await body(client)
        await client.shutdown()
        _ = await task.result
        return result
    } catch {
        await client.shutdown()
        _ = await task.result
        throw error
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration = .seconds(5),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// A plain UDP socket for sending hand-made datagrams (replays, forgeries) and capturing what arrives.
final class RawUDPSocket: Sendable {
    let channel: any Channel
    let received: AsyncStream<AddressedEnvelope<ByteBuffer>>
    private let continuation: AsyncStream<AddressedEnvelope<ByteBuffer>>.Continuation

    init() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: AddressedEnvelope<ByteBuffer>.self)
        self.received = stream
        self.continuation = continuation
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    var localAddress: SocketAddress { channel.localAddress! }

    func send(_ bytes: ByteBuffer, to destination: SocketAddress) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: destination, data: bytes)).get()
    }

    /// The next datagram, or `nil` after `timeout`.
    func next(timeout: Duration = .seconds(5)) async -> AddressedEnvelope<ByteBuffer>? {
        await nextValue(of: received, timeout: timeout)
    }

    func close() async {
        try? await channel.close()
        continuation.finish()
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let continuation: AsyncStream<AddressedEnvelope<ByteBuffer>>.Continuation
        init(continuation: AsyncStream<AddressedEnvelope<ByteBuffer>>.Continuation) {
            self.continuation = continuation
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            continuation.yield(unwrapInboundIn(data))
        }
    }
}

/// Fetches `path` from the API over a real TCP connection with plain sockets; returns status and body.
func httpGet(_ address: SocketAddress, path: String) async throws -> (status: Int, body: Data) {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(to: address) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    var response = ByteBuffer()
    try await channel.executeThenClose { inbound, outbound in
        let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        try await outbound.write(ByteBuffer(string: request))
        for try await chunk in inbound {
            var chunk = chunk
            response.writeBuffer(&chunk)
        }
    }
    let text = String(buffer: response)
    let parts = text.components(separatedBy: "\r\n\r\n")
    let statusLine = parts.first?.split(separator: "\r\n").first ?? ""
    let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
    let body = parts.dropFirst().joined(separator: "\r\n\r\n")
    return (status, Data(body.utf8))
}

/// The next element of `stream`, or `nil` after `timeout` (a timeout ends the stream: only for failures).
func nextValue<Element: Sendable>(of stream: AsyncStream<Element>, timeout: Duration = .seconds(5)) async -> Element? {
    await withTaskGroup(of: Element?.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next()
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
