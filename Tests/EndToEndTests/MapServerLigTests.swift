import Foundation
import Testing

/// `locus mapserver --config FILE` run as an operator would, queried with `locus lig`.
@Suite("locus mapserver answered by locus lig")
struct MapServerLigTests {
    @Test func ligGetsNegativeRepliesFromTheServerUntilSIGTERMStopsIt() throws {
        let scratch = try ScratchDirectory()
        let port = try freeUDPPort()
        let config = try writeConfig(in: scratch, listen: "127.0.0.1:\(port)")
        let server = try BackgroundProcess(LocusBinary.path, ["mapserver", "--config", config], scratch: scratch)
        defer { server.forceStop() }
        let resolver = "127.0.0.1:\(port)"

        let first = try poll(deadline: .seconds(30)) {
            let result = try lig("10.1.0.1", resolver, "--timeout", "200", "--count", "1")
            return result.status == 2 && server.isRunning ? nil : result
        }
        #expect(server.isRunning, "the map-server exited: \(server.stderr)")
        let configured = try #require(first)
        #expect(configured.status == 1, "\(configured.stdout)\(configured.stderr)")
        #expect(configured.stdout.contains("EID-prefix: [0]10.1.0.0/16, ttl: 1 minute"), "\(configured.stdout)")
        #expect(configured.stdout.contains("negative reply"))

        let outside = try lig("192.168.5.5", resolver)
        #expect(outside.status == 1, "\(outside.stdout)\(outside.stderr)")
        #expect(outside.stdout.contains("ttl: 15 minutes"), "\(outside.stdout)")

        let json = try lig("10.1.0.1", resolver, "--json")
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let records = try #require(object["records"] as? [[String: Any]])
        #expect(records.first?["eid_prefix"] as? String == "10.1.0.0/16")
        #expect(records.first?["ttl_minutes"] as? Int == 1)

        let closedPort = try freeUDPPort()
        let silent = try lig("10.1.0.1", "127.0.0.1:\(closedPort)", "--timeout", "300", "--count", "1")
        #expect(silent.status == 2, "\(silent.stdout)\(silent.stderr)")

        let badEID = try lig("not-an-eid", resolver)
        #expect(badEID.status == 2)
        #expect(badEID.stderr.contains("not-an-eid"))

        server.terminate()
        let status = try #require(server.waitForExit(deadline: .seconds(10)), "no exit after SIGTERM")
        #expect(status == 0, "\(server.stderr)")
        #expect(canBindUDP(port))
    }

    @Test func aMalformedConfigNamesFileAndLineAndExits1() throws {
        let scratch = try ScratchDirectory()
        let config = try writeConfig(in: scratch, listen: "127.0.0.1:4342", extra: "colour = \"blue\"\n")
        let result = try Subprocess.run(LocusBinary.path, ["mapserver", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(config):4: "), "\(result.stderr)")
        #expect(result.stderr.contains("colour"), "\(result.stderr)")
    }

    @Test func aMissingKeyFileIsAnErrorAtTheLineNamingIt() throws {
        let scratch = try ScratchDirectory()
        let config = try writeConfig(in: scratch, listen: "127.0.0.1:4342")
        try FileManager.default.removeItem(atPath: scratch.file("east.key"))
        let result = try Subprocess.run(LocusBinary.path, ["mapserver", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(config):11: "), "\(result.stderr)")
    }

    // MARK: Helpers

    /// Writes `mapserver.toml` (line 4 is `extra`, when given) and its key file, readable by the owner only.
    private func writeConfig(in scratch: ScratchDirectory, listen: String, extra: String = "") throws -> String {
        let key = scratch.file("east.key")
        try "east-secret-key\n".write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let text = """
            listen = "\(listen)"
            registration_timeout = "3m"

            \(extra)
            [[site]]
            name = "dc-east"
            key_id = 1
            algorithm = "hmac-sha256"
            prefixes = ["10.1.0.0/16"]
            accept_more_specifics = true
            key_file = "\(key)"

            """
        let config = scratch.file("mapserver.toml")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    private func lig(_ eid: String, _ resolver: String, _ options: String...) throws -> Subprocess.Result {
        try Subprocess.run(LocusBinary.path, ["lig", eid, "--resolver", resolver] + options)
    }

    /// Calls `attempt` until it returns a value or `deadline` passes.
    private func poll<T>(deadline: Duration, _ attempt: () throws -> T?) throws -> T? {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if let value = try attempt() { return value }
            usleep(50_000)
        }
        return nil
    }
}

/// A UDP port on 127.0.0.1 nothing is bound to right now.
private func freeUDPPort() throws -> UInt16 {
    let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(descriptor) }
    var address = loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return UInt16(bigEndian: address.sin_port)
}

/// Whether 127.0.0.1:`port` can be bound for UDP, that is whether nothing holds it.
private func canBindUDP(_ port: UInt16) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

private func loopback(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A long-running child such as the map-server, spawned with default signal handling so SIGTERM reaches it.
private final class BackgroundProcess {
    let pid: pid_t
    private let errorPath: String
    private var exitStatus: Int32?

    init(_ executable: String, _ arguments: [String], scratch: ScratchDirectory) throws {
        errorPath = scratch.file("server-\(UUID().uuidString).err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw SubprocessError(executable: executable, code: spawned) }
        self.pid = pid
    }

    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    var isRunning: Bool { reap(blocking: false) == nil }

    func terminate() {
        if exitStatus == nil { _ = kill(pid, SIGTERM) }
    }

    /// Kills and reaps the child if it is still running, so no test leaves a server behind.
    func forceStop() {
        guard exitStatus == nil else { return }
        _ = kill(pid, SIGKILL)
        _ = reap(blocking: true)
    }

    /// The exit status, or nil if the child still runs when `deadline` passes.
    func waitForExit(deadline: Duration) -> Int32? {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if let status = reap(blocking: false) { return status }
            usleep(20_000)
        }
        return nil
    }

    private func reap(blocking: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        var reaped: pid_t
        repeat {
            reaped = waitpid(pid, &status, blocking ? 0 : WNOHANG)
        } while reaped == -1 && errno == EINTR
        guard reaped == pid else { return nil }
        let signal = status & 0x7F
        exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return exitStatus
    }
}
