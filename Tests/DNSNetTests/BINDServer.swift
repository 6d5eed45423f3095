import DNS
import DNSNet
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A throwaway BIND 9 started by `scripts/start-bind` in a fresh temporary directory on a free port.
struct BINDServer {
    static let keyName: DNSName = "locus-key."
    static let secret = Array("locus-lab-tsig-key-32-bytes-long".utf8)
    static var key: TSIGKey { TSIGKey(name: keyName, algorithm: .hmacSHA256, secret: secret) }

    let directory: URL
    let port: Int
    let pid: pid_t

    var address: DNSServerAddress { DNSServerAddress(host: "127.0.0.1", port: port) }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Where the BIND binaries are, or nil when the package is missing.
    static func tool(_ name: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts BIND, or records a failure telling how to get it; tests never skip for a missing server.
    static func start() throws -> BINDServer {
        guard tool("named") != nil, tool("dig") != nil else {
            let message =
                "BIND 9 is not installed (named and dig not found): run scripts/test, which installs "
                + "bind9 and bind9-dnsutils, or `apt-get install -y --no-install-recommends bind9 bind9-dnsutils`"
            Issue.record(Comment(rawValue: message))
            throw BINDError.notInstalled
        }
        // Another process can take the probed port before named binds it; named then exits, and a new
        // port is tried.
        var lastOutput = ""
        for _ in 0..<5 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "locus-bind-\(UUID().uuidString)"
            )
            let port = try freeLoopbackPort()
            let output = try run(
                repositoryRoot.appendingPathComponent("scripts/start-bind").path,
                [directory.path, String(port), keyName.description, Base64.encode(secret)]
            )
            if output.status == 0, let pid = pid_t(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return BINDServer(directory: directory, port: port, pid: pid)
            }
            lastOutput = "status \(output.status): \(output.stdout) \(output.stderr)"
            try? FileManager.default.removeItem(at: directory)
        }
        Issue.record("scripts/start-bind failed five times; last \(lastOutput)")
        throw BINDError.startFailed
    }

    /// Stops named and waits (with a deadline) until it is gone, then removes its directory.
    func stop() {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, isAlive(pid) { usleep(10_000) }
        if isAlive(pid) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `dig +short` against this server, with the real binary.
    func dig(_ name: String, _ type: String) async throws -> [String] {
        try await BINDServer.dig(port: port, name, type)
    }

    /// `dig +short` against any server on 127.0.0.1, run on a dispatch thread: blocking a thread of the
    /// concurrency pool could starve a responder that answers on that pool.
    static func dig(port: Int, _ name: String, _ type: String) async throws -> [String] {
        let arguments = ["+short", "+norecurse", "+time=2", "+tries=2", "-p", String(port), "@127.0.0.1", name, type]
        let output = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(tool("dig")!, arguments) })
            }
        }
        return output.stdout.split(separator: "\n").map(String.init)
    }

    /// Runs a program to completion with `posix_spawn` and `waitpid`.
    ///
    /// Output goes through files, not pipes: a pipe's write end can leak into a child spawned at the same
    /// time by another test (named among them), and would then never reach end of file.
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
        guard spawned == 0 else { throw BINDError.spawnFailed(executable, spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BINDError.spawnFailed(executable, errno) }
        }
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (
            exitStatus,
            (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }
}

enum BINDError: Error {
    case notInstalled
    case startFailed
    case spawnFailed(String, Int32)
}

/// A port free for both UDP and TCP on 127.0.0.1 at the time of asking, below the ephemeral range
/// (32768 and up on Linux) that client sockets draw from, so fewer of them can take it meanwhile.
func freeLoopbackPort() throws -> Int {
    for _ in 0..<50 {
        let port = Int.random(in: 20_000..<32_000)
        guard
            let udp = try? DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).wait()
        else { continue }
        let tcp = try? ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: port).wait()
        try udp.close().wait()
        if let tcp {
            try tcp.close().wait()
            return port
        }
    }
    throw BINDError.startFailed
}

/// True while the process exists and is not a zombie waiting for a parent that will never reap it.
func isAlive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return true }
    return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}
