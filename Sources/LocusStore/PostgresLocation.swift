import Foundation
import PostgresNIO

/// Where a PostgreSQL store is and who logs in: parsed from `store = "postgres://…"`.
///
/// Two forms: `postgres://USER@HOST:PORT/DATABASE` over TCP, and
/// `postgres:///DATABASE?host=/SOCKET/DIRECTORY` over the server's unix socket
/// (`DIRECTORY/.s.PGSQL.PORT`), where the server can check the login itself (peer authentication).
/// Without a user in the URL the login of this process is used, as `psql` does.
struct PostgresLocation: Sendable, Hashable {
    enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        /// The socket file itself, not its directory.
        case unixSocket(path: String)
    }

    enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable
        case prefer
        case require
    }

    /// The URL as written, for messages (it never holds a password: those are refused).
    var url: String
    var endpoint: Endpoint
    var username: String
    var database: String
    var tls: TLSMode

    static let defaultPort = 5432

    init(url: String, defaultUser: String = LoginIdentity.currentUser()) throws(HistoryStoreError) {
        self.url = url
        func invalid(_ reason: String) -> HistoryStoreError { .invalidLocation(location: url, reason: reason) }

        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw invalid("the URL must start with postgres:// or postgresql://")
        }
        guard let components = URLComponents(string: url) else {
            throw invalid("this is not a URL (check for spaces and unescaped characters)")
        }
        if let password = components.percentEncodedPassword {
            // Never repeat the password in a message.
            throw .invalidLocation(
                location: url.replacingOccurrences(of: ":\(password)@", with: ":…@"),
                reason: "the URL holds a password: put it in a file named by store_password_file instead"
            )
        }
        let path = components.percentEncodedPath
        let name = String(path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !name.isEmpty, !name.contains("/") else {
            throw invalid("the URL names no database (the path, like /locus)")
        }
        database = name

        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["host", "port", "sslmode"].contains(item.name) else {
                throw invalid("unknown parameter ?\(item.name)= (known: host, port, sslmode)")
            }
            guard let value = item.value, !value.isEmpty else { throw invalid("?\(item.name)= needs a value") }
            query[item.name] = value
        }

        let port: Int
        if let text = query["port"] {
            guard components.port == nil else { throw invalid("the port is given twice (in the host and ?port=)") }
            guard let value = Int(text), (1...65535).contains(value) else {
                throw invalid("?port=\(text) is not a port number (1-65535)")
            }
            port = value
        } else if let value = components.port {
            guard (1...65535).contains(value) else { throw invalid("port \(value) is not a port number (1-65535)") }
            port = value
        } else {
            port = Self.defaultPort
        }

        let authorityHost = components.host.flatMap { $0.isEmpty ? nil : $0 }
        if let socketHost = query["host"] {
            guard authorityHost == nil else {
                throw invalid("the host is given twice (\(authorityHost ?? "") and ?host=\(socketHost))")
            }
            if socketHost.hasPrefix("/") {
                let directory = socketHost.hasSuffix("/") ? String(socketHost.dropLast()) : socketHost
                endpoint = .unixSocket(path: "\(directory)/.s.PGSQL.\(port)")
            } else {
                endpoint = .tcp(host: socketHost, port: port)
            }
        } else if let host = authorityHost {
            endpoint = .tcp(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port)
        } else {
            throw invalid("the URL names no host: give one (postgres://USER@HOST:5432/\(name)) or a socket directory")
        }

        let user = components.user?.removingPercentEncoding ?? ""
        username = user.isEmpty ? defaultUser : user

        if let text = query["sslmode"] {
            guard let mode = TLSMode(rawValue: text) else {
                throw invalid(
                    "?sslmode=\(text) is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            tls = mode
        } else {
            tls = .prefer
        }
    }

    /// Whether the server can tell who connects without a password (the unix socket).
    var isUnixSocket: Bool {
        if case .unixSocket = endpoint { return true }
        return false
    }

    /// One connection of the same endpoint and login: the first use connects once by itself, so that a
    /// refused login or an unreachable server is an error at once instead of a pool that keeps trying.
    func connectionConfiguration(password: String?) throws -> PostgresConnection.Configuration {
        switch endpoint {
        case .unixSocket(let path):
            return PostgresConnection.Configuration(
                unixSocketPath: path,
                username: username,
                password: password,
                database: database
            )
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            var configuration = PostgresConnection.Configuration(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                tls: tls
            )
            configuration.options.connectTimeout = .seconds(10)
            return configuration
        }
    }

    /// The client configuration; `password` nil leaves authentication to the server (peer, trust).
    func clientConfiguration(password: String?) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .unixSocket(let path):
            configuration = PostgresClient.Configuration(
                unixSocketPath: path,
                username: username,
                password: password,
                database: database
            )
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(.makeClientConfiguration())
                case .require: .require(.makeClientConfiguration())
                }
            configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                tls: tls
            )
        }
        // A one-shot command needs one connection or two; a dashboard a few.
        configuration.options.maximumConnections = 4
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
