import Foundation

/// What a source feeds into the world.
public enum SourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case mapping
    case inventory
    case dns
    case loadbalancer
    case firewall
    case store
}

/// How a source answered its last check.
public enum SourceState: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    case slow
    case down
}

/// The health of one configured source (a map-resolver, an inventory, a DNS server, …).
public struct SourceHealth: Sendable, Hashable {
    public var name: String
    public var kind: SourceKind
    public var state: SourceState
    /// Round-trip time of the last answer; nil when the source never answered.
    public var rtt: Duration?
    /// The last error, kept while the source is not `ok`.
    public var lastError: String?
    public var checkedAt: Date

    public init(
        name: String,
        kind: SourceKind,
        state: SourceState,
        rtt: Duration? = nil,
        lastError: String? = nil,
        checkedAt: Date
    ) {
        self.name = name
        self.kind = kind
        self.state = state
        self.rtt = rtt
        self.lastError = lastError
        self.checkedAt = checkedAt
    }

    /// True when the source gave an answer, slow or not.
    public var answered: Bool { state != .down }
}

extension Duration {
    /// The duration in (fractional) milliseconds, as scripts read it.
    public var milliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
