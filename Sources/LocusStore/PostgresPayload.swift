import Foundation
import LocusCore

/// What the client sends `locus_request` and `locus_apply`, as JSON (keys in snake case). Times are
/// milliseconds since 1970, as the migration tables keep them.
enum PostgresPayload {
    struct Request: Encodable {
        var id: String
        var workload: String
        var fromSite: String
        var toSite: String
        var fromAddress: String
        var toAddress: String
        var destHost: String?
        var reason: String
        var requestedBy: String

        init(_ migration: Migration) {
            id = migration.id
            workload = migration.workload
            fromSite = migration.fromSite
            toSite = migration.toSite
            fromAddress = migration.fromAddress
            toAddress = migration.toAddress
            destHost = migration.destinationHost
            reason = migration.reason
            requestedBy = migration.requestedBy
        }
    }

    /// Informational: the database records `session_user` as the user whatever this says.
    struct Origin: Encodable {
        var uid: UInt32
        var host: String
        var tty: String?
        var sshClient: String?

        init(_ origin: AuditOrigin) {
            uid = origin.uid
            host = origin.host
            tty = origin.tty
            sshClient = origin.sshClient
        }
    }

    struct Apply: Encodable {
        /// The digest the action names (an approval's, a preflight's).
        var digest: String?
        var detail: String
        /// The acting process, which a lease names besides the login.
        var actor: Actor
        /// A start's `max_running`: the runner's own limit; the database counts who runs.
        var maxRunning: Int?
        /// A claim by `run --now` replacing a runner that only waits for its turn.
        var takeOver: Bool?
        /// The migration `Migration.applying` computed, nil when it refused.
        var next: Next?
        var preflight: Preflight?
        var refusal: Refusal?
    }

    /// The client's word (a login may run several processes); the login is always `session_user`.
    struct Actor: Encodable {
        var pid: Int32
        var host: String

        init(_ actor: MigrationActor) {
            pid = actor.pid
            host = actor.host
        }
    }

    struct Next: Encodable {
        var state: String
        var outcome: String?
        var timeToGreen: Double?
        var steps: [Step]
        var lease: Lease?

        init(_ migration: Migration) {
            state = migration.state.rawValue
            outcome = migration.outcome
            timeToGreen = migration.timeToGreen
            steps = migration.steps.map(Step.init)
            lease = migration.lease.map(Lease.init)
        }
    }

    struct Step: Encodable {
        var name: String
        var state: String
        var startedAt: Int64?
        var endedAt: Int64?
        var detail: String
        var output: String?
        var processGroup: Int32?

        init(_ step: MigrationStep) {
            name = step.name
            state = step.state.rawValue
            startedAt = step.startedAt.map(PostgresMigrationRows.millis)
            endedAt = step.endedAt.map(PostgresMigrationRows.millis)
            detail = step.detail
            output = step.output
            processGroup = step.processGroup
        }
    }

    struct Lease: Encodable {
        var holder: String
        var pid: Int32
        var host: String
        var expiresAt: Int64

        init(_ lease: MigrationLease) {
            holder = lease.holder
            pid = lease.pid
            host = lease.host
            expiresAt = PostgresMigrationRows.millis(lease.expiresAt)
        }
    }

    struct Preflight: Encodable {
        var digest: String
        var at: Int64
        var checks: [PreflightCheck]
        var plan: [PlanChange]

        init(_ result: PreflightResult) {
            digest = result.digest
            at = PostgresMigrationRows.millis(result.at)
            checks = result.checks
            plan = result.plan
        }
    }

    struct Refusal: Encodable {
        var reason: String
        var message: String
    }

    /// Fails only for a number JSON cannot hold (an infinite time to green).
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension MigrationRefusal.Reason {
    /// The name `locus_apply` and `locus_request` return a refusal under.
    var storedName: String {
        switch self {
        case .illegalState: "illegalState"
        case .notApprover: "notApprover"
        case .ownRequest: "ownRequest"
        case .alreadyApprovedByYou: "alreadyApprovedByYou"
        case .digestChanged: "digestChanged"
        case .expired: "expired"
        case .notRequesterOrApprover: "notRequesterOrApprover"
        case .preflightMissing: "preflightMissing"
        case .notLeaseHolder: "notLeaseHolder"
        case .busy: "busy"
        case .invalid: "invalid"
        }
    }

    static let allStored: [MigrationRefusal.Reason] = [
        .illegalState, .notApprover, .ownRequest, .alreadyApprovedByYou, .digestChanged, .expired,
        .notRequesterOrApprover, .preflightMissing, .notLeaseHolder, .busy, .invalid,
    ]

    init(storedName: String) {
        self = Self.allStored.first { $0.storedName == storedName } ?? .invalid
    }
}
