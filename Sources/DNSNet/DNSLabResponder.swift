import DNS
import NIOCore
import NIOPosix

/// A small authoritative server for the Locus lab, on a UDP socket on loopback.
///
/// It serves a ``DNSZoneStore`` and applies UPDATEs signed with one of its keys. Unsigned updates are
/// REFUSED; an unknown key or a bad MAC gets the unsigned NOTAUTH answer of RFC 8945 §5.3.2.
/// Call ``bind(host:port:)``, then ``run()`` in a task of its own; ``stop()`` ends ``run()``.
public actor DNSLabResponder {
    private enum State {
        case idle
        case bound(NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>)
        case running(any Channel)
        case stopped
    }

    private var store: DNSZoneStore
    private let keys: [TSIGKey]
    /// Each answer is sent this long after its question arrived (a distant server); questions are
    /// still read and applied as they come.
    private let delay: Duration
    private let group: any EventLoopGroup
    private var state = State.idle
    private var boundAddress: SocketAddress?
    /// The lab's `--fail-step dns`: the next UPDATE that changes something is REFUSED, once.
    private var refusingNextChange = false

    public init(
        store: DNSZoneStore,
        keys: [TSIGKey],
        delay: Duration = .zero,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.store = store
        self.keys = keys
        self.delay = delay
        self.group = eventLoopGroup
    }

    /// Opens the socket; port 0 picks a free one. Returns the bound port.
    public func bind(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        guard case .idle = state else { throw DNSLabResponderError.alreadyStarted }
        let channel = try await DatagramBootstrap(group: group)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        // Reentrancy: another caller may have bound while this one awaited.
        guard case .idle = state else {
            try? await channel.channel.close()
            throw DNSLabResponderError.alreadyStarted
        }
        state = .bound(channel)
        boundAddress = channel.channel.localAddress
        return channel.channel.localAddress?.port ?? port
    }

    /// Refuses the next signed UPDATE that changes something (REFUSED, as a server whose policy forbids
    /// it would); a prerequisite-only UPDATE, as a preflight sends, is still answered.
    public func refuseNextChange() {
        refusingNextChange = true
    }

    /// The bound port, once ``bind(host:port:)`` returned.
    public var port: Int? { boundAddress?.port }

    /// Answers datagrams until ``stop()`` closes the socket.
    public func run() async throws {
        guard case .bound(let channel) = state else { throw DNSLabResponderError.notBound }
        state = .running(channel.channel)
        let delay = self.delay
        try await channel.executeThenClose { inbound, outbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await envelope in inbound {
                    guard let reply = self.reply(to: envelope.data) else { continue }
                    let answer = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)
                    guard delay > .zero else {
                        try await outbound.write(answer)
                        continue
                    }
                    group.addTask {
                        try await Task.sleep(for: delay)
                        try await outbound.write(answer)
                    }
                }
            }
        }
    }

    /// Closes the socket; ``run()`` returns.
    public func stop() async {
        switch state {
        case .bound(let channel):
            state = .stopped
            try? await channel.channel.close()
        case .running(let channel):
            state = .stopped
            try? await channel.close()
        case .idle, .stopped:
            state = .stopped
        }
    }

    /// The records the responder currently serves for one name and type.
    public func records(name: DNSName, type: DNSRecordType) -> [DNSResourceRecord] {
        store.records(name: name, type: type)
    }

    /// Changes records directly, as an administrator editing the zone behind Locus's back would.
    public func setRecords(_ records: [DNSResourceRecord], name: DNSName, type: DNSRecordType) {
        store.setRecords(records, name: name, type: type)
    }

    /// The answer to one datagram, or nil when it is not worth one (not a query, or unparseable header).
    func reply(to datagram: ByteBuffer) -> ByteBuffer? {
        let verification: TSIGRequestVerification
        do {
            verification = try TSIG.verifyRequest(datagram, keys: keys, now: currentUnixTime())
        } catch {
            guard let id = datagram.getInteger(at: datagram.readerIndex, as: UInt16.self),
                let flags = datagram.getInteger(at: datagram.readerIndex + 2, as: UInt16.self),
                flags & 0x8000 == 0
            else { return nil }
            return DNSMessage(id: id, isResponse: true, responseCode: .formatError).encoded()
        }
        switch verification {
        case .unsigned(let message):
            guard !message.isResponse else { return nil }
            if message.opcode == .update {
                return DNSMessage(
                    id: message.id,
                    isResponse: true,
                    opcode: .update,
                    responseCode: .refused,
                    questions: message.questions
                ).encoded()
            }
            return store.answer(message).encoded()
        case .failed(let message, let error):
            guard !message.isResponse else { return nil }
            return TSIG.unsignedErrorResponse(to: message, error: error).encoded()
        case .verified(let message, let key, let mac):
            guard !message.isResponse else { return nil }
            var response: DNSMessage
            if message.opcode == .update {
                response = DNSMessage(id: message.id, isResponse: true, opcode: .update, questions: message.questions)
                if let update = DNSUpdate(message: message) {
                    if refusingNextChange, !update.operations.isEmpty {
                        refusingNextChange = false
                        response.responseCode = .refused
                    } else {
                        response.responseCode = store.apply(update)
                    }
                } else {
                    response.responseCode = .formatError
                }
            } else {
                response = store.answer(message)
            }
            response.tsig = nil
            return TSIG.signResponse(response, with: key, requestMAC: mac, timeSigned: currentUnixTime()).bytes
        }
    }
}

/// Misuse of the responder's life cycle.
public enum DNSLabResponderError: Error, Hashable, Sendable, CustomStringConvertible {
    case alreadyStarted
    case notBound

    public var description: String {
        switch self {
        case .alreadyStarted: return "the DNS lab responder is already bound"
        case .notBound: return "bind the DNS lab responder before running it"
        }
    }
}
