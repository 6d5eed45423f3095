import NIOCore
import NIOHTTP1
import NIOPosix

/// A one-request-per-connection HTTP/1.1 GET over plain TCP, enough for the map-server's JSON table
/// on loopback; anything beyond that (TLS, redirects, chunked uploads) is out of scope.
struct HTTPGetClient: Sendable {
    var group: any EventLoopGroup
    var timeout: Duration
    /// Bodies above this are refused rather than buffered without bound.
    var maximumBodyBytes = 64 << 20

    /// GETs `path` from `host:port`; the status must be 200.
    func get(host: String, port: Int, path: String) async throws(HTTPGetError) -> ByteBuffer {
        let timeout = self.timeout
        do {
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await self.exchange(host: host, port: port, path: path) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let body = first else {
                    throw HTTPGetError.timedOut(url: Self.url(host, port, path), after: timeout)
                }
                return body
            }
        } catch let error as HTTPGetError {
            throw error
        } catch {
            throw .failed(url: Self.url(host, port, path), reason: "\(error)")
        }
    }

    private func exchange(host: String, port: Int, path: String) async throws -> ByteBuffer {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + 1_000_000_000))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        let url = Self.url(host, port, path)
        let limit = maximumBodyBytes
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: "\(host):\(port)")
            head.headers.add(name: "Accept", value: "application/json")
            head.headers.add(name: "Connection", value: "close")
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            var status: HTTPResponseStatus?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let responseHead):
                    status = responseHead.status
                case .body(var chunk):
                    guard body.readableBytes + chunk.readableBytes <= limit else {
                        throw HTTPGetError.failed(url: url, reason: "the answer is larger than \(limit) bytes")
                    }
                    body.writeBuffer(&chunk)
                case .end:
                    guard let status else {
                        throw HTTPGetError.failed(url: url, reason: "the answer had no status line")
                    }
                    guard status == .ok else {
                        throw HTTPGetError.status(url: url, code: Int(status.code), reason: status.reasonPhrase)
                    }
                    return body
                }
            }
            throw HTTPGetError.failed(url: url, reason: "the connection closed before the answer was complete")
        }
    }

    static func url(_ host: String, _ port: Int, _ path: String) -> String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)\(path)"
    }
}

/// Why a GET gave no body, worded for the operator.
enum HTTPGetError: Error, Sendable, Hashable, CustomStringConvertible {
    case timedOut(url: String, after: Duration)
    case status(url: String, code: Int, reason: String)
    case failed(url: String, reason: String)

    var description: String {
        switch self {
        case .timedOut(let url, let after):
            "no answer from \(url) within \(after); is the map-server's api running?"
        case .status(let url, let code, let reason):
            "\(url) answered \(code) \(reason)"
        case .failed(let url, let reason):
            "\(url): \(reason)"
        }
    }
}
