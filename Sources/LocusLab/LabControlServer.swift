import Logging
import NIOCore
import NIOPosix

/// The lab's control port: a TCP listener on loopback that reads one request line per connection
/// (``LabControlRequest``), answers one line (``LabControlReply``) and closes.
///
/// A client cannot hang it or make it hold much: a request must arrive whole within `readDeadline`, may
/// not be longer than `maximumRequestBytes`, and at most `maximumConnections` are served at once (more are
/// told so and closed). Call ``run()`` in a task of its own; ``shutdown()`` ends it.
public actor LabControlServer {
    public typealias Handler = @Sendable (LabControlRequest) async -> LabControlReply

    public struct Limits: Sendable {
        public var readDeadline: Duration
        public var maximumRequestBytes: Int
        public var maximumConnections: Int

        public init(readDeadline: Duration = .seconds(5), maximumRequestBytes: Int = 8192, maximumConnections: Int = 32)
        {
            self.readDeadline = readDeadline
            self.maximumRequestBytes = maximumRequestBytes
            self.maximumConnections = maximumConnections
        }
    }

    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    private enum State {
        case initial
        case starting
        case running(NIOAsyncChannel<Connection, Never>)
        case stopped
    }

    private let address: SocketAddress
    private let limits: Limits
    private let handler: Handler
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var state: State = .initial
    private var readyWaiters: [CheckedContinuation<SocketAddress, any Error>] = []
    private var connections = 0

    /// - Parameter address: where to listen, e.g. 127.0.0.1 port 0 for one the kernel picks.
    public init(
        address: SocketAddress,
        limits: Limits = Limits(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "locus.lab.control"),
        handler: @escaping Handler
    ) {
        self.address = address
        self.limits = limits
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.handler = handler
    }

    /// Binds and serves until ``shutdown()`` or cancellation.
    public func run() async throws {
        guard case .initial = state else { throw LabError.invalidConfiguration("the control port runs already") }
        state = .starting
        let listener: NIOAsyncChannel<Connection, Never>
        do {
            listener = try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture { try Connection(wrappingChannelSynchronously: channel) }
                }
        } catch {
            state = .stopped
            failWaiters(error)
            throw error
        }
        guard case .starting = state, let local = listener.channel.localAddress else {
            try? await listener.channel.close()
            state = .stopped
            failWaiters(LabError.stopped)
            return
        }
        state = .running(listener)
        logger.info("control port listening", metadata: ["address": "\(local)"])
        for waiter in readyWaiters { waiter.resume(returning: local) }
        readyWaiters.removeAll()
        let limits = self.limits
        let handler = self.handler
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await connection in inbound {
                            guard self.admit() else {
                                group.addTask { await Self.turnAway(connection, limits: limits) }
                                continue
                            }
                            group.addTask {
                                await Self.serve(connection, limits: limits, handler: handler)
                                await self.release()
                            }
                        }
                    }
                } catch {
                    // The listener closed: nothing more to accept.
                }
                // Requests still waiting (a move's delay) end with the lab.
                group.cancelAll()
            }
        } onCancel: {
            Task { try? await listener.channel.close() }
        }
        state = .stopped
    }

    /// Where it listens, once ``run()`` has bound.
    public func localAddress() async throws -> SocketAddress {
        switch state {
        case .running(let listener):
            guard let local = listener.channel.localAddress else { throw LabError.stopped }
            return local
        case .stopped: throw LabError.stopped
        case .initial, .starting: return try await withCheckedThrowingContinuation { readyWaiters.append($0) }
        }
    }

    /// Closes the listener; ``run()`` returns once the requests in progress are ended.
    public func shutdown() async {
        switch state {
        case .running(let listener):
            try? await listener.channel.close()
        case .initial, .starting:
            state = .stopped
            failWaiters(LabError.stopped)
        case .stopped:
            break
        }
    }

    private func admit() -> Bool {
        guard connections < limits.maximumConnections else { return false }
        connections += 1
        return true
    }

    private func release() {
        connections -= 1
    }

    private func failWaiters(_ error: any Error) {
        for waiter in readyWaiters { waiter.resume(throwing: error) }
        readyWaiters.removeAll()
    }

    // MARK: One connection

    private static func serve(_ connection: Connection, limits: Limits, handler: Handler) async {
        let channel = connection.channel
        // The whole request, not each read, must arrive in time: a client trickling a byte a second is cut
        // off as surely as a silent one.
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(limits.readDeadline)) {
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let read = try await LabControlLineReader.read(limit: limits.maximumRequestBytes) {
                    try await iterator.next()
                }
                let reply: LabControlReply
                switch read {
                case .closed:
                    return
                case .tooLong:
                    reply = .refusal("a request is one line of at most \(limits.maximumRequestBytes) bytes")
                case .line(let bytes):
                    deadline.cancel()
                    do {
                        let request = try LabControlCoding.decode(LabControlRequest.self, from: bytes)
                        reply = await handler(request)
                    } catch {
                        reply = .refusal(
                            "not a request: one JSON object on one line, like {\"version\":1,\"request\":\"status\"}"
                        )
                    }
                }
                try await outbound.write(ByteBuffer(bytes: try LabControlCoding.line(reply)))
                if case .tooLong = read {
                    // Read what is still coming (and drop it) until the client hangs up or the deadline ends it,
                    // so closing does not reset the connection before the client has read the refusal.
                    while try await iterator.next() != nil {}
                }
            }
        } catch {
            // A client that goes away or runs out of time only costs its own connection.
        }
    }

    private static func turnAway(_ connection: Connection, limits: Limits) async {
        try? await connection.executeThenClose { _, outbound in
            let reply = LabControlReply.refusal("busy: \(limits.maximumConnections) requests in progress; try again")
            try await outbound.write(ByteBuffer(bytes: try LabControlCoding.line(reply)))
        }
    }
}
