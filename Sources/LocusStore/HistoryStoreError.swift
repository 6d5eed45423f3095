/// Why the history store could not do what was asked; each message names the file and what to check.
public enum HistoryStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotCreateDirectory(path: String, reason: String)
    case cannotCreateFile(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    case migrationFailed(path: String, reason: String)
    case operationFailed(operation: String, path: String, reason: String)
    case invalidRow(table: String, detail: String)
    case unsupported(location: String, reason: String)
    /// A newer Locus wrote the store: it is left untouched.
    case newerSchema(path: String, unknownMigrations: [String])
    /// `store =` names a PostgreSQL URL this Locus cannot use.
    case invalidLocation(location: String, reason: String)
    /// The database has no (or an older) Locus schema and this login may not create it.
    case notInitialized(location: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            "cannot create the store directory \(path): \(reason); check that its parent exists and is writable"
        case .cannotCreateFile(let path, let reason):
            "cannot create the store \(path): \(reason); check the permissions of its directory"
        case .cannotOpen(let path, let reason):
            "cannot open the store \(path): \(reason); check that it is a Locus SQLite store you may read and write"
        case .migrationFailed(let path, let reason):
            "cannot bring the schema of \(path) up to date: \(reason); a newer Locus may have written it"
        case .operationFailed(let operation, let path, let reason):
            "store \(path): \(operation) failed: \(reason)"
        case .invalidRow(let table, let detail):
            "store table \(table) holds a row this Locus cannot read: \(detail)"
        case .unsupported(let location, let reason):
            "store \(location): \(reason)"
        case .newerSchema(let path, let unknown):
            "store \(path) was written by a newer Locus (schema \(unknown.joined(separator: ", ")) unknown to this "
                + "one); it was left untouched: upgrade Locus to open it"
        case .invalidLocation(let location, let reason):
            "store \(location): \(reason); expected postgres://USER@HOST:PORT/DATABASE or "
                + "postgres:///DATABASE?host=/SOCKET/DIRECTORY"
        case .notInitialized(let location, let reason):
            "store \(location): \(reason)"
        }
    }
}
