import LISP
import Logging
import NIOCore
import NIOPosix

/// A map-resolver client owning one UDP socket: lookups (ECM Map-Requests), RFC 9437 subscriptions, and the
/// resolver's health.
///
/// Replies are matched by nonce alone, since an ETR may answer from another address; a reply whose nonce
/// matches no outstanding request is dropped. At most `inFlightLimit` requests are outstanding; more lookups
/// wait their turn. Run it with `run()` in a task (cancel that task to stop):
/// ```swift
/// let client = ResolverClient(configuration: ResolverConfiguration(resolver: address))
/// async let running: Void = client.run()
/// let result = try await client.resolve(EIDPrefix("10.1.0.7")!)
/// ```
public actor ResolverClient {
    private enum State {
        case initial
        case starting
        case running(DatagramSocket)
        case stopped
    }

    enum Kind {
        case lookup
        case subscribe(EIDPrefix)
    }

    enum Outcome: Sendable {
        case reply(MapReply, from: SocketAddress, at: ContinuousClock.Instant)
        case subscribed(MapNotify, updates: AsyncStream<[EIDRecord]>)
        case timeout
        case stopped
    }

    struct Pending {
        var kind: Kind
        var continuation: CheckedContinuation<Outcome, Never>
        var deadline: ContinuousClock.Instant
    }

    struct Subscription {
        var prefix: EIDPrefix
        var lastNonce: UInt64
        var continuation: AsyncStream<[EIDRecord]>.Continuation
    }

    public nonisolated let configuration: ResolverConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let identity: XTRIdentity
    private var state: State = .initial
    private var readyWaiters: [CheckedContinuation<DatagramSocket, any Error>] = []
    var pending: [UInt64: Pending] = [:]
    /// Subscriptions by the nonce of their subscribe request; publications carry that nonce plus a count.
    var subscriptions: [UInt64: Subscription] = [:]
    private var window: RequestWindow
    var tracker: HealthTracker
    var unmatchedReplies = 0
    var malformed = 0
    var rejectedPublications = 0
    private var generator = SystemRandomNumberGenerator()
    /// Requests queued during this actor turn; sent together so NIO can use one `sendmmsg`.
    private var outbox: [DatagramSocket.Envelope] = []
    private var flushScheduled = false

    public init(
        configuration: ResolverConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "locus.resolver")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        var random = SystemRandomNumberGenerator()
        self.identity =
            configuration.subscriberIdentity
            ?? XTRIdentity(xtrID: XTRID(high: random.next(), low: random.next()), siteID: 0)
        self.window = RequestWindow(limit: configuration.inFlightLimit)
        self.tracker = HealthTracker(
            downAfterTimeouts: configuration.downAfterTimeouts,
            slowThreshold: configuration.slowThreshold
        )
    }

    // MARK: Lifecycle

    /// Binds the socket and processes replies until cancelled or shut down.
    public func run() async throws {
        guard case .initial = state else { throw LISPNetError.alreadyRunning }
        state = .starting
        let socket: DatagramSocket
        do {
            let local = try await ClientSupport.localAddress(
                preferred: configuration.localAddress,
                toward: configuration.resolver,
                group: eventLoopGroup
            )
            socket = try await DatagramSocket.bind(
                to: local,
                receiveBufferBytes: max(256 << 10, configuration.inFlightLimit * 2048),
                vectorReads: DatagramSocket.serverVectorReads,
                group: eventLoopGroup
            )
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
            await withDiscardingTaskGroup { group in
                group.addTask { await self.expirePeriodically() }
                for await batch in socket.inbound {
                    handle(batch, on: socket)
                }
                group.cancelAll()
            }
        } onCancel: {
            Task { await socket.close() }
        }
        await socket.close()
        stop()
    }

    /// The bound local address (the ITR-RLOC), once `run()` has bound it.
    public func localAddress() async throws -> SocketAddress {
        try await readySocket().localAddress
    }

    /// Closes the socket: outstanding lookups fail with `LISPNetError.shutDown`, subscriptions end.
    public func shutdown() async {
        switch state {
        case .running(let socket):
            await socket.close()
        case .initial, .starting:
            stop()
        case .stopped:
            break
        }
    }

    public func status() -> ResolverStatus {
        ResolverStatus(
            health: tracker.health,
            lastRTT: tracker.lastRTT,
            consecutiveTimeouts: tracker.consecutiveTimeouts,
            inFlight: window.inFlight,
            queued: window.queued,
            unmatchedReplies: unmatchedReplies,
            malformed: malformed,
            rejectedPublications: rejectedPublications
        )
    }

    public var health: ResolverHealth { tracker.health }

    // MARK: Lookups

    /// Looks `eid` up (a host address as a /32 or /128, or a prefix), retransmitting with backoff.
    ///
    /// - Throws: `LISPNetError.timedOut` when no reply came after every attempt, `LISPNetError.shutDown`,
    ///   `CancellationError`.
    public func resolve(_ eid: EIDPrefix) async throws -> LookupResult {
        let request = { (nonce: UInt64, itr: LISPAddress) in
            MapRequest(nonce: nonce, itrRLOCs: [itr], records: [MapRequest.Record(prefix: eid)])
        }
        let (outcome, attempts, rtt) = try await exchange(eid: eid, kind: .lookup, request: request)
        guard case .reply(let reply, let from, _) = outcome else { throw LISPNetError.shutDown }
        return LookupResult(
            records: reply.records,
            rtt: rtt,
            respondent: from,
            resolver: configuration.resolver,
            attempts: attempts
        )
    }

    /// Subscribes to changes of `eid` (RFC 9437): the map-server confirms with a Map-Notify carrying the
    /// current mapping and publishes every change; each is acknowledged with a Map-Notify-Ack.
    public func subscribe(_ eid: EIDPrefix) async throws -> MapSubscription {
        let identity = self.identity
        let request = { (nonce: UInt64, itr: LISPAddress) in
            MapRequest(
                nonce: nonce,
                itrRLOCs: [itr],
                records: [MapRequest.Record(prefix: eid, isSubscribe: true)],
                xtrIdentity: identity
            )
        }
        let (outcome, _, _) = try await exchange(eid: eid, kind: .subscribe(eid), request: request)
        guard case .subscribed(let notify, let updates) = outcome else { throw LISPNetError.shutDown }
        return MapSubscription(prefix: eid, initial: notify.records, updates: updates)
    }

    /// Sends `request` until its answer arrives or the attempts run out; returns the outcome, the number of
    /// transmissions and the round trip of the last one.
    private func exchange(
        eid: EIDPrefix,
        kind: Kind,
        request makeRequest: (UInt64, LISPAddress) -> MapRequest
    ) async throws -> (Outcome, Int, Duration) {
        let socket = try await readySocket()
        await acquireSlot()
        defer { releaseSlot() }
        try Task.checkCancellation()
        guard let localIP = IPAddress(socket.localAddress) else { throw LISPNetError.socketHasNoAddress }
        let nonce = makeNonce()
        let packet = try ClientSupport.encapsulate(
            makeRequest(nonce, LISPAddress(localIP)),
            eid: eid.address,
            local: socket.localAddress
        )
        let envelope = DatagramSocket.Envelope(remoteAddress: configuration.resolver, data: packet)
        for attempt in 0..<configuration.retry.attempts {
            guard case .running = state else { throw LISPNetError.shutDown }
            let sentAt = ContinuousClock.now
            enqueue(envelope, on: socket)
            let deadline = sentAt + configuration.retry.timeout(forAttempt: attempt)
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    pending[nonce] = Pending(kind: kind, continuation: continuation, deadline: deadline)
                }
            } onCancel: {
                Task { await self.cancel(nonce) }
            }
            switch outcome {
            case .reply(_, _, let receivedAt):
                let rtt = receivedAt - sentAt
                tracker.recordReply(rtt: rtt)
                return (outcome, attempt + 1, rtt)
            case .subscribed:
                let rtt = ContinuousClock.now - sentAt
                tracker.recordReply(rtt: rtt)
                return (outcome, attempt + 1, rtt)
            case .timeout:
                tracker.recordTimeout()
                try Task.checkCancellation()
            case .stopped:
                try Task.checkCancellation()
                throw LISPNetError.shutDown
            }
        }
        throw LISPNetError.timedOut(
            destination: configuration.resolver.hostPortDescription,
            attempts: configuration.retry.attempts
        )
    }

    private func enqueue(_ envelope: DatagramSocket.Envelope, on socket: DatagramSocket) {
        outbox.append(envelope)
        guard !flushScheduled else { return }
        flushScheduled = true
        Task { self.flush(on: socket) }
    }

    private func flush(on socket: DatagramSocket) {
        flushScheduled = false
        socket.send(outbox)
        outbox.removeAll(keepingCapacity: true)
    }

    /// One sweep per tick instead of a timer per request: cheaper with a thousand requests in flight, at the
    /// price of firing up to one tick late.
    private func expirePeriodically() async {
        let tick = min(configuration.retry.initialTimeout / 5, .milliseconds(50))
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: max(tick, .milliseconds(1)))
            } catch {
                return
            }
            expireOverdue()
        }
    }

    private func expireOverdue() {
        let now = ContinuousClock.now
        let overdue = pending.filter { $0.value.deadline <= now }
        for (nonce, entry) in overdue {
            pending[nonce] = nil
            entry.continuation.resume(returning: .timeout)
        }
    }

    private func cancel(_ nonce: UInt64) {
        guard let entry = pending.removeValue(forKey: nonce) else { return }
        entry.continuation.resume(returning: .stopped)
    }

    // MARK: Window, nonces, state

    private func acquireSlot() async {
        if window.tryAcquire() { return }
        // The releasing request hands its slot over.
        await withCheckedContinuation { window.enqueue($0) }
    }

    private func releaseSlot() {
        window.release()?.resume()
    }

    private func makeNonce() -> UInt64 {
        while true {
            let nonce = generator.next() as UInt64
            // A collision with a subscription's window of 2^32 publication nonces is as likely as guessing a
            // 32-bit number per subscription: not worth a scan per lookup.
            if pending[nonce] == nil && subscriptions[nonce] == nil { return nonce }
        }
    }

    private func readySocket() async throws -> DatagramSocket {
        switch state {
        case .running(let socket):
            return socket
        case .stopped:
            throw LISPNetError.shutDown
        case .initial, .starting:
            return try await withCheckedThrowingContinuation { readyWaiters.append($0) }
        }
    }

    private func stop() {
        state = .stopped
        failWaiters(LISPNetError.shutDown)
        let entries = pending.values
        pending.removeAll()
        for entry in entries {
            entry.continuation.resume(returning: .stopped)
        }
        for subscription in subscriptions.values {
            subscription.continuation.finish()
        }
        subscriptions.removeAll()
    }

    private func failWaiters(_ error: any Error) {
        for waiter in readyWaiters {
            waiter.resume(throwing: error)
        }
        readyWaiters.removeAll()
    }
}
