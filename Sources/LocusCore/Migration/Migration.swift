import Foundation

/// A request to move one workload to another site, and everything decided about it since.
///
/// A value: the store holds the truth, and every change goes through `applying(_:by:at:policy:)` and
/// a compare-and-set on `(state, version)`.
public struct Migration: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var workload: String
    public var fromSite: String
    public var toSite: String
    public var fromAddress: String
    /// Equal to `fromAddress` when the workload keeps its address (only its mapping moves).
    public var toAddress: String
    /// `--host` of the request: where the mover sends the workload (`{dest_host}`).
    public var destinationHost: String?
    public var reason: String
    public var requestedBy: String
    public var requestedAt: Date
    public var state: MigrationState
    /// Counts every change; the compare-and-set is on this and the state.
    public var version: Int
    /// Who made the last change, and when.
    public var lastChange: StateChange
    public var preflight: PreflightResult?
    /// Approvals on the current digest that still count.
    public var approvals: [Approval]
    public var lease: MigrationLease?
    public var steps: [MigrationStep]
    /// From the last approval to every probe green.
    public var timeToGreen: Double?
    /// Why the migration ended as it did (rejection, cancellation, failure), when it says.
    public var outcome: String?
    /// An approver asked the runner to stop after the step in progress.
    public var abortRequested: StateChange?

    public init(
        id: String,
        workload: String,
        fromSite: String,
        toSite: String,
        fromAddress: String,
        toAddress: String,
        destinationHost: String? = nil,
        reason: String,
        requestedBy: String,
        requestedAt: Date
    ) {
        self.id = id
        self.workload = workload
        self.fromSite = fromSite
        self.toSite = toSite
        self.fromAddress = fromAddress
        self.toAddress = toAddress
        self.destinationHost = destinationHost
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.state = .requested
        self.version = 1
        self.lastChange = StateChange(user: requestedBy, at: requestedAt, action: "request")
        self.preflight = nil
        self.approvals = []
        self.lease = nil
        self.steps = []
        self.timeToGreen = nil
        self.outcome = nil
        self.abortRequested = nil
    }

    /// A re-addressing move: DNS records, PTRs and pool members must follow.
    public var changesAddress: Bool { fromAddress != toAddress }

    /// When a request not fully approved by then expires.
    public func expiresAt(policy: ApprovalPolicy) -> Date {
        requestedAt.addingTimeInterval(policy.expireAfterSeconds)
    }

    /// Approvals still needed before the cutover may start.
    public func approvalsMissing(policy: ApprovalPolicy) -> Int {
        max(0, policy.requiredApprovals - approvals.count)
    }

    /// `web-07 dc-east → dc-west` (with the address change when there is one).
    public var summary: String {
        let move = "\(workload) \(fromSite) → \(toSite)"
        return changesAddress ? "\(move), \(fromAddress) → \(toAddress)" : move
    }

    /// A new identifier: `m-` and 8 hex digits, unique enough for one estate's migrations (the store
    /// refuses a duplicate).
    public static func makeID<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let value = UInt32.random(in: 0...UInt32.max, using: &generator)
        let hex = String(value, radix: 16)
        return "m-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    public static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return makeID(using: &generator)
    }
}
