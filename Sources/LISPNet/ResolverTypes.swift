import LISP
import NIOCore

/// How a `ResolverClient` talks to its map-resolver.
public struct ResolverConfiguration: Sendable {
    /// The map-resolver (ECM Map-Requests go there).
    public var resolver: SocketAddress
    /// The local address to bind; `nil` picks the address the route to the resolver leaves from, any port.
    /// It is also the ITR-RLOC, so replies come back to this socket.
    public var localAddress: SocketAddress?
    public var retry: RetryPolicy
    /// At most this many requests wait for an answer at once; further lookups queue.
    public var inFlightLimit: Int
    public var downAfterTimeouts: Int
    /// A reply slower than this makes the resolver `slow`.
    public var slowThreshold: Duration
    /// The xTR-ID/Site-ID sent with subscriptions; random when `nil`.
    public var subscriberIdentity: XTRIdentity?
    /// Site keys by Key ID: a publication signed with one of them must verify; one signed otherwise, or
    /// unsigned, is accepted only from the resolver's own address.
    public var publicationKeys: [UInt8: [UInt8]]

    public init(
        resolver: SocketAddress,
        localAddress: SocketAddress? = nil,
        retry: RetryPolicy = RetryPolicy(),
        inFlightLimit: Int = 1024,
        downAfterTimeouts: Int = 3,
        slowThreshold: Duration = .milliseconds(500),
        subscriberIdentity: XTRIdentity? = nil,
        publicationKeys: [UInt8: [UInt8]] = [:]
    ) {
        self.resolver = resolver
        self.localAddress = localAddress
        self.retry = retry
        self.inFlightLimit = max(1, inFlightLimit)
        self.downAfterTimeouts = downAfterTimeouts
        self.slowThreshold = slowThreshold
        self.subscriberIdentity = subscriberIdentity
        self.publicationKeys = publicationKeys
    }
}

/// The answer to one lookup.
public struct LookupResult: Sendable, Hashable {
    /// The EID-records of the Map-Reply; a negative reply has one record without locators.
    public var records: [EIDRecord]
    /// The time from the last transmission of the request to its reply.
    public var rtt: Duration
    /// The address the reply came from: the resolver, or an ETR answering directly.
    public var respondent: SocketAddress
    /// The resolver the request was sent to.
    public var resolver: SocketAddress
    /// How many transmissions it took.
    public var attempts: Int

    public init(
        records: [EIDRecord],
        rtt: Duration,
        respondent: SocketAddress,
        resolver: SocketAddress,
        attempts: Int
    ) {
        self.records = records
        self.rtt = rtt
        self.respondent = respondent
        self.resolver = resolver
        self.attempts = attempts
    }

    /// The A bit of the first record: set only when the ETR itself answered.
    public var isAuthoritative: Bool { records.first?.isAuthoritative ?? false }

    /// The negative reply, when the first record has no locators.
    public var negative: NegativeReply? {
        guard let record = records.first, record.isNegative else { return nil }
        return NegativeReply(action: record.action, ttlMinutes: record.ttlMinutes, prefix: record.prefix)
    }
}

/// What a negative Map-Reply said.
public struct NegativeReply: Sendable, Hashable {
    public var action: MapReplyAction
    public var ttlMinutes: UInt32
    /// The prefix the answer covers (`nil` only for a malformed record without an address).
    public var prefix: EIDPrefix?
}

/// An RFC 9437 subscription: the mapping when it was made, then every change the map-server publishes.
public struct MapSubscription: Sendable {
    public let prefix: EIDPrefix
    /// The records of the Map-Notify that confirmed the subscription.
    public let initial: [EIDRecord]
    /// The records of each later publication (a withdrawn prefix has TTL 0). Ends when the client stops;
    /// stop iterating to unsubscribe locally.
    public let updates: AsyncStream<[EIDRecord]>
}

/// A resolver's condition, for the dashboard header and `locus snapshot`.
public struct ResolverStatus: Sendable, Hashable {
    public var health: ResolverHealth
    public var lastRTT: Duration?
    public var consecutiveTimeouts: Int
    public var inFlight: Int
    public var queued: Int
    /// Replies whose nonce matched no outstanding request (late, duplicated or forged); dropped.
    public var unmatchedReplies: Int
    /// Datagrams that did not decode as a LISP message; dropped.
    public var malformed: Int
    /// Map-Notifies refused as publications: a MAC that does not verify with the key of its Key ID, or
    /// without a known key, sent from another address than the resolver's.
    public var rejectedPublications: Int = 0
}
