import Foundation
import Glibc

/// A throwaway PostgreSQL 15 cluster on 127.0.0.1 and a unix socket of its own, run as the
/// `postgres` user (initdb refuses root) in a fresh directory that is removed when it stops.
///
/// pg_ctl daemonizes the server, so it is not this process's child: it is stopped with
/// `pg_ctl -m immediate stop`, from `stop()` or at the latest when the object goes.
public final class PostgresProcess: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    /// Whether the server packages are installed (a test that needs them says so when skipped).
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binaries + "/initdb") }

    public let directory: String
    public let port: UInt16
    /// The directory holding the socket `.s.PGSQL.PORT`.
    public let socketDirectory: String
    private let runuser: String

    /// `local all postgres trust`, `local all all peer`, and TCP on loopback trusted unless a rule
    /// before it says otherwise.
    public static let peerRules = ["local all postgres trust", "local all all peer", "host all all 127.0.0.1/32 trust"]

    /// Starts a cluster with `rules` as its pg_hba.conf and creates `database` (owned by postgres).
    public init(rules: [String] = PostgresProcess.peerRules, database: String = "locus") throws {
        guard Self.isInstalled else {
            throw TestServerError("\(Self.binaries)/initdb not found: install postgresql-15 (scripts/test does)")
        }
        runuser = try TestTool.require("runuser", package: "util-linux")
        guard let owner = getpwnam("postgres") else {
            throw TestServerError("no postgres user: install postgresql-15, which creates it")
        }
        let uid = owner.pointee.pw_uid
        let gid = owner.pointee.pw_gid
        var failure = ""
        for _ in 1...4 {
            let directory = try makeServerDirectory("pg")
            let socketDirectory = directory + "/sock"
            mkdir(socketDirectory, 0o755)
            // Others must traverse to the socket: peer authentication is about logins that are not postgres.
            chmod(directory, 0o755)
            chmod(socketDirectory, 0o755)
            chown(directory, uid, gid)
            chown(socketDirectory, uid, gid)
            let port = try LoopbackSocket.freePort()
            do {
                try Self.check(
                    ChildProcess.run(
                        runuser,
                        [
                            "-u", "postgres", "--", Self.binaries + "/initdb", "-D", directory + "/data", "-A", "trust",
                            "--no-sync", "-U", "postgres",
                        ]
                    ),
                    "initdb"
                )
                let rules = rules.joined(separator: "\n") + "\n"
                guard
                    FileManager.default.createFile(atPath: directory + "/data/pg_hba.conf", contents: Data(rules.utf8))
                else { throw TestServerError("cannot write pg_hba.conf in \(directory)") }
                chown(directory + "/data/pg_hba.conf", uid, gid)
                let options = "-p \(port) -k \(socketDirectory) -c listen_addresses=127.0.0.1 -c fsync=off"
                let started = try ChildProcess.run(
                    runuser,
                    [
                        "-u", "postgres", "--", Self.binaries + "/pg_ctl", "-D", directory + "/data", "-w", "-t", "30",
                        "-l", directory + "/postgres.log", "-o", options, "start",
                    ]
                )
                if started.status == 0 {
                    self.directory = directory
                    self.port = port
                    self.socketDirectory = socketDirectory
                    try Self.check(
                        ChildProcess.run(
                            runuser,
                            psqlArguments(as: "postgres", "CREATE DATABASE \(database)", "postgres")
                        ),
                        "CREATE DATABASE"
                    )
                    return
                }
                // Most likely the port was taken between choosing and binding it: try another.
                failure = (try? String(contentsOfFile: directory + "/postgres.log", encoding: .utf8)) ?? started.stderr
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
        throw TestServerError("postgres did not start after 4 tries; its last log:\n\(failure)")
    }

    /// `postgres://USER@127.0.0.1:PORT/DATABASE`.
    public func tcpURL(user: String, database: String = "locus") -> String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// `postgres:///DATABASE?host=SOCKDIR&port=PORT`: the server checks the login (peer).
    public func socketURL(user: String? = nil, database: String = "locus") -> String {
        "postgres://\(user.map { "\($0)@" } ?? "")/\(database)?host=\(socketDirectory)&port=\(port)"
    }

    /// Runs `sql` with psql as the Unix login `user` over the socket (peer authentication), blocking.
    public func psql(as user: String, _ sql: String, database: String = "locus") throws -> ChildProcess.Output {
        try ChildProcess.run(runuser, psqlArguments(as: user, sql, database))
    }

    /// `psql` that must succeed; its output, one unaligned row a line.
    @discardableResult
    public func execute(as user: String = "postgres", _ sql: String, database: String = "locus") throws -> String {
        let output = try psql(as: user, sql, database: database)
        try Self.check(output, "psql as \(user)")
        return output.stdout
    }

    private func psqlArguments(as user: String, _ sql: String, _ database: String) -> [String] {
        [
            "-u", user, "--", "/usr/bin/psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p",
            String(port), "-d", database, "-c", sql,
        ]
    }

    private static func check(_ output: ChildProcess.Output, _ what: String) throws {
        guard output.status == 0 else {
            throw TestServerError("\(what) failed (exit \(output.status)): \(output.stderr)\(output.stdout)")
        }
    }

    /// Stops the server at once and removes its directory; blocks the thread briefly.
    public func stop() {
        guard FileManager.default.fileExists(atPath: directory + "/data/postmaster.pid") else { return }
        _ = try? ChildProcess.run(
            runuser,
            [
                "-u", "postgres", "--", Self.binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w",
                "stop",
            ]
        )
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit {
        stop()
    }
}

/// Real Unix logins for peer authentication; tests run as root and create what is missing.
public enum UnixLogins {
    /// Creates `name` (no home, /bin/sh) unless it exists, and adds it to `groups`, creating them.
    public static func ensure(_ name: String, groups: [String] = []) throws {
        if getpwnam(name) == nil {
            _ = try ChildProcess.run(try tool("useradd"), ["-M", "-s", "/bin/sh", name])
        }
        for group in groups {
            if getgrnam(group) == nil {
                _ = try ChildProcess.run(try tool("groupadd"), [group])
            }
            _ = try ChildProcess.run(try tool("usermod"), ["-a", "-G", group, name])
        }
        guard getpwnam(name) != nil else { throw TestServerError("cannot create the login \(name) (run as root)") }
    }

    private static func tool(_ name: String) throws -> String {
        try TestTool.require(name, package: "passwd")
    }
}
