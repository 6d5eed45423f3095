import Foundation
import GRDB
import LocusCore

/// The history store in one SQLite file (WAL mode), shareable by several processes and operators.
///
/// The file and its `-wal`/`-shm` companions are created 0660 so that operators in one group can share
/// a store in a setgid directory; writers wait for each other (busy timeout) instead of failing.
public struct SQLiteHistoryStore: HistoryStore {
    /// How long a writer waits for another process holding the write lock before it gives up.
    public static let busyTimeout: TimeInterval = 30

    /// Mode of the files Locus creates; group-writable on purpose (see CONFIG.md).
    public static let fileMode: mode_t = 0o660

    public let path: String
    let pool: DatabasePool

    /// Opens the store at `path`, creating its directory, the file and the schema as needed.
    public init(path: String) throws(HistoryStoreError) {
        self.path = path
        try Self.prepareFile(at: path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "locus.store"
        pool = try Self.openPool(at: path, configuration: configuration)
        Self.restrictCompanionFiles(of: path)
        try migrate()
    }

    /// Two processes opening a fresh file at once both switch it to WAL; SQLite answers the loser
    /// SQLITE_BUSY at once, without waiting out the busy timeout, so the open is tried again shortly.
    /// A process of another user that opens the file while a first one is creating the `-shm` file
    /// (created under the umask, then widened to 0660) finds it read-only for that moment and gets a
    /// SQLITE_READONLY code: tried again too; a store really read-only for this user still fails.
    private static func openPool(
        at path: String,
        configuration: Configuration
    ) throws(HistoryStoreError)
        -> DatabasePool
    {
        var attempts = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where isTransientAtOpen(error) && attempts < 8 {
                attempts += 1
                usleep(useconds_t(20_000 * attempts))
            } catch {
                throw .cannotOpen(path: path, reason: reason(error))
            }
        }
    }

    private static func isTransientAtOpen(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_READONLY
    }

    private func migrate() throws(HistoryStoreError) {
        // Two processes opening a fresh file at once both see an empty schema and race to create it;
        // the loser's transaction fails and, on retry, finds the migration already applied.
        let unknown: [String]
        do {
            unknown = try pool.read { db in
                try Self.migrator.appliedIdentifiers(db).subtracting(Self.migrator.migrations)
            }
            .sorted()
        } catch {
            throw .migrationFailed(path: path, reason: Self.reason(error))
        }
        guard unknown.isEmpty else { throw .newerSchema(path: path, unknownMigrations: unknown) }
        var attempts = 0
        while true {
            do {
                try Self.migrator.migrate(pool)
                return
            } catch {
                attempts += 1
                if attempts >= 3 {
                    throw .migrationFailed(path: path, reason: Self.reason(error))
                }
            }
        }
    }

    /// Creates the parent directory and an empty file with mode 0660 whatever the umask.
    ///
    /// SQLite gives the `-wal` and `-shm` files the mode of the database file, so getting the main
    /// file right is what matters.
    private static func prepareFile(at path: String) throws(HistoryStoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .cannotCreateDirectory(path: directory, reason: reason(error))
            }
        }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, fileMode)
        if descriptor >= 0 {
            // open() applied the umask; fchmod does not.
            let changed = fchmod(descriptor, fileMode)
            let errorNumber = errno
            close(descriptor)
            if changed != 0 {
                throw .cannotCreateFile(path: path, reason: String(cString: strerror(errorNumber)))
            }
        } else if errno != EEXIST {
            throw .cannotCreateFile(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Makes sure the `-wal` and `-shm` files we own are 0660 too (another process's are theirs to set).
    private static func restrictCompanionFiles(of path: String) {
        for suffix in ["-wal", "-shm"] {
            let companion = path + suffix
            var info = stat()
            guard stat(companion, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o777 != fileMode else {
                continue
            }
            _ = chmod(companion, fileMode)
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? error.description
        }
        return String(describing: error)
    }

    func failure(_ operation: String, _ error: any Error) -> HistoryStoreError {
        if let error = error as? HistoryStoreError { return error }
        return .operationFailed(operation: operation, path: path, reason: Self.reason(error))
    }

    // MARK: - Writes

    public func record(_ batch: HistoryBatch) async throws(HistoryStoreError) {
        guard !batch.isEmpty else { return }
        do {
            try await pool.write { db in
                for (workload, mapping) in batch.mappings {
                    try MappingRecord(workload: workload, mapping: mapping).upsert(db)
                }
                for (workload, known) in batch.addresses {
                    try AddressRecord(workload: workload, known: known).upsert(db)
                }
                for event in batch.events {
                    var record = EventRecord(event)
                    try record.insert(db)
                    if var move = MoveRecord(event) {
                        try move.insert(db)
                    }
                }
                for transition in batch.alertTransitions {
                    var record = AlertHistoryRecord(transition)
                    try record.insert(db)
                }
            }
        } catch {
            throw failure("recording history", error)
        }
    }

    public func acknowledge(alertID: AlertID, by user: String, at time: Date) async throws(HistoryStoreError) {
        do {
            try await pool.write { db in
                var record = AcknowledgementRecord(
                    id: nil,
                    alertID: alertID.rawValue,
                    acknowledgedBy: user,
                    acknowledgedAt: time
                )
                try record.insert(db)
            }
        } catch {
            throw failure("acknowledging \(alertID)", error)
        }
    }

    // MARK: - Reads

    public func lastAddresses() async throws(HistoryStoreError) -> [String: KnownAddress] {
        do {
            let records = try await pool.read { db in try AddressRecord.fetchAll(db) }
            var addresses: [String: KnownAddress] = [:]
            addresses.reserveCapacity(records.count)
            for record in records {
                addresses[record.workload] = record.knownAddress
            }
            return addresses
        } catch {
            throw failure("reading the last addresses", error)
        }
    }

    public func lastMappings() async throws(HistoryStoreError) -> [String: LastKnownMapping] {
        do {
            let records = try await pool.read { db in try MappingRecord.fetchAll(db) }
            var mappings: [String: LastKnownMapping] = [:]
            mappings.reserveCapacity(records.count)
            for record in records {
                mappings[record.workload] = record.lastKnownMapping
            }
            return mappings
        } catch {
            throw failure("reading the last mappings", error)
        }
    }

    public func recentEvents(limit: Int, subject: String?) async throws(HistoryStoreError) -> [Event] {
        let records: [EventRecord]
        do {
            records = try await pool.read { db in
                var request = EventRecord.all()
                if let subject {
                    request = request.filter(EventRecord.Columns.subject == subject)
                }
                return try request.order(EventRecord.Columns.time.desc, EventRecord.Columns.id.desc)
                    .limit(max(0, limit))
                    .fetchAll(db)
            }
        } catch {
            throw failure("reading events", error)
        }
        var events: [Event] = []
        events.reserveCapacity(records.count)
        for record in records {
            events.append(try record.event())
        }
        return events
    }

    public func moves(of workload: String?, limit: Int) async throws(HistoryStoreError) -> [Event] {
        do {
            return try await pool.read { db in
                var request = MoveRecord.all()
                if let workload {
                    request = request.filter(MoveRecord.Columns.workload == workload)
                }
                return try request.order(MoveRecord.Columns.time.desc, MoveRecord.Columns.id.desc)
                    .limit(max(0, limit))
                    .fetchAll(db)
                    .map(\.event)
            }
        } catch {
            throw failure("reading moves", error)
        }
    }

    public func moves(since time: Date) async throws(HistoryStoreError) -> [Event] {
        let records: [EventRecord]
        do {
            records = try await pool.read { db in
                // The event table has an index on time; the move table only on (workload, time).
                try EventRecord.filter(
                    EventRecord.Columns.time > time && EventRecord.Columns.kind == EventKind.move.rawValue
                )
                .order(EventRecord.Columns.time, EventRecord.Columns.id)
                .fetchAll(db)
            }
        } catch {
            throw failure("reading recent moves", error)
        }
        var events: [Event] = []
        events.reserveCapacity(records.count)
        for record in records {
            events.append(try record.event())
        }
        return events
    }

    public func alertHistory(limit: Int, alertID: AlertID?) async throws(HistoryStoreError) -> [AlertTransition] {
        let records: [AlertHistoryRecord]
        do {
            records = try await pool.read { db in
                var request = AlertHistoryRecord.all()
                if let alertID {
                    request = request.filter(AlertHistoryRecord.Columns.alertID == alertID.rawValue)
                }
                return try request.order(AlertHistoryRecord.Columns.at.desc, AlertHistoryRecord.Columns.id.desc)
                    .limit(max(0, limit))
                    .fetchAll(db)
            }
        } catch {
            throw failure("reading alert history", error)
        }
        var transitions: [AlertTransition] = []
        for record in records {
            transitions.append(try record.transition())
        }
        return transitions
    }

    public func openAlerts() async throws(HistoryStoreError) -> [Alert] {
        let records: [AlertHistoryRecord]
        do {
            records = try await pool.read { db in
                try AlertHistoryRecord.fetchAll(db, sql: Self.openAlertsQuery)
            }
        } catch {
            throw failure("reading open alerts", error)
        }
        var alerts: [Alert] = []
        alerts.reserveCapacity(records.count)
        for record in records {
            alerts.append(try record.transition().alert)
        }
        return alerts
    }

    /// The latest transition of each alert that is not a clear. One index seek per alert id
    /// (`alert_history_on_alert_at` holds alert_id, at and the rowid) instead of a pass over the whole
    /// history for each row.
    static let openAlertsQuery = """
        SELECT h.* FROM (SELECT DISTINCT alert_id FROM alert_history) AS a
        JOIN alert_history h ON h.id = (
            SELECT l.id FROM alert_history l
            WHERE l.alert_id = a.alert_id
            ORDER BY l.at DESC, l.id DESC
            LIMIT 1)
        WHERE h.change <> 'cleared'
        ORDER BY h.alert_id
        """

    public func acknowledgements() async throws(HistoryStoreError) -> [Acknowledgement] {
        do {
            return try await pool.read { db in
                try AcknowledgementRecord.fetchAll(
                    db,
                    sql: """
                        SELECT a.* FROM acknowledgement a
                        WHERE a.id = (SELECT MAX(b.id) FROM acknowledgement b WHERE b.alert_id = a.alert_id)
                          AND NOT EXISTS (
                            SELECT 1 FROM alert_history h
                            WHERE h.alert_id = a.alert_id AND h.change = 'cleared' AND h.at > a.acknowledged_at)
                        ORDER BY a.alert_id
                        """
                )
                .map(\.acknowledgement)
            }
        } catch {
            throw failure("reading acknowledgements", error)
        }
    }
}
