import Foundation

/// One answer of the mapping system for a workload's EID, as the engine got it.
///
/// Locator sites are not part of the observation: the world derives them from the configured sites.
public struct MappingObservation: Sendable, Hashable {
    public enum Answer: Sendable, Hashable {
        /// A Map-Reply (or Map-Notify) with its locator set. An empty set is kept as such.
        case registered(locators: [Locator], ttlMinutes: UInt32, mapVersion: UInt16?, isAuthoritative: Bool)
        /// A negative Map-Reply.
        case negative(ttlMinutes: UInt32)
    }

    public var answer: Answer
    /// The mapping source that answered.
    public var resolver: String
    public var rtt: Duration?
    public var checkedAt: Date

    public init(answer: Answer, resolver: String, rtt: Duration? = nil, checkedAt: Date) {
        self.answer = answer
        self.resolver = resolver
        self.rtt = rtt
        self.checkedAt = checkedAt
    }
}

/// The map-server's registration table entry for a workload's EID, when its table is available.
public struct RegistrationStatus: Sendable, Hashable {
    /// The last time an ETR registered the EID; nil when it never did.
    public var lastRegisteredAt: Date?
    /// The map-server's `registration_timeout`.
    public var timeout: Duration

    public init(lastRegisteredAt: Date?, timeout: Duration) {
        self.lastRegisteredAt = lastRegisteredAt
        self.timeout = timeout
    }
}
