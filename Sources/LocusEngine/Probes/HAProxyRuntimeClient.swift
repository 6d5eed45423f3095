import LocusCore
import NIOCore
import NIOPosix

/// Talks to HAProxy's Runtime API: one command per connection, the reply read until HAProxy closes.
public struct HAProxyRuntimeClient: Sendable {
    public let address: RuntimeAPIAddress
    public let timeout: Duration
    private let group: any EventLoopGroup
    /// Replies above this are refused rather than buffered without bound.
    private let maximumReplyBytes = 16 << 20

    public init(
        address: RuntimeAPIAddress,
        timeout: Duration = .seconds(2),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.address = address
        self.timeout = timeout
        self.group = eventLoopGroup
    }

    /// Sends one command and returns HAProxy's reply verbatim (without the final empty line).
    ///
    /// - Throws: `unsafeCommand`, before connecting, when the command holds a character that
    ///   would end it or chain another one (a control character, `;`, `\\`, anything not ASCII).
    public func send(_ command: String) async throws(HAProxyError) -> String {
        if let character = command.unicodeScalars.first(where: { !Self.isCommandCharacter($0) }) {
            throw .unsafeCommand(command, character: character, address: address)
        }
        let timeout = self.timeout
        let address = self.address
        do {
            return try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask { try await self.exchange(command) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let reply = first else {
                    throw HAProxyError.timeout(address: address, after: timeout)
                }
                return reply
            }
        } catch let error as HAProxyError {
            throw error
        } catch {
            throw ConnectFailure.classify(error, address: address, timeout: timeout)
        }
    }

    /// Printable ASCII without `;` (HAProxy's command separator) or `\\` (its escape character).
    static func isCommandCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (0x20..<0x7F).contains(scalar.value) && scalar != ";" && scalar != "\\"
    }

    /// `value` as one word of a command, or `unsafeArgument` when HAProxy would not take it as a name.
    ///
    /// Names reach the client from inventories of every kind; checking them here, where commands
    /// are built, keeps unchecked text off the socket whichever way it came.
    func argument(_ value: String, role: String) throws(HAProxyError) -> String {
        // An empty word would change the command's meaning (`show servers state` shows every backend).
        if value.isEmpty || HAProxyName.firstDisallowed(in: value) != nil {
            throw .unsafeArgument(
                role: role,
                value: value,
                character: HAProxyName.firstDisallowed(in: value),
                address: address
            )
        }
        return value
    }

    /// `show servers state BACKEND`, parsed.
    public func serversState(backend: String) async throws(HAProxyError) -> HAProxyServersState {
        let reply = try await send("show servers state \(try argument(backend, role: "backend"))")
        return try HAProxyServersState(parsing: reply, backend: backend, address: address)
    }

    /// `set server BACKEND/SERVER addr ADDRESS port PORT`; returns HAProxy's reply verbatim.
    @discardableResult
    public func setServerAddress(
        backend: String,
        server: String,
        address newAddress: String,
        port: UInt16
    ) async throws(HAProxyError) -> String {
        let target = try serverArgument(backend: backend, server: server)
        let checkedAddress = try argument(newAddress, role: "address")
        let reply = try await send("set server \(target) addr \(checkedAddress) port \(port)")
        try Self.check(reply, backend: backend, server: server, address: address)
        return reply
    }

    /// `enable server BACKEND/SERVER` (leave maintenance); returns HAProxy's reply verbatim.
    @discardableResult
    public func enableServer(backend: String, server: String) async throws(HAProxyError) -> String {
        let reply = try await send("enable server \(try serverArgument(backend: backend, server: server))")
        try Self.check(reply, backend: backend, server: server, address: address)
        return reply
    }

    /// `disable server BACKEND/SERVER` (put it in maintenance); returns HAProxy's reply verbatim.
    @discardableResult
    public func disableServer(backend: String, server: String) async throws(HAProxyError) -> String {
        let reply = try await send("disable server \(try serverArgument(backend: backend, server: server))")
        try Self.check(reply, backend: backend, server: server, address: address)
        return reply
    }

    /// `BACKEND/SERVER`, each part checked.
    private func serverArgument(backend: String, server: String) throws(HAProxyError) -> String {
        "\(try argument(backend, role: "backend"))/\(try argument(server, role: "server"))"
    }

    /// Turns HAProxy's refusals into typed errors; anything else is success, reported verbatim.
    static func check(
        _ reply: String,
        backend: String,
        server: String,
        address: RuntimeAPIAddress
    ) throws(HAProxyError) {
        let text = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("No such backend") || text.hasPrefix("Can't find backend") {
            throw .noSuchBackend(backend, address: address)
        }
        if text.hasPrefix("No such server") {
            throw .noSuchServer(backend: backend, server: server, address: address)
        }
        let refusals = ["Invalid", "Unknown command", "Permission denied", "Require", "unknown", "Failed"]
        if refusals.contains(where: { text.hasPrefix($0) }) {
            throw .refused(command: "\(backend)/\(server)", reply: text, address: address)
        }
    }

    private func exchange(_ command: String) async throws -> String {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(Int64(timeout.milliseconds * 1_000_000)))
        @Sendable func wrap(_ channel: any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> {
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        switch address {
        case .tcp(let endpoint):
            // NIO resolves a name off the cooperative pool, inside the connect timeout.
            channel = try await bootstrap.connect(
                host: endpoint.host,
                port: Int(endpoint.port),
                channelInitializer: wrap
            )
        case .unix(let path):
            channel = try await bootstrap.connect(
                to: try SocketAddress(unixDomainSocketPath: path),
                channelInitializer: wrap
            )
        }
        let limit = maximumReplyBytes
        let address = self.address
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: command + "\n"))
            var reply = ByteBuffer()
            for try await var chunk in inbound {
                guard reply.readableBytes + chunk.readableBytes <= limit else {
                    throw HAProxyError.malformedReply(
                        address: address,
                        reason: "the reply is larger than \(limit) bytes"
                    )
                }
                reply.writeBuffer(&chunk)
            }
            var text = String(buffer: reply)
            // The reply ends with an empty line: drop it, keep the rest as HAProxy wrote it.
            while text.hasSuffix("\n") {
                text.removeLast()
            }
            return text
        }
    }
}
