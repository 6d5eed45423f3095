import Foundation

/// What the mapping system currently says about a workload's EID.
public enum MappingState: String, Sendable, Hashable, Codable, CaseIterable {
    /// A Map-Reply with locators.
    case registered
    /// A negative Map-Reply: nobody registered the EID.
    case negative
    /// No current answer: not asked yet, or the resolver that answered is down.
    case unknown
}

/// The current mapping of one workload, as the correlator and the screen see it.
public struct Mapping: Sendable, Hashable {
    public var state: MappingState
    /// The site of the RLOCs (see `Locator.site`); nil when they belong to no known site or there are none.
    public var site: String?
    public var locators: [Locator]
    public var ttlMinutes: UInt32?
    public var mapVersion: UInt16?
    /// The A bit: the answer came from the authoritative ETR or map-server.
    public var isAuthoritative: Bool
    public var rtt: Duration?
    /// The name of the mapping source that answered.
    public var resolver: String?
    public var checkedAt: Date?

    public init(
        state: MappingState,
        site: String? = nil,
        locators: [Locator] = [],
        ttlMinutes: UInt32? = nil,
        mapVersion: UInt16? = nil,
        isAuthoritative: Bool = false,
        rtt: Duration? = nil,
        resolver: String? = nil,
        checkedAt: Date? = nil
    ) {
        self.state = state
        self.site = site
        self.locators = locators
        self.ttlMinutes = ttlMinutes
        self.mapVersion = mapVersion
        self.isAuthoritative = isAuthoritative
        self.rtt = rtt
        self.resolver = resolver
        self.checkedAt = checkedAt
    }

    /// Nothing known yet.
    public static let unknown = Mapping(state: .unknown)
}

/// The last registered mapping seen for a workload by any process; the store keeps it so that a later
/// process detects a move against it.
public struct LastKnownMapping: Sendable, Hashable, Codable {
    public var site: String?
    public var locators: [Locator]
    public var checkedAt: Date

    public init(site: String?, locators: [Locator], checkedAt: Date) {
        self.site = site
        self.locators = locators
        self.checkedAt = checkedAt
    }
}
