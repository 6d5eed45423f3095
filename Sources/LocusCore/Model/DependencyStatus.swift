import Foundation

/// The state of one dependency of a workload, as a probe last saw it.
public struct DependencyStatus: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case dns
        case ptr
        case lb
        case tcp
        case firewall
    }

    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case ok
        case stale
        case missing
        case down
        case maint
        case unreachable
        case unknown
    }

    public var kind: Kind
    /// Record name, `backend/server`, or `host:port`.
    public var target: String
    public var role: String
    public var state: State
    public var expected: String?
    public var observed: String?
    public var detail: String?
    public var checkedAt: Date?
    /// The record's TTL, for `dns` dependencies whose record answered.
    public var ttl: Duration?
    /// The `ttl_threshold` of the `[[dns]]` server asked: a TTL above it delays a move's effect.
    public var ttlThreshold: Duration?
    /// How long the check's exchange took (what `detail` says was asked); nil when nothing answered.
    public var rtt: Duration?
    /// For `stale`: the observed address is one the workload had before its last change of address.
    public var observedIsPreviousAddress: Bool
    /// For a firewall dependency: the workload's previous address, still allowed beside the current one.
    public var leftover: String?

    public init(
        kind: Kind,
        target: String,
        role: String,
        state: State,
        expected: String? = nil,
        observed: String? = nil,
        detail: String? = nil,
        checkedAt: Date? = nil,
        ttl: Duration? = nil,
        ttlThreshold: Duration? = nil,
        observedIsPreviousAddress: Bool = false,
        rtt: Duration? = nil,
        leftover: String? = nil
    ) {
        self.kind = kind
        self.target = target
        self.role = role
        self.state = state
        self.expected = expected
        self.observed = observed
        self.detail = detail
        self.checkedAt = checkedAt
        self.ttl = ttl
        self.ttlThreshold = ttlThreshold
        self.observedIsPreviousAddress = observedIsPreviousAddress
        self.rtt = rtt
        self.leftover = leftover
    }
}

extension DependencyStatus {
    /// What is known of this dependency once its workload has a new address: a record, a pool member
    /// or a firewall opening was judged for the old one, so it is unknown until checked again; a TCP
    /// service's answer does not depend on the workload's address and stays.
    func awaitingCheck(at address: IPAddress) -> DependencyStatus {
        guard kind != .tcp else { return self }
        return DependencyStatus(
            kind: kind,
            target: target,
            role: role,
            state: .unknown,
            expected: address.description,
            detail: "the address changed to \(address); not checked there yet"
        )
    }
}
