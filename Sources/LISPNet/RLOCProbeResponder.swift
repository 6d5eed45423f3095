import LISP
import Logging
import NIOCore
import NIOPosix

/// Answers Map-Requests sent to an RLOC, as a simulated ETR does: RLOC probes (P) get a Map-Reply with the P
/// bit, and every answer is authoritative (A = 1) for the EID-prefixes this ETR serves.
///
/// Probes are answered to their source; an encapsulated Map-Request forwarded by a map-server is answered to
/// its ITR-RLOC at the inner source port.
public actor RLOCProbeResponder {
    private enum State {
        case initial
        case running(DatagramSocket)
        case stopped
    }

    private let address: SocketAddress
    private var records: [EIDRecord]
    private let eventLoopGroup: any EventLoopGroup
    private var state: State = .initial
    private var readyWaiters: [CheckedContinuation<SocketAddress, any Error>] = []
    /// Requests answered so far.
    public private(set) var answered = 0

    /// - Parameters:
    ///   - address: the RLOC to listen on, e.g. 127.0.1.1:4342 (port 0 picks one).
    ///   - records: the mappings this ETR is authoritative for.
    public init(
        address: SocketAddress,
        records: [EIDRecord],
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.address = address
        self.records = records
        self.eventLoopGroup = eventLoopGroup
    }

    public func run() async throws {
        guard case .initial = state else { throw LISPNetError.alreadyRunning }
        let socket: DatagramSocket
        do {
            socket = try await DatagramSocket.bind(to: address, receiveBufferBytes: 256 << 10, group: eventLoopGroup)
        } catch {
            state = .stopped
            failWaiters(error)
            throw error
        }
        guard case .initial = state else {
            await socket.close()
            return
        }
        state = .running(socket)
        for waiter in readyWaiters {
            waiter.resume(returning: socket.localAddress)
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
        state = .stopped
    }

    public func localAddress() async throws -> SocketAddress {
        switch state {
        case .running(let socket): return socket.localAddress
        case .stopped: throw LISPNetError.shutDown
        case .initial: return try await withCheckedThrowingContinuation { readyWaiters.append($0) }
        }
    }

    public func shutdown() async {
        switch state {
        case .running(let socket): await socket.close()
        case .initial:
            state = .stopped
            failWaiters(LISPNetError.shutDown)
        case .stopped: break
        }
    }

    /// Replaces the mappings served (after a move).
    public func update(records: [EIDRecord]) {
        self.records = records
    }

    private func handle(_ batch: [DatagramSocket.Envelope], on socket: DatagramSocket) {
        var out: [DatagramSocket.Envelope] = []
        for envelope in batch {
            var buffer = envelope.data
            guard let message = try? LISPMessage.decode(from: &buffer) else { continue }
            let request: MapRequest
            let destination: SocketAddress
            switch message {
            case .mapRequest(let bare):
                request = bare
                destination = envelope.remoteAddress
            case .encapsulated(let ecm):
                guard case .mapRequest(let inner) = ecm.message,
                    let itr = inner.itrRLOCs.compactMap(\.ip).first,
                    let target = try? itr.socketAddress(port: Int(ecm.sourcePort))
                else { continue }
                request = inner
                destination = target
            default:
                continue
            }
            var answers = request.records.compactMap { $0.prefix.flatMap(answer) }
            if answers.isEmpty, request.isProbe {
                // A probe asks whether this locator is alive; for an EID it does not serve, a negative
                // record says so without claiming the EID.
                answers = request.records.compactMap { record in
                    record.prefix.map { EIDRecord(prefix: $0, ttlMinutes: 1, action: .nativelyForward) }
                }
            }
            guard !answers.isEmpty else { continue }
            let reply = MapReply(nonce: request.nonce, records: answers, isProbeReply: request.isProbe)
            var payload = ByteBuffer()
            guard (try? payload.writeMapReply(reply)) != nil else { continue }
            out.append(DatagramSocket.Envelope(remoteAddress: destination, data: payload))
            answered += 1
        }
        socket.send(out)
    }

    /// The most specific served record covering `eid`, marked authoritative.
    private func answer(_ eid: EIDPrefix) -> EIDRecord? {
        let covering = records.filter { $0.prefix?.contains(eid) ?? false }
        guard var best = covering.max(by: { ($0.prefix?.length ?? 0) < ($1.prefix?.length ?? 0) }) else {
            return nil
        }
        best.isAuthoritative = true
        return best
    }

    private func failWaiters(_ error: any Error) {
        for waiter in readyWaiters {
            waiter.resume(throwing: error)
        }
        readyWaiters.removeAll()
    }
}
