import Foundation
import LocusCore

/// What one pass of the engine writes at once; a store writes a batch in one transaction so that a
/// process that dies mid-way leaves either all of it or none.
public struct HistoryBatch: Sendable, Hashable {
    /// The last registered mapping of each workload that got one in this pass.
    public var mappings: [String: LastKnownMapping]
    /// The declared address (and the one before) of each workload new to the store or re-addressed.
    public var addresses: [String: KnownAddress]
    /// New events; `move` events also go to the move history.
    public var events: [Event]
    public var alertTransitions: [AlertTransition]

    public init(
        mappings: [String: LastKnownMapping] = [:],
        events: [Event] = [],
        alertTransitions: [AlertTransition] = [],
        addresses: [String: KnownAddress] = [:]
    ) {
        self.mappings = mappings
        self.addresses = addresses
        self.events = events
        self.alertTransitions = alertTransitions
    }

    public var isEmpty: Bool { mappings.isEmpty && events.isEmpty && alertTransitions.isEmpty && addresses.isEmpty }
}

/// The memory shared by every Locus process: what was observed, what happened, what operators decided.
///
/// Implementations must let several processes write at once without losing a row.
public protocol HistoryStore: Sendable {
    /// Writes a batch in one transaction.
    func record(_ batch: HistoryBatch) async throws(HistoryStoreError)

    /// The last registered mapping of every workload any process observed, by workload name.
    func lastMappings() async throws(HistoryStoreError) -> [String: LastKnownMapping]

    /// The last declared address of every workload any process saw, with the one before it, by workload name.
    func lastAddresses() async throws(HistoryStoreError) -> [String: KnownAddress]

    /// Events newest first, all of them or those about one subject.
    func recentEvents(limit: Int, subject: String?) async throws(HistoryStoreError) -> [Event]

    /// The moves of one workload (or of all), newest first.
    func moves(of workload: String?, limit: Int) async throws(HistoryStoreError) -> [Event]

    /// The moves of every workload after `time`, oldest first: what a new process needs to tell
    /// whether a workload is flapping.
    func moves(since time: Date) async throws(HistoryStoreError) -> [Event]

    /// Alert transitions newest first, all of them or those of one alert.
    func alertHistory(limit: Int, alertID: AlertID?) async throws(HistoryStoreError) -> [AlertTransition]

    /// The alerts still open: those whose latest transition (by time, then by order of writing) is not
    /// `cleared`, as that transition left them (first seen, severity, message), by id.
    func openAlerts() async throws(HistoryStoreError) -> [Alert]

    /// Records that an operator acknowledged an occurrence of an alert (its first-seen time), for
    /// a time or until it clears.
    func acknowledge(_ acknowledgement: Acknowledgement) async throws(HistoryStoreError)

    /// The acknowledgements that may still be in force: the latest per alert, unless the alert
    /// cleared after it (an alert that comes back is a new problem and needs a new acknowledgement).
    /// Each carries its occurrence and expiry; the world drops those that no longer apply.
    func acknowledgements() async throws(HistoryStoreError) -> [Acknowledgement]

    /// Deletes the events, moves, alert transitions and acknowledgements older than `keep` at `now`
    /// (`history_keep`), in one transaction, keeping what an open alert still needs: its latest
    /// transition and the acknowledgement in force. Migrations, approvals, steps and the audit log are
    /// never pruned. A shared PostgreSQL store keeps what its owner's `locus store init` wrote instead
    /// of `keep`: no operator's config may delete the others' history.
    func prune(keeping keep: Duration, now: Date) async throws(HistoryStoreError) -> PrunedHistory
}

extension HistoryStore {
    public func record(events: [Event]) async throws(HistoryStoreError) {
        try await record(HistoryBatch(events: events))
    }

    public func record(mappings: [String: LastKnownMapping]) async throws(HistoryStoreError) {
        try await record(HistoryBatch(mappings: mappings))
    }

    public func record(alertTransitions: [AlertTransition]) async throws(HistoryStoreError) {
        try await record(HistoryBatch(alertTransitions: alertTransitions))
    }

    /// Records an acknowledgement that holds until the alert clears, whatever its occurrence.
    public func acknowledge(alertID: AlertID, by user: String, at time: Date) async throws(HistoryStoreError) {
        try await acknowledge(Acknowledgement(alertID: alertID, by: user, at: time))
    }

    public func recentEvents(limit: Int) async throws(HistoryStoreError) -> [Event] {
        try await recentEvents(limit: limit, subject: nil)
    }
}

extension HistoryBatch {
    /// What a round of the engine leaves in the history: changed mappings, events and alert transitions.
    public init(_ update: WorldUpdate) {
        self.init(
            mappings: update.changedMappings,
            events: update.events,
            alertTransitions: update.alertTransitions,
            addresses: update.changedAddresses
        )
    }
}

extension StoreLocation {
    /// Opens the store `store =` names. Paths are used as given: the config loader has already made
    /// them absolute. `passwordFile` (`store_password_file`) holds a PostgreSQL login's password.
    public func openHistoryStore(
        passwordFile: String? = nil
    ) throws(HistoryStoreError) -> any HistoryStore & MigrationStore {
        switch self {
        case .sqlite(let path):
            return try SQLiteHistoryStore(path: path)
        case .postgres(let url):
            var password: String?
            if let passwordFile {
                do {
                    password = try ConfigLoader.readPassword(at: passwordFile)
                } catch {
                    throw .cannotOpen(path: url, reason: "store_password_file \(error)")
                }
            }
            return try PostgresStore(url: url, password: password)
        }
    }
}
