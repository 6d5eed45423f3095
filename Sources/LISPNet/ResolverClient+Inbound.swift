import LISP
import NIOCore

extension ResolverClient {
    func handle(_ batch: [DatagramSocket.Envelope], on socket: DatagramSocket) {
        let now = ContinuousClock.now
        var acknowledgements: [DatagramSocket.Envelope] = []
        for envelope in batch {
            var buffer = envelope.data
            guard let message = try? LISPMessage.decode(from: &buffer) else {
                malformed += 1
                continue
            }
            switch message {
            case .mapReply(let reply):
                guard let entry = pending[reply.nonce], case .lookup = entry.kind else {
                    // Subscribes are answered by their Map-Notify; a Map-Reply beside it needs nothing.
                    if pending[reply.nonce] == nil && subscriptionMatching(reply.nonce) == nil {
                        unmatchedReplies += 1
                    }
                    continue
                }
                pending[reply.nonce] = nil
                entry.continuation.resume(returning: .reply(reply, from: envelope.remoteAddress, at: now))
            case .mapNotify(let notify):
                guard let origin = authenticate(notify, bytes: envelope.data, from: envelope.remoteAddress) else {
                    rejectedPublications += 1
                    continue
                }
                if let entry = pending[notify.nonce], case .subscribe(let prefix) = entry.kind {
                    pending[notify.nonce] = nil
                    let updates = startSubscription(prefix: prefix, nonce: notify.nonce)
                    entry.continuation.resume(returning: .subscribed(notify, updates: updates))
                } else if let base = subscriptionMatching(notify.nonce), var subscription = subscriptions[base] {
                    // Retransmissions repeat a nonce: acknowledge again, deliver once.
                    if notify.nonce &- base > subscription.lastNonce &- base {
                        subscription.lastNonce = notify.nonce
                        subscriptions[base] = subscription
                        subscription.continuation.yield(notify.records)
                    }
                } else {
                    unmatchedReplies += 1
                    continue
                }
                if let ack = notify.acknowledgement(signedWith: origin.key) {
                    acknowledgements.append(DatagramSocket.Envelope(remoteAddress: envelope.remoteAddress, data: ack))
                }
            case .mapRequest, .mapRegister, .mapNotifyAck, .encapsulated:
                continue
            }
        }
        socket.send(acknowledgements)
    }

    /// Where a Map-Notify may be believed to come from: signed with a site key this client holds, or sent
    /// by the resolver it subscribed at.
    struct NotifyOrigin {
        /// The key it verified with, which signs the acknowledgement too.
        var key: [UInt8]?
    }

    /// A Map-Notify signed with a key of ours must verify with it; without one, only the resolver's own
    /// address is believed, since a publication changes what the engine thinks a workload's locators are.
    func authenticate(_ notify: MapNotify, bytes: ByteBuffer, from source: SocketAddress) -> NotifyOrigin? {
        if notify.algorithm != .none, let key = configuration.publicationKeys[notify.keyID] {
            guard (try? LISPAuthentication.verify(bytes, key: key)) != nil else { return nil }
            return NotifyOrigin(key: key)
        }
        return source == configuration.resolver ? NotifyOrigin(key: nil) : nil
    }

    /// Publications carry the subscribe nonce plus the number of publications so far.
    func subscriptionMatching(_ nonce: UInt64) -> UInt64? {
        subscriptions.keys.first { nonce &- $0 < 1 << 32 }
    }

    private func startSubscription(prefix: EIDPrefix, nonce: UInt64) -> AsyncStream<[EIDRecord]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [EIDRecord].self)
        continuation.onTermination = { _ in
            Task { await self.endSubscription(nonce) }
        }
        subscriptions[nonce] = Subscription(prefix: prefix, lastNonce: nonce, continuation: continuation)
        return stream
    }

    private func endSubscription(_ nonce: UInt64) {
        subscriptions[nonce] = nil
    }
}
