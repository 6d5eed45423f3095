import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One answer of the read-only HTTP API.
struct HTTPAPIResponse: Sendable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: [UInt8]

    static func json(_ body: [UInt8]) -> HTTPAPIResponse {
        HTTPAPIResponse(status: .ok, contentType: "application/json", body: body)
    }

    static func text(_ status: HTTPResponseStatus, _ message: String) -> HTTPAPIResponse {
        HTTPAPIResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array((message + "\n").utf8))
    }

    /// Writes the whole response; `closing` says the connection ends after it.
    func write(
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        version: HTTPVersion,
        closing: Bool
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        if closing {
            headers.add(name: "Connection", value: "close")
        }
        try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
        try await outbound.write(.end(nil))
    }
}

/// How much of the server one client, or many, may hold.
public struct HTTPAPILimits: Sendable, Hashable {
    /// A connection that sends nothing for this long is closed, so that idle or stalled clients do not
    /// keep their connections forever.
    public var idleTimeout: Duration
    /// Connections served at once; one more is answered 503 and closed.
    public var maxConnections: Int

    public init(idleTimeout: Duration = .seconds(30), maxConnections: Int = 64) {
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}

/// A minimal HTTP/1.1 server for GET requests whose answers come from an async closure.
struct HTTPAPIServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    typealias Handler = @Sendable (_ method: HTTPMethod, _ path: String) async -> HTTPAPIResponse

    let listener: NIOAsyncChannel<Connection, Never>
    let localAddress: SocketAddress
    let limits: HTTPAPILimits

    static func bind(
        to address: SocketAddress,
        limits: HTTPAPILimits,
        group: any EventLoopGroup
    ) async throws -> HTTPAPIServer {
        let idle = TimeAmount.nanoseconds(Int64(limits.idleTimeout.timeInterval * 1e9))
        let listener: NIOAsyncChannel<Connection, Never>
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(to: address) { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                        try channel.pipeline.syncOperations.addHandlers(
                            IdleStateHandler(readTimeout: idle),
                            IdleConnectionCloser()
                        )
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError {
            throw LISPNetError.cannotListen(
                address: address.hostPortDescription,
                protocol: "TCP",
                errno: error.errnoCode
            )
        }
        guard let local = listener.channel.localAddress else {
            try? await listener.channel.close()
            throw LISPNetError.socketHasNoAddress
        }
        return HTTPAPIServer(listener: listener, localAddress: local, limits: limits)
    }

    /// Accepts connections until the listener closes or the task is cancelled.
    func serve(handler: @escaping Handler) async {
        let open = OpenConnections(limit: limits.maxConnections)
        await withDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        switch open.admit() {
                        case .serve:
                            group.addTask {
                                await Self.handle(connection, handler: handler)
                                open.release(.serve)
                            }
                        case .refuse:
                            group.addTask {
                                await Self.refuse(connection)
                                open.release(.refuse)
                            }
                        case .drop:
                            // Refusals are capped too: past them a connection is closed unanswered.
                            try? await connection.channel.close()
                        }
                    }
                }
            } catch {
                // The listener closed: nothing left to accept.
            }
        }
    }

    /// How long a refused connection may take to send its request before it is closed unanswered.
    static let refusalDeadline = TimeAmount.seconds(1)

    /// Answers the first request of a connection over the limit with 503 and closes it. HTTP allows a
    /// response only to a request, so the request is read first, for a second at most.
    private static func refuse(_ connection: Connection) async {
        let channel = connection.channel
        channel.eventLoop.scheduleTask(in: refusalDeadline) { channel.close(promise: nil) }
        let response = HTTPAPIResponse.text(.serviceUnavailable, "too many connections; try again later")
        try? await connection.executeThenClose { inbound, outbound in
            for try await part in inbound {
                if case .end = part { break }
            }
            try await response.write(to: outbound, version: .http1_1, closing: true)
        }
    }

    func close() async {
        try? await listener.channel.close()
    }

    private static func handle(_ connection: Connection, handler: Handler) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var request: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        request = head
                    case .body:
                        continue
                    case .end:
                        guard let head = request else { continue }
                        request = nil
                        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
                        let response = await handler(head.method, path)
                        try await response.write(to: outbound, version: head.version, closing: !head.isKeepAlive)
                        if !head.isKeepAlive {
                            return
                        }
                    }
                }
            }
        } catch {
            // A client that goes away mid-request only costs us its connection.
        }
    }
}

/// Closes a connection when its IdleStateHandler says nothing was read for the idle timeout.
private final class IdleConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// The connections being served and being refused, shared by the accept loop and the connections' tasks.
private final class OpenConnections: Sendable {
    enum Admission {
        case serve, refuse, drop
    }

    private let counts = Mutex((serving: 0, refusing: 0))
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Serves one more connection if the limit allows it, else refuses it while as many are being
    /// refused, else drops it.
    func admit() -> Admission {
        counts.withLock { counts in
            if counts.serving < limit {
                counts.serving += 1
                return .serve
            }
            if counts.refusing < limit {
                counts.refusing += 1
                return .refuse
            }
            return .drop
        }
    }

    func release(_ admission: Admission) {
        counts.withLock { counts in
            switch admission {
            case .serve: counts.serving -= 1
            case .refuse: counts.refusing -= 1
            case .drop: break
            }
        }
    }
}
