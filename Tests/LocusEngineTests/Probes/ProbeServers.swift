import DNS
import Foundation
import LocusCore
import LocusEngine
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Real servers for the probe tests, started by the repository's scripts on free loopback ports and
/// stopped by PID. A missing binary fails the test with what to install: these tests never skip.
enum ProbeServers {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func tool(_ name: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A port free for both UDP and TCP on 127.0.0.1 at the time of asking.
    static func freePort() throws -> Int {
        for _ in 0..<20 {
            let udp = try DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).wait()
            let port = try #require(udp.localAddress?.port)
            let tcp = try? ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).wait()
            try udp.close().wait()
            if let tcp {
                try tcp.close().wait()
                return port
            }
        }
        throw ServerError.noFreePort
    }

    /// Runs a program to completion. Output goes through files, not pipes: a pipe's write end could
    /// leak into a server another test spawns at the same moment and never reach end of file.
    static func run(
        _ executable: String,
        _ arguments: [String]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("locus-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ServerError.spawnFailed(executable, spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ServerError.spawnFailed(executable, errno) }
        }
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (
            exitStatus,
            (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }

    /// Runs a `scripts/start-*` script on a free port in a new directory and returns the PID it printed.
    /// Tries a few ports: another test may take the free one before the server binds it.
    static func start(
        script: String,
        _ arguments: (_ directory: String, _ port: Int) -> [String]
    ) throws -> (
        directory: String, port: Int, pid: pid_t
    ) {
        var failure = ""
        for _ in 0..<4 {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("locus-\(script)-\(UUID().uuidString)").path
            let port = try freePort()
            let output = try run(
                repositoryRoot.appendingPathComponent("scripts/\(script)").path,
                arguments(directory, port)
            )
            if output.status == 0, let pid = pid_t(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return (directory, port, pid)
            }
            try? FileManager.default.removeItem(atPath: directory)
            failure = "scripts/\(script) failed (\(output.status)): \(output.stdout) \(output.stderr)"
        }
        Issue.record(Comment(rawValue: failure))
        throw ServerError.startFailed(script)
    }

    /// Stops a server and waits, with a deadline, until it is gone.
    static func stop(_ pid: pid_t) {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, isAlive(pid) { usleep(10_000) }
        if isAlive(pid) { kill(pid, SIGKILL) }
    }

    /// True while the process exists and is not a zombie.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    static func requireInstalled(_ tools: [String], packages: String) throws {
        let missing = tools.filter { tool($0) == nil }
        guard missing.isEmpty else {
            let message =
                "\(missing.joined(separator: ", ")) not found: run scripts/test, which installs \(packages)"
                + " (or `apt-get install -y --no-install-recommends \(packages)`)"
            Issue.record(Comment(rawValue: message))
            throw ServerError.notInstalled(missing)
        }
    }
}

enum ServerError: Error {
    case noFreePort
    case notInstalled([String])
    case startFailed(String)
    case spawnFailed(String, Int32)
}

/// A throwaway HAProxy from `scripts/start-haproxy`: backend be_web with web01 127.0.3.1:80,
/// web02 127.0.3.2:80 and web03 127.0.3.3:8080, no health checks.
final class HAProxyServer: Sendable {
    let directory: String
    let port: Int
    let pid: pid_t

    init() throws {
        try ProbeServers.requireInstalled(["haproxy"], packages: "haproxy")
        (directory, port, pid) = try ProbeServers.start(script: "start-haproxy") { [$0, String($1)] }
    }

    var address: RuntimeAPIAddress { .tcp(Endpoint(host: "127.0.0.1", port: UInt16(port))) }

    private let stopped = Mutex(false)

    /// Stops the server once; later calls do nothing, so a reused PID is never signalled.
    func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        if first { ProbeServers.stop(pid) }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A throwaway BIND 9 from `scripts/start-bind`: zone lab.test. (www A 192.0.2.10, AAAA 2001:db8::10,
/// TXT-only `info`) and 2.0.192.in-addr.arpa. (10 PTR www.lab.test.), updatable with one key.
final class BINDServer: Sendable {
    static let keyName = "locus-key."
    static let secret = Array("locus-lab-tsig-key-32-bytes-long".utf8)
    static var key: TSIGKey { TSIGKey(name: DNSName(stringLiteral: keyName), algorithm: .hmacSHA256, secret: secret) }

    let directory: String
    let port: Int
    let pid: pid_t

    init() throws {
        try ProbeServers.requireInstalled(["named", "dig"], packages: "bind9 bind9-dnsutils")
        (directory, port, pid) = try ProbeServers.start(script: "start-bind") {
            [$0, String($1), Self.keyName, Base64.encode(Self.secret)]
        }
    }

    var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: UInt16(port)) }

    private let stopped = Mutex(false)

    /// Stops the server once; later calls do nothing, so a reused PID is never signalled.
    func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        if first { ProbeServers.stop(pid) }
    }

    /// `dig +short` against this server, with the real binary.
    /// The answer as `dig +short` prints it; an empty answer (a lost datagram, a server still settling after an
    /// update) is asked again for a few seconds before it counts.
    func dig(_ name: String, _ type: String) throws -> [String] {
        let deadline = Date().addingTimeInterval(5)
        var answer: [String] = []
        repeat {
            let output = try ProbeServers.run(
                try #require(ProbeServers.tool("dig")),
                ["+short", "+norecurse", "+time=2", "+tries=2", "-p", String(port), "@127.0.0.1", name, type]
            )
            answer = output.stdout.split(separator: "\n").map(String.init)
            if !answer.isEmpty { return answer }
            usleep(100_000)
        } while Date() < deadline
        return answer
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A throwaway HAProxy whose Runtime API is a unix socket, `admin.sock` in its own directory, with the same
/// backend as `HAProxyServer`: be_web with web01 127.0.3.1:80, web02 127.0.3.2:80 and web03 127.0.3.3:8080,
/// no health checks and no frontend, so it sends nothing anywhere.
final class UnixSocketHAProxyServer: Sendable {
    let directory: String
    let pid: pid_t

    var socketPath: String { directory + "/admin.sock" }
    var address: RuntimeAPIAddress { .unix(path: socketPath) }

    /// Starts HAProxy and returns once `show info` over the socket is answered by this process.
    init() async throws {
        try ProbeServers.requireInstalled(["haproxy"], packages: "haproxy")
        // Under /tmp rather than $TMPDIR: a socket path must fit in sockaddr_un's 108 bytes.
        var template = Array("/tmp/locus-haproxy-unix-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw ServerError.startFailed("mkdtemp") }
        let directory = String(cString: created)
        self.directory = directory
        let config = """
            global
                stats socket \(directory)/admin.sock mode 600 level admin
                stats timeout 10s
                nbthread 1

            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s

            backend be_web
                server web01 127.0.3.1:80
                server web02 127.0.3.2:80
                server web03 127.0.3.3:8080

            """
        try config.write(toFile: directory + "/haproxy.cfg", atomically: true, encoding: .utf8)
        pid = try ProbeServers.spawn(
            try #require(ProbeServers.tool("haproxy")),
            ["-db", "-f", directory + "/haproxy.cfg"],
            output: directory + "/haproxy.log"
        )
        do {
            try await waitUntilReady()
        } catch {
            stop()
            throw error
        }
    }

    private func waitUntilReady() async throws {
        let client = HAProxyRuntimeClient(address: address, timeout: .seconds(1))
        let deadline = ContinuousClock.now + .seconds(20)
        var lastError = "no answer yet"
        while ContinuousClock.now < deadline {
            guard ProbeServers.isAlive(pid) else {
                lastError = "haproxy exited"
                break
            }
            do {
                let info = try await client.send("show info")
                if info.contains("Name:"), info.contains("Pid: \(pid)") { return }
                lastError = "show info without this process's Name and Pid: \(info)"
            } catch {
                lastError = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOfFile: directory + "/haproxy.log", encoding: .utf8)) ?? ""
        Issue.record(
            Comment(rawValue: "haproxy on \(socketPath) did not become ready (\(lastError)); its log:\n\(log)")
        )
        throw ServerError.startFailed("haproxy")
    }

    private let stopped = Mutex(false)

    /// Stops the server once and reaps it; later calls do nothing, so a reused PID is never signalled.
    func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        ProbeServers.stop(pid)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension ProbeServers {
    /// Starts a program in the background with its stdout and stderr in `output`, and returns its PID;
    /// the caller reaps it with `waitpid` after stopping it.
    static func spawn(_ executable: String, _ arguments: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ServerError.spawnFailed(executable, spawned) }
        return pid
    }
}
