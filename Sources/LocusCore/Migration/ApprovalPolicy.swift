import Foundation

/// `[approvals]` as the transition function applies it: who may decide, how many must, for how long.
public struct ApprovalPolicy: Sendable, Hashable, Codable {
    /// Login names, and `@GROUP` for every member of a Unix group.
    public var approvers: [String]
    public var fourEyes: Bool
    public var expireAfterSeconds: Double

    public init(approvers: [String], fourEyes: Bool, expireAfterSeconds: Double) {
        self.approvers = approvers
        self.fourEyes = fourEyes
        self.expireAfterSeconds = expireAfterSeconds
    }

    public init(_ config: ApprovalsConfig) {
        self.init(
            approvers: config.approvers,
            fourEyes: config.fourEyes,
            expireAfterSeconds: Double(config.expireAfter.components.seconds)
        )
    }

    public var requiredApprovals: Int { fourEyes ? 2 : 1 }

    /// Whether `actor` may approve: named, or a member of a named `@GROUP`.
    public func allows(_ actor: MigrationActor) -> Bool {
        approvers.contains { entry in
            if entry.hasPrefix("@") { return actor.groups.contains(String(entry.dropFirst())) }
            return entry == actor.user
        }
    }
}

/// Who acts: the login the process runs as (or PostgreSQL's `session_user`), with its Unix groups,
/// and the process itself, which is what a runner's lease names.
public struct MigrationActor: Sendable, Hashable {
    public var user: String
    public var groups: Set<String>
    public var pid: Int32
    public var host: String

    public init(user: String, groups: Set<String> = [], pid: Int32 = 0, host: String = "") {
        self.user = user
        self.groups = groups
        self.pid = pid
        self.host = host
    }

    /// Whether `lease` is this process's and still running at `now`.
    public func holds(_ lease: MigrationLease?, at now: Date) -> Bool {
        guard let lease else { return false }
        return lease.holder == user && lease.pid == pid && lease.host == host && lease.expiresAt > now
    }
}
