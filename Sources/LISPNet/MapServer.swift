import Foundation
import LISP
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A LISP map-server and map-resolver on one UDP socket, with an optional HTTP view of its registrations.
///
/// Long-running work happens in `run()`; cancel the task running it (or call `shutdown()`) to stop.
/// ```swift
/// let server = MapServer(configuration: configuration)
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await server.run() }
///     let addresses = try await server.boundAddresses()
///     ...
/// }
/// ```
public actor MapServer {
    /// Where the server actually listens (ports chosen by the kernel when configured as 0).
    public struct BoundAddresses: Sendable, Hashable {
        public var listen: SocketAddress
        public var api: SocketAddress?
    }

    private enum State {
        case initial
        case starting
        case running(socket: DatagramSocket, api: HTTPAPIServer?)
        case stopped
    }

    private var state: State = .initial
    private var logic: MapServerState
    private let configuration: MapServerConfiguration
    private let clock: @Sendable () -> Date
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var readyWaiters: [CheckedContinuation<BoundAddresses, any Error>] = []

    /// - Parameter clock: the wall clock for registration times and expiry; tests pass one they can advance.
    public init(
        configuration: MapServerConfiguration,
        clock: @escaping @Sendable () -> Date = { Date() },
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "locus.mapserver")
    ) {
        self.configuration = configuration
        self.logic = MapServerState(configuration: configuration)
        self.clock = clock
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Binds the sockets and serves until cancelled or shut down.
    public func run() async throws {
        guard case .initial = state else { throw LISPNetError.alreadyRunning }
        state = .starting
        let socket: DatagramSocket
        let api: HTTPAPIServer?
        do {
            socket = try await DatagramSocket.bind(
                to: configuration.listen,
                receiveBufferBytes: configuration.receiveBufferBytes,
                vectorReads: DatagramSocket.serverVectorReads,
                group: eventLoopGroup
            )
            if let apiAddress = configuration.api {
                do {
                    api = try await HTTPAPIServer.bind(
                        to: apiAddress,
                        limits: configuration.apiLimits,
                        group: eventLoopGroup
                    )
                } catch {
                    await socket.close()
                    throw error
                }
            } else {
                api = nil
            }
        } catch {
            state = .stopped
            failWaiters(error)
            throw error
        }
        // shutdown() may have been called while binding.
        guard case .starting = state else {
            await socket.close()
            await api?.close()
            failWaiters(LISPNetError.shutDown)
            return
        }
        state = .running(socket: socket, api: api)
        let addresses = BoundAddresses(listen: socket.localAddress, api: api?.localAddress)
        logger.info(
            "map-server listening",
            metadata: [
                "listen": "\(socket.localAddress.hostPortDescription)",
                "api": "\(api?.localAddress.hostPortDescription ?? "off")",
            ]
        )
        for waiter in readyWaiters {
            waiter.resume(returning: addresses)
        }
        readyWaiters.removeAll()

        await withDiscardingTaskGroup { group in
            if let api {
                group.addTask { await api.serve { method, path in await self.respond(method: method, path: path) } }
            }
            group.addTask { await self.maintainPeriodically() }
            for await batch in socket.inbound {
                handle(batch, on: socket)
            }
            group.cancelAll()
            await socket.close()
            await api?.close()
        }
        state = .stopped
    }

    /// Waits until `run()` has bound its sockets and returns their addresses.
    public func boundAddresses() async throws -> BoundAddresses {
        switch state {
        case .running(let socket, let api):
            return BoundAddresses(listen: socket.localAddress, api: api?.localAddress)
        case .stopped:
            throw LISPNetError.shutDown
        case .initial, .starting:
            return try await withCheckedThrowingContinuation { readyWaiters.append($0) }
        }
    }

    /// Closes the sockets; `run()` returns.
    public func shutdown() async {
        switch state {
        case .running(let socket, let api):
            await socket.close()
            await api?.close()
        case .initial, .starting:
            state = .stopped
            failWaiters(LISPNetError.shutDown)
        case .stopped:
            break
        }
    }

    /// The registration table now (expired entries removed first).
    public func registrations() -> RegistrationsDocument {
        maintain()
        return logic.document()
    }

    /// Counters for the lab and tests.
    public func statistics() -> MapServerStatistics {
        var dropped = 0
        if case .running(let socket, _) = state { dropped = socket.backlog.dropped }
        return MapServerStatistics(
            registrations: logic.table.count,
            subscribers: logic.subscriptions.count,
            unacknowledgedPublications: logic.subscriptions.unacknowledged,
            droppedDatagrams: dropped,
            refusedSubscriptions: logic.subscriptions.refused,
            expiredSubscriptions: logic.subscriptions.expired
        )
    }

    // MARK: Work

    private func handle(_ batch: [DatagramSocket.Envelope], on socket: DatagramSocket) {
        let now = clock()
        var out: [DatagramSocket.Envelope] = []
        for envelope in batch {
            for outbound in logic.receive(envelope.data, from: envelope.remoteAddress, now: now) {
                out.append(DatagramSocket.Envelope(remoteAddress: outbound.destination, data: outbound.payload))
            }
        }
        socket.send(out)
    }

    private func maintain() {
        let out = logic.maintain(now: clock())
        guard case .running(let socket, _) = state, !out.isEmpty else { return }
        socket.send(out.map { DatagramSocket.Envelope(remoteAddress: $0.destination, data: $0.payload) })
    }

    private func maintainPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.maintenanceInterval)
            } catch {
                return
            }
            maintain()
        }
    }

    private func respond(method: HTTPMethod, path: String) -> HTTPAPIResponse {
        guard method == .GET else {
            return .text(.methodNotAllowed, "only GET is supported")
        }
        switch path {
        case "/", "/registrations":
            do {
                return .json(Array(try RegistrationsDocument.makeEncoder().encode(registrations())))
            } catch {
                return .text(.internalServerError, "cannot encode the registration table: \(error)")
            }
        default:
            return .text(.notFound, "not found: \(path); try /registrations")
        }
    }

    private func failWaiters(_ error: any Error) {
        for waiter in readyWaiters {
            waiter.resume(throwing: error)
        }
        readyWaiters.removeAll()
    }
}

public struct MapServerStatistics: Sendable, Hashable {
    public var registrations: Int
    public var subscribers: Int
    /// Publications sent and not yet acknowledged with a Map-Notify-Ack.
    public var unacknowledgedPublications: Int
    /// Datagrams that arrived while the server was this far behind and were dropped.
    public var droppedDatagrams: Int
    /// Subscriptions refused at a limit, and ended for want of renewal.
    public var refusedSubscriptions: Int = 0
    public var expiredSubscriptions: Int = 0
}
