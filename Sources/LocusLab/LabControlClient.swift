import NIOCore
import NIOPosix

/// Why a request to a lab's control port got no answer.
public enum LabControlError: Error, Sendable, Hashable, CustomStringConvertible {
    case badAddress(String, reason: String)
    /// Nothing accepted the connection, or no reply came, within the timeout.
    case notAnswering(address: String, timeout: Duration, reason: String)
    /// Something answered, but not as a lab does.
    case badReply(address: String, reason: String)

    public var description: String {
        switch self {
        case .badAddress(let text, let reason):
            return "--control \(text): \(reason)"
        case .notAnswering(let address, let timeout, let reason):
            return "the lab is not answering at \(address) within \(timeout): \(reason)"
        case .badReply(let address, let reason):
            return "\(address) did not answer as a lab's control port: \(reason)"
        }
    }
}

/// The client side of ``LabControlServer``: `locus lab move` and `locus lab status`.
public enum LabControlClient {
    /// Replies are small; this only keeps something that is not a lab from filling memory.
    static let maximumReplyBytes = 1 << 20

    /// `127.0.0.1:PORT`, as the lab's mover argv names it; loopback only, since that is where a lab runs.
    public static func address(_ text: String) throws(LabControlError) -> SocketAddress {
        guard let colon = text.lastIndex(of: ":") else {
            throw .badAddress(text, reason: "expected HOST:PORT, like 127.0.0.1:40123")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw .badAddress(text, reason: "the port must be a number from 1 to 65535")
        }
        guard host.hasPrefix("127.") || host == "::1" else {
            throw .badAddress(text, reason: "a lab listens on loopback only (127.0.0.0/8 or ::1)")
        }
        do {
            return try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw .badAddress(text, reason: "\(host) is not an IP address")
        }
    }

    /// Sends `request` and returns the reply; connecting is retried (a lab may be starting) until `timeout`,
    /// which bounds the whole exchange, a move's wait included.
    public static func send(
        _ request: LabControlRequest,
        to address: SocketAddress,
        timeout: Duration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(LabControlError) -> LabControlReply {
        let end = ContinuousClock.now + timeout
        let name = address.hostPortDescription
        var reason = "no connection attempt finished"
        while true {
            let remaining = end - ContinuousClock.now
            guard remaining > .zero else { throw .notAnswering(address: name, timeout: timeout, reason: reason) }
            let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
            do {
                channel = try await ClientBootstrap(group: eventLoopGroup)
                    .connectTimeout(TimeAmount(remaining))
                    .connect(to: address) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
            } catch {
                reason = "\(error)"
                try? await Task.sleep(for: min(.milliseconds(200), remaining))
                continue
            }
            return try await exchange(request, over: channel, name: name, until: end, timeout: timeout)
        }
    }

    private static func exchange(
        _ request: LabControlRequest,
        over connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
        name: String,
        until end: ContinuousClock.Instant,
        timeout: Duration
    ) async throws(LabControlError) -> LabControlReply {
        let channel = connection.channel
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(max(.zero, end - ContinuousClock.now))) {
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        let read: LabControlLineReader.Result
        do {
            read = try await connection.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(bytes: try LabControlCoding.line(request)))
                var iterator = inbound.makeAsyncIterator()
                return try await LabControlLineReader.read(limit: maximumReplyBytes) { try await iterator.next() }
            }
        } catch {
            guard ContinuousClock.now < end else {
                throw .notAnswering(address: name, timeout: timeout, reason: "no reply")
            }
            throw .badReply(address: name, reason: "\(error)")
        }
        switch read {
        case .line(let bytes):
            do {
                return try LabControlCoding.decode(LabControlReply.self, from: bytes)
            } catch {
                throw .badReply(address: name, reason: "the reply is not a lab's: \(error)")
            }
        case .tooLong:
            throw .badReply(address: name, reason: "a reply longer than \(maximumReplyBytes) bytes")
        case .closed:
            guard ContinuousClock.now < end else {
                throw .notAnswering(address: name, timeout: timeout, reason: "no reply")
            }
            throw .badReply(address: name, reason: "the connection closed without a reply")
        }
    }
}
