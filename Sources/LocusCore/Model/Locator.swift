/// One RLOC of a mapping, as the mapping system returned it and as probing found it.
public struct Locator: Sendable, Hashable, Codable {
    /// The RLOC address in its textual form (`127.0.1.1`, `::1`).
    public var address: String
    /// The configured site whose `rlocs` hold this address; nil when it is of no known site.
    public var site: String?
    public var priority: UInt8
    public var weight: UInt8
    public var multicastPriority: UInt8
    public var multicastWeight: UInt8
    /// Whether the RLOC is usable: the R bit of the reply, overridden by the last probe when there was one.
    public var reachable: Bool
    /// The L bit: the answering ETR says this RLOC is its own.
    public var isLocal: Bool
    /// The p bit: the reply came from this RLOC in answer to a probe.
    public var isProbed: Bool

    public init(
        address: String,
        site: String? = nil,
        priority: UInt8 = 1,
        weight: UInt8 = 100,
        multicastPriority: UInt8 = 255,
        multicastWeight: UInt8 = 0,
        reachable: Bool = true,
        isLocal: Bool = false,
        isProbed: Bool = false
    ) {
        self.address = address
        self.site = site
        self.priority = priority
        self.weight = weight
        self.multicastPriority = multicastPriority
        self.multicastWeight = multicastWeight
        self.reachable = reachable
        self.isLocal = isLocal
        self.isProbed = isProbed
    }

    /// RFC 9300: priority 255 means the RLOC must not be used for unicast.
    public var isUsable: Bool { reachable && priority != 255 }
}
