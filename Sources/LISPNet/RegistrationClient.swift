import Foundation
import LISP
import Logging
import NIOCore
import NIOPosix

/// An ETR's registration client: authenticated Map-Registers with strictly increasing nonces, verified
/// Map-Notifies, retransmission with backoff.
///
/// Map-Notifies the client did not ask for (the map-server telling this ETR that another site took a prefix
/// over) are verified, acknowledged and delivered on `notifications`.
public actor RegistrationClient {
    private enum State {
        case initial
        case starting
        case running(DatagramSocket)
        case stopped
    }

    private enum Outcome: Sendable {
        case notified(MapNotify)
        case timeout
        case stopped
    }

    private struct Pending {
        /// Each transmission gets a new nonce (a repeated one would be dropped as a replay); a Map-Notify
        /// for any of them completes the register.
        var nonces: [UInt64]
        var continuation: CheckedContinuation<Outcome, Never>?
        var timer: Scheduled<Void>?
    }

    public nonisolated let configuration: RegistrationConfiguration
    /// Verified Map-Notifies that answer no outstanding register, the latest `keptNotifications` of
    /// them while nobody reads.
    public nonisolated let notifications: AsyncStream<MapNotify>
    public static let keptNotifications = 64
    private let notificationsContinuation: AsyncStream<MapNotify>.Continuation
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var state: State = .initial
    private var readyWaiters: [CheckedContinuation<DatagramSocket, any Error>] = []
    private var nextNonce: UInt64
    private var pending: [Int: Pending] = [:]
    private var pendingByNonce: [UInt64: Int] = [:]
    private var nextRegisterID = 0
    private var lastSentNonce: UInt64?
    /// Map-Notifies dropped because their MAC did not verify.
    public private(set) var rejectedNotifies = 0

    public init(
        configuration: RegistrationConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "locus.registration")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.nextNonce = configuration.firstNonce ?? UInt64(Date().timeIntervalSince1970 * 1_000_000)
        // Only the latest matter to a reader that looks now and then; one that never looks (the lab's
        // xTRs) must not make them pile up.
        (self.notifications, self.notificationsContinuation) = AsyncStream.makeStream(
            of: MapNotify.self,
            bufferingPolicy: .bufferingNewest(Self.keptNotifications)
        )
    }

    // MARK: Lifecycle

    public func run() async throws {
        guard case .initial = state else { throw LISPNetError.alreadyRunning }
        state = .starting
        let socket: DatagramSocket
        do {
            let local = try await ClientSupport.localAddress(
                preferred: configuration.localAddress,
                toward: configuration.mapServer,
                group: eventLoopGroup
            )
            socket = try await DatagramSocket.bind(to: local, receiveBufferBytes: 256 << 10, group: eventLoopGroup)
        } catch {
            state = .stopped
            failWaiters(error)
            throw error
        }
        guard case .starting = state else {
            await socket.close()
            failWaiters(LISPNetError.shutDown)
            return
        }
        state = .running(socket)
        for waiter in readyWaiters {
            waiter.resume(returning: socket)
        }
        readyWaiters.removeAll()
        await withTaskCancellationHandler {
            for await batch in socket.inbound {
                handle(batch, on: socket)
            }
        } onCancel: {
            Task { await socket.close() }
        }
        await socket.close()
        stop()
    }

    public func localAddress() async throws -> SocketAddress {
        try await readySocket().localAddress
    }

    public func shutdown() async {
        switch state {
        case .running(let socket): await socket.close()
        case .initial, .starting: stop()
        case .stopped: break
        }
    }

    /// The nonce of the last Map-Register sent.
    public var lastNonce: UInt64? { lastSentNonce }

    // MARK: Registering

    /// Registers `records` and, when the configuration asks for a Map-Notify, waits for it and verifies it.
    ///
    /// - Returns: the verified Map-Notify, or `nil` when none was asked for.
    /// - Throws: `LISPNetError.timedOut` after every retransmission went unanswered.
    @discardableResult
    public func register(_ records: [EIDRecord]) async throws -> MapNotify? {
        let socket = try await readySocket()
        let id = nextRegisterID
        nextRegisterID += 1
        pending[id] = Pending(nonces: [])
        defer {
            if let entry = pending.removeValue(forKey: id) {
                entry.timer?.cancel()
                for nonce in entry.nonces { pendingByNonce[nonce] = nil }
            }
        }
        let attempts = configuration.wantsMapNotify ? configuration.retry.attempts : 1
        for attempt in 0..<attempts {
            guard case .running = state else { throw LISPNetError.shutDown }
            let nonce = nextNonce
            nextNonce &+= 1
            lastSentNonce = nonce
            let payload = try encodeRegister(records, nonce: nonce)
            pending[id]?.nonces.append(nonce)
            pendingByNonce[nonce] = id
            socket.send(DatagramSocket.Envelope(remoteAddress: configuration.mapServer, data: payload))
            guard configuration.wantsMapNotify else { return nil }
            let timeout = configuration.retry.timeout(forAttempt: attempt).timeAmount
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                    pending[id]?.continuation = continuation
                    pending[id]?.timer = socket.channel.eventLoop.scheduleTask(in: timeout) { () -> Void in
                        _ = Task { await self.complete(id, with: .timeout) }
                    }
                }
            } onCancel: {
                Task { await self.complete(id, with: .stopped) }
            }
            switch outcome {
            case .notified(let notify):
                return notify
            case .timeout:
                try Task.checkCancellation()
            case .stopped:
                try Task.checkCancellation()
                throw LISPNetError.shutDown
            }
        }
        throw LISPNetError.timedOut(destination: configuration.mapServer.hostPortDescription, attempts: attempts)
    }

    /// Registers `records` now and again every `interval` (ETRs re-register every 60 s; a map-server expires
    /// a registration after three minutes without one) until the calling task is cancelled.
    ///
    /// A register that goes unanswered is reported through `onFailure` and retried at the next interval.
    public func keepRegistered(
        _ records: [EIDRecord],
        every interval: Duration = .seconds(60),
        onFailure: @Sendable (any Error) -> Void = { _ in }
    ) async {
        while !Task.isCancelled {
            do {
                try await register(records)
            } catch is CancellationError {
                return
            } catch LISPNetError.shutDown {
                return
            } catch {
                onFailure(error)
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    /// Withdraws `prefixes` at once: records with TTL 0.
    @discardableResult
    public func withdraw(_ prefixes: [EIDPrefix]) async throws -> MapNotify? {
        try await register(prefixes.map { EIDRecord(prefix: $0, ttlMinutes: 0) })
    }

    private func encodeRegister(_ records: [EIDRecord], nonce: UInt64) throws -> ByteBuffer {
        let register = MapRegister(
            nonce: nonce,
            keyID: configuration.keyID,
            algorithm: configuration.algorithm,
            records: records,
            wantsProxyReply: configuration.wantsProxyReply,
            expiresByRecordTTL: configuration.expiresByRecordTTL,
            wantsMerge: configuration.wantsMerge,
            wantsMapNotify: configuration.wantsMapNotify,
            xtrIdentity: configuration.xtrIdentity
        )
        var buffer = ByteBuffer()
        try buffer.writeMapRegister(register, signedWith: configuration.secret)
        return buffer
    }

    private func complete(_ id: Int, with outcome: Outcome) {
        guard let continuation = pending[id]?.continuation else { return }
        pending[id]?.continuation = nil
        pending[id]?.timer?.cancel()
        pending[id]?.timer = nil
        continuation.resume(returning: outcome)
    }

    // MARK: Inbound

    private func handle(_ batch: [DatagramSocket.Envelope], on socket: DatagramSocket) {
        var acknowledgements: [DatagramSocket.Envelope] = []
        for envelope in batch {
            var buffer = envelope.data
            guard case .mapNotify(let notify) = try? LISPMessage.decode(from: &buffer) else { continue }
            guard notify.keyID == configuration.keyID,
                (try? LISPAuthentication.verify(envelope.data, key: configuration.secret)) != nil
            else {
                rejectedNotifies += 1
                logger.warning(
                    "dropping a Map-Notify that fails authentication",
                    metadata: ["from": "\(envelope.remoteAddress.hostPortDescription)", "nonce": "\(notify.nonce)"]
                )
                continue
            }
            if let id = pendingByNonce[notify.nonce], pending[id]?.continuation != nil {
                complete(id, with: .notified(notify))
                continue
            }
            notificationsContinuation.yield(notify)
            let ack = MapNotify(
                nonce: notify.nonce,
                keyID: configuration.keyID,
                algorithm: configuration.algorithm,
                records: notify.records,
                xtrIdentity: notify.xtrIdentity
            )
            var payload = ByteBuffer()
            if (try? payload.writeMapNotifyAck(ack, signedWith: configuration.secret)) != nil {
                acknowledgements.append(DatagramSocket.Envelope(remoteAddress: envelope.remoteAddress, data: payload))
            }
        }
        socket.send(acknowledgements)
    }

    // MARK: State

    private func readySocket() async throws -> DatagramSocket {
        switch state {
        case .running(let socket): return socket
        case .stopped: throw LISPNetError.shutDown
        case .initial, .starting: return try await withCheckedThrowingContinuation { readyWaiters.append($0) }
        }
    }

    private func stop() {
        state = .stopped
        failWaiters(LISPNetError.shutDown)
        for id in pending.keys {
            complete(id, with: .stopped)
        }
        notificationsContinuation.finish()
    }

    private func failWaiters(_ error: any Error) {
        for waiter in readyWaiters {
            waiter.resume(throwing: error)
        }
        readyWaiters.removeAll()
    }
}
