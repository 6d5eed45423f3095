import Foundation

/// An approver's yes, bound to the digest it was given on.
public struct Approval: Sendable, Hashable, Codable {
    public var user: String
    public var at: Date
    public var digest: String
    /// `at` + `expire_after`: an approval older than that when the cutover starts is void.
    public var expiresAt: Date

    public init(user: String, at: Date, digest: String, expiresAt: Date) {
        self.user = user
        self.at = at
        self.digest = digest
        self.expiresAt = expiresAt
    }
}

/// The runner's claim on a migration: only the holder runs steps, and only while it lasts.
public struct MigrationLease: Sendable, Hashable, Codable {
    /// The login of the runner.
    public var holder: String
    public var pid: Int32
    public var host: String
    public var expiresAt: Date

    public init(holder: String, pid: Int32, host: String, expiresAt: Date) {
        self.holder = holder
        self.pid = pid
        self.host = host
        self.expiresAt = expiresAt
    }
}

/// Where a cutover step stands.
public enum StepState: String, Sendable, Hashable, Codable, CaseIterable {
    case planned
    case running
    case done
    case failed
}

/// One step of a cutover or a rollback, journaled before and after it acts.
public struct MigrationStep: Sendable, Hashable, Codable {
    /// `mover`, `mapping`, `dns`, `loadbalancer`, `firewall`, `verify`; rollback steps are prefixed
    /// `rollback-`.
    public var name: String
    public var state: StepState
    public var startedAt: Date?
    public var endedAt: Date?
    public var detail: String
    /// The last lines of what the step's command printed.
    public var output: String?
    /// The process group of the mover, so a resume can tell whether it still runs.
    public var processGroup: Int32?

    /// How `detail` says what a change step is about to change, journaled before it acts, so that
    /// a rollback after a stop there knows what the step meant to do.
    public static let planPrefix = "about to change "

    public init(
        name: String,
        state: StepState = .planned,
        startedAt: Date? = nil,
        endedAt: Date? = nil,
        detail: String = "",
        output: String? = nil,
        processGroup: Int32? = nil
    ) {
        self.name = name
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.detail = detail
        self.output = output
        self.processGroup = processGroup
    }
}

/// Who put a migration in its current state, and when: what a refusal names.
public struct StateChange: Sendable, Hashable, Codable {
    public var user: String
    public var at: Date
    /// The audit name of the action (`approve`, `preflight`, …).
    public var action: String

    public init(user: String, at: Date, action: String) {
        self.user = user
        self.at = at
        self.action = action
    }
}
