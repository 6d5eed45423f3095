import Foundation
import GRDB
import GRDBSQLite
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
        try Self.prepareFiles(at: path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "locus.store"
        configuration.prepareDatabase { db in try Self.keepCompanionFiles(db) }
        pool = try Self.openPool(at: path, configuration: configuration)
        try migrate()
    }

    /// Two processes opening a fresh file at once both switch it to WAL; SQLite answers the loser
    /// SQLITE_BUSY at once, without waiting out the busy timeout, so the open is tried again shortly.
    /// A companion file another program (the `sqlite3` shell) is creating under its umask reads as
    /// read-only for a moment (SQLITE_READONLY): tried again too; a store really read-only for this
    /// user still fails.
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

    /// SQLite deletes the `-wal` and `-shm` files when the last connection closes, and the next
    /// process to open the store creates them again under its umask before widening them: a process
    /// of another user opening them in that moment gets them read-only, and its writes fail with
    /// "attempt to write a readonly database". A persistent WAL keeps both files, created once by
    /// `prepareFiles`, for good. No size limit either: SQLite would cut the WAL to nothing at each last
    /// close, and opening a pool over an empty WAL writes to the file, which would make every start of
    /// Locus wait for a writer another process holds; automatic checkpoints keep it at a few MB.
    private static func keepCompanionFiles(_ db: Database) throws {
        guard !db.configuration.readonly else { return }
        var persist: CInt = 1
        let code = withUnsafeMutablePointer(to: &persist) { flag in
            sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, flag)
        }
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    private func migrate() throws(HistoryStoreError) {
        // Two processes opening a fresh file at once both see an empty schema and race to create it;
        // the loser's transaction fails and, on retry, finds the migration already applied.
        let applied: Set<String>
        do {
            applied = try pool.read { db in try Self.migrator.appliedIdentifiers(db) }
        } catch {
            throw .migrationFailed(path: path, reason: Self.reason(error))
        }
        let unknown = applied.subtracting(Self.migrator.migrations).sorted()
        guard unknown.isEmpty else { throw .newerSchema(path: path, unknownMigrations: unknown) }
        // A store already at this schema is opened with reads only: a writer another process holds
        // for long must not keep this one from starting (a one-shot command's deadline, a dashboard).
        guard !applied.isSuperset(of: Self.migrator.migrations) else { return }
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

    /// Creates the parent directory, then the file and its `-wal` and `-shm` companions with mode 0660
    /// whatever the umask, each already 0660 the moment another process can see it.
    ///
    /// A companion that cannot be created here (a directory this user may not write) is left to
    /// SQLite, which says so if it matters.
    private static func prepareFiles(at path: String) throws(HistoryStoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .cannotCreateDirectory(path: directory, reason: reason(error))
            }
        }
        if let failure = createWithFileMode(path) {
            throw .cannotCreateFile(path: path, reason: failure)
        }
        for suffix in ["-wal", "-shm"] {
            _ = createWithFileMode(path + suffix)
        }
    }

    /// Creates an empty `path` with `fileMode` unless it exists: made under a temporary name, given its
    /// mode, then linked into place (which fails rather than replace a file another process made
    /// meanwhile). Returns why it failed, or nil.
    private static func createWithFileMode(_ path: String) -> String? {
        if access(path, F_OK) == 0 { return nil }
        var template = Array((path + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(temporary) }
        let changed = fchmod(descriptor, fileMode)
        let changeError = errno
        close(descriptor)
        guard changed == 0 else { return String(cString: strerror(changeError)) }
        guard link(temporary, path) == 0 || errno == EEXIST else { return String(cString: strerror(errno)) }
        return nil
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

    public func acknowledge(_ acknowledgement: Acknowledgement) async throws(HistoryStoreError) {
        do {
            try await pool.write { db in
                var record = AcknowledgementRecord(acknowledgement)
                try record.insert(db)
            }
        } catch {
            throw failure("acknowledging \(acknowledgement.alertID)", error)
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
