import Foundation
import LISP
import NIOCore

/// How many RFC 9437 subscriptions a map-server keeps, and for how long.
public struct SubscriptionLimits: Sendable, Hashable {
    /// Subscriptions one subscriber host (the address publications go to, which must be the request's
    /// source) may hold, whatever xTR-IDs it gives.
    public var perSubscriber: Int
    /// Subscriptions held in all.
    public var total: Int
    /// A subscription not renewed (subscribed again) for this long ends, so that a subscriber that went
    /// away without a word stops costing publications.
    public var lifetime: Duration

    public init(perSubscriber: Int = 100_000, total: Int = 1_000_000, lifetime: Duration = .seconds(86_400)) {
        self.perSubscriber = perSubscriber
        self.total = total
        self.lifetime = lifetime
    }
}

/// RFC 9437 subscribers and the publications they have not acknowledged yet.
///
/// Pure bookkeeping: it says what to send and when; the map-server sends it.
struct SubscriptionBook: Sendable {
    struct Key: Hashable, Sendable {
        /// The xTR-ID and the address publications go to: an xTR-ID is the requester's to choose, so
        /// another host naming it gets a subscription of its own, never this one's publications.
        var subscriber: String
        /// The subscriber's host, whose subscriptions are capped together.
        var host: String
        var prefix: EIDPrefix
    }

    struct Subscriber: Sendable {
        var prefix: EIDPrefix
        var destination: SocketAddress
        var xtrIdentity: XTRIdentity?
        /// The nonce of the last publication (the subscribe's nonce for the first Map-Notify).
        var nonce: UInt64
        var pending: Pending?
        /// When the subscription ends unless renewed.
        var expiresAt: Date
    }

    /// An unacknowledged Map-Notify and when to send it again.
    struct Pending: Sendable {
        var nonce: UInt64
        var notify: MapNotify
        /// Retransmissions done so far.
        var retransmits: Int
        var nextSendAt: Date
    }

    /// A Map-Notify to send now.
    struct Delivery: Sendable {
        var notify: MapNotify
        var destination: SocketAddress
        /// The subscribed prefix, whose site signs the notify.
        var prefix: EIDPrefix
    }

    private(set) var subscribers: [Key: Subscriber] = [:]
    /// Pending nonce → subscriber, to match a Map-Notify-Ack.
    private var pendingByNonce: [UInt64: Key] = [:]
    /// Subscriptions held per subscriber host, for its limit.
    private var heldByHost: [String: Int] = [:]
    let retransmitIntervals: [TimeInterval]
    let limits: SubscriptionLimits
    /// Subscriptions refused because a limit was reached.
    private(set) var refused = 0
    /// Subscriptions ended because they were not renewed within their lifetime.
    private(set) var expired = 0

    init(retransmitIntervals: [Duration], limits: SubscriptionLimits = SubscriptionLimits()) {
        self.retransmitIntervals = retransmitIntervals.map(\.timeInterval)
        self.limits = limits
    }

    var count: Int { subscribers.count }

    var unacknowledged: Int { pendingByNonce.count }

    /// Records (or renews) a subscription and returns the Map-Notify that confirms it (same nonce as the
    /// request), carrying `current`, the mapping as it is now; nil, and nothing recorded, when a new
    /// subscription would pass the subscriber's limit or the total.
    mutating func subscribe(
        prefix: EIDPrefix,
        destination: SocketAddress,
        xtrIdentity: XTRIdentity?,
        nonce: UInt64,
        current: EIDRecord,
        now: Date
    ) -> Delivery? {
        let host = destination.ipAddress ?? destination.hostPortDescription
        let xtr = xtrIdentity.map { "\($0.xtrID)" } ?? "-"
        let key = Key(subscriber: xtr + "@" + destination.hostPortDescription, host: host, prefix: prefix)
        if let old = subscribers[key] {
            if let pending = old.pending { pendingByNonce[pending.nonce] = nil }
        } else {
            guard subscribers.count < limits.total, heldByHost[host, default: 0] < limits.perSubscriber else {
                refused += 1
                return nil
            }
            heldByHost[host, default: 0] += 1
        }
        subscribers[key] = Subscriber(
            prefix: prefix,
            destination: destination,
            xtrIdentity: xtrIdentity,
            nonce: nonce,
            pending: nil,
            expiresAt: now.addingTimeInterval(limits.lifetime.timeInterval)
        )
        return publish(to: key, record: current, nonce: nonce, now: now)
    }

    /// Ends every subscription whose lifetime has passed without a renewal.
    mutating func expire(now: Date) {
        for (key, subscriber) in subscribers where subscriber.expiresAt <= now {
            remove(key)
            expired += 1
        }
    }

    private mutating func remove(_ key: Key) {
        guard let subscriber = subscribers.removeValue(forKey: key) else { return }
        if let pending = subscriber.pending { pendingByNonce[pending.nonce] = nil }
        let held = heldByHost[key.host, default: 1] - 1
        heldByHost[key.host] = held > 0 ? held : nil
    }

    /// A publication for every subscriber whose prefix overlaps `prefix`, whose mapping is now `record`
    /// (TTL 0 when withdrawn). Each subscriber's nonce grows by one.
    mutating func publish(_ record: EIDRecord, for prefix: EIDPrefix, now: Date) -> [Delivery] {
        var deliveries: [Delivery] = []
        for (key, subscriber) in subscribers
        where subscriber.prefix.contains(prefix) || prefix.contains(subscriber.prefix) {
            deliveries.append(publish(to: key, record: record, nonce: subscriber.nonce &+ 1, now: now))
        }
        return deliveries
    }

    private mutating func publish(to key: Key, record: EIDRecord, nonce: UInt64, now: Date) -> Delivery {
        guard var subscriber = subscribers[key] else { preconditionFailure("publishing to an unknown subscriber") }
        if let old = subscriber.pending {
            // A newer publication supersedes an unacknowledged older one.
            pendingByNonce[old.nonce] = nil
        }
        let notify = MapNotify(
            nonce: nonce,
            keyID: 0,
            algorithm: .none,
            records: [record],
            xtrIdentity: subscriber.xtrIdentity
        )
        subscriber.nonce = nonce
        subscriber.pending = Pending(
            nonce: nonce,
            notify: notify,
            retransmits: 0,
            nextSendAt: now.addingTimeInterval(retransmitIntervals.first ?? .infinity)
        )
        subscribers[key] = subscriber
        pendingByNonce[nonce] = key
        return Delivery(notify: notify, destination: subscriber.destination, prefix: subscriber.prefix)
    }

    /// Settles the publication `nonce`; returns whether one was waiting.
    mutating func acknowledge(nonce: UInt64) -> Bool {
        guard let key = pendingByNonce.removeValue(forKey: nonce) else { return false }
        subscribers[key]?.pending = nil
        return true
    }

    /// Publications due for retransmission; a subscriber that never acknowledged after the last
    /// retransmission is dropped.
    mutating func retransmissions(now: Date) -> [Delivery] {
        var deliveries: [Delivery] = []
        for (key, subscriber) in subscribers {
            guard var pending = subscriber.pending, pending.nextSendAt <= now else { continue }
            if pending.retransmits >= retransmitIntervals.count {
                remove(key)
                continue
            }
            pending.retransmits += 1
            let wait =
                pending.retransmits < retransmitIntervals.count
                ? retransmitIntervals[pending.retransmits] : retransmitIntervals.last ?? 0
            pending.nextSendAt = now.addingTimeInterval(wait)
            subscribers[key]?.pending = pending
            deliveries.append(
                Delivery(notify: pending.notify, destination: subscriber.destination, prefix: subscriber.prefix)
            )
        }
        return deliveries
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
