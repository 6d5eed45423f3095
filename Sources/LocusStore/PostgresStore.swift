import Foundation
import LocusCore
import Logging
import PostgresNIO

/// The history and migration store in a PostgreSQL database shared by every operator.
///
/// Unlike SQLite, the database itself enforces who may decide: each operator logs in as their own
/// role (checked by the server: peer authentication on the unix socket, or a password), and every
/// decision goes through SECURITY DEFINER functions that act as `session_user` (see
/// `PostgresFunctions`). Opening is cheap and synchronous; the first use starts the client's
/// connection pool and checks the schema, which the database owner creates or upgrades.
public actor PostgresStore {
    /// The URL as written in `store =`.
    public nonisolated let url: String
    nonisolated let location: PostgresLocation
    nonisolated let client: PostgresClient
    nonisolated let logger: Logger
    private nonisolated let password: String?

    /// Drives the client's connections until `close()`, or until the store is released.
    private var runner: Task<Void, Never>?
    /// The schema check of the first use, shared by the calls that wait for it.
    private var opening: Task<Void, any Error>?
    private var isClosed = false

    /// Parses `url`; connects on first use. `password` nil leaves authentication to the server.
    public init(url: String, password: String? = nil) throws(HistoryStoreError) {
        self.url = url
        location = try PostgresLocation(url: url)
        logger = Logger(label: "locus.store.postgres")
        self.password = password
        client = PostgresClient(
            configuration: location.clientConfiguration(password: password),
            backgroundLogger: logger
        )
    }

    deinit {
        runner?.cancel()
    }

    /// Closes the connections. A one-shot command may also just exit: nothing is left half-written,
    /// since every change is one transaction.
    public func close() async {
        isClosed = true
        runner?.cancel()
        await runner?.value
        runner = nil
    }

    /// The client, running, with a schema this Locus can use; the owner brings an older one up to date.
    func ready() async throws(HistoryStoreError) -> PostgresClient {
        let client = try running()
        let opening =
            self.opening
            ?? Task { [location, password, url, logger] in
                let connection = try await PostgresConnection.connect(
                    configuration: try location.connectionConfiguration(password: password),
                    id: 0,
                    logger: logger
                )
                do {
                    try await PostgresInstall.checkSchema(on: connection, url: url, logger: logger)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            }
        self.opening = opening
        do {
            try await opening.value
            return client
        } catch {
            // A later call tries again: the owner may have run `locus store init` meanwhile.
            self.opening = nil
            throw Self.openFailure(error, url: url)
        }
    }

    /// The client with its run loop started, before any schema check (`locus store init` needs that).
    func running() throws(HistoryStoreError) -> PostgresClient {
        guard !isClosed else {
            throw .operationFailed(operation: "using the store", path: url, reason: "it was closed")
        }
        if runner == nil {
            let client = self.client
            runner = Task { await client.run() }
        }
        return client
    }

    static func openFailure(_ error: any Error, url: String) -> HistoryStoreError {
        if let error = error as? HistoryStoreError { return error }
        return .cannotOpen(path: url, reason: reason(error))
    }

    /// What the server said (message, detail, hint), or what went wrong on the way to it. PSQLError's
    /// own description hides everything on purpose; the server's message is what an operator needs.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let info = error.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            if let hint = info[.hint] { text += "; \(hint)" }
            return text
        }
        switch error.code {
        case .connectionError:
            let underlying = error.underlying.map { String(describing: $0) } ?? "no answer"
            return "cannot connect: \(underlying); check that the server runs and the URL's host, port or socket"
        case .authMechanismRequiresPassword:
            return "the server asks for a password: name a file holding it with store_password_file"
        case .sslUnsupported:
            return "the server does not offer TLS, which ?sslmode=require asks for"
        default:
            return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
    }

    func historyFailure(_ operation: String, _ error: any Error) -> HistoryStoreError {
        if let error = error as? HistoryStoreError { return error }
        return .operationFailed(operation: operation, path: url, reason: Self.reason(error))
    }

    func migrationFailure(_ operation: String, _ error: any Error) -> MigrationStoreError {
        if let error = error as? MigrationStoreError { return error }
        return .storage(historyFailure(operation, error).description)
    }

    /// Runs `body` on one connection of a ready client.
    func withConnection<Result: Sendable>(
        _ operation: String,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws(HistoryStoreError) -> Result {
        let client = try await ready()
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw historyFailure(operation, error)
        }
    }

    /// Runs `body` in one transaction of a ready client.
    func withTransaction<Result: Sendable>(
        _ operation: String,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws(HistoryStoreError) -> Result {
        let client = try await ready()
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw historyFailure(operation, error.closureError ?? error.beginError ?? error.commitError ?? error)
        } catch {
            throw historyFailure(operation, error)
        }
    }
}

extension PostgresConnection {
    /// The rows of `query`, each by column name.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { PostgresRandomAccessRow($0) }
    }

    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}
