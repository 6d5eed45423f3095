import NIOCore
import NIOHTTP1
import NIOPosix

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
}

/// A minimal HTTP/1.1 server for GET requests whose answers come from an async closure.
struct HTTPAPIServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    typealias Handler = @Sendable (_ method: HTTPMethod, _ path: String) async -> HTTPAPIResponse

    let listener: NIOAsyncChannel<Connection, Never>
    let localAddress: SocketAddress

    static func bind(to address: SocketAddress, group: any EventLoopGroup) async throws -> HTTPAPIServer {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(to: address) { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try Connection(wrappingChannelSynchronously: channel)
                }
            }
        guard let local = listener.channel.localAddress else {
            try? await listener.channel.close()
            throw LISPNetError.socketHasNoAddress
        }
        return HTTPAPIServer(listener: listener, localAddress: local)
    }

    /// Accepts connections until the listener closes or the task is cancelled.
    func serve(handler: @escaping Handler) async {
        await withDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await Self.handle(connection, handler: handler) }
                    }
                }
            } catch {
                // The listener closed: nothing left to accept.
            }
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
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Type", value: response.contentType)
                        headers.add(name: "Content-Length", value: String(response.body.count))
                        if !head.isKeepAlive {
                            headers.add(name: "Connection", value: "close")
                        }
                        let responseHead = HTTPResponseHead(
                            version: head.version,
                            status: response.status,
                            headers: headers
                        )
                        try await outbound.write(.head(responseHead))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                        try await outbound.write(.end(nil))
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
