import Foundation
import Glibc

/// A throwaway OpenSSH server on 127.0.0.1, with a host key of its own, that lets in the logins it
/// authorises with a key pair it makes for each, in a fresh directory that is removed with it.
///
/// Nothing else gets in: no password, no keyboard-interactive, no PAM, no environment from the
/// client, only the keys this object wrote. The test logins have no home directory (`useradd -M`),
/// so their authorized keys live in this server's directory, which sshd reads as the login: the
/// directory is world-traversable and those files world-readable, root-owned (StrictModes no).
///
/// `stop()` ends the listener, which (as sshd does) leaves open connections running; they are
/// dropped when the object goes.
public final class SSHServer: TestServer {
    public static let executable = "/usr/sbin/sshd"

    /// Whether openssh-server is installed.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// Whether the tests that need sshd run: where it is installed, and always under CI, which
    /// installs it, so that a missing sshd fails there instead of skipping.
    public static var shouldTest: Bool { isInstalled || ProcessInfo.processInfo.environment["CI"] != nil }

    public let directory: String
    public let port: UInt16
    public let process: ServerProcess
    private let keygen: String
    private let ssh: String

    /// Starts sshd and returns once it accepts connections on its port. A port taken between
    /// choosing and binding it makes sshd exit; another port is tried then, in a fresh directory.
    public init() async throws {
        guard Self.isInstalled else {
            throw TestServerError(
                "\(Self.executable) not found: run scripts/test, which installs openssh-server, or "
                    + "`apt-get install -y --no-install-recommends openssh-server`"
            )
        }
        keygen = try TestTool.require("ssh-keygen", package: "openssh-client")
        ssh = try TestTool.require("ssh", package: "openssh-client")
        try Self.ensurePrivilegeSeparationDirectory()
        var failure = ""
        for _ in 1...4 {
            let directory = try makeServerDirectory("sshd")
            let port: UInt16
            let process: ServerProcess
            do {
                port = try LoopbackSocket.freePort()
                try Self.prepare(directory, port: port, keygen: keygen)
                process = try ServerProcess.start(
                    in: directory,
                    writing: [(directory + "/sshd_config", Self.configuration(directory, port))],
                    Self.executable,
                    ["-D", "-e", "-f", directory + "/sshd_config"],
                    logFile: directory + "/sshd.log"
                )
            } catch {
                try? FileManager.default.removeItem(atPath: directory)
                throw error
            }
            if await Self.waitUntilAccepting(port: port, process: process) {
                self.directory = directory
                self.port = port
                self.process = process
                return
            }
            await process.stop()
            failure = process.log
            try? FileManager.default.removeItem(atPath: directory)
        }
        throw TestServerError("sshd did not listen after 4 tries; its last log:\n\(failure)")
    }

    /// Lets `user` (an existing login) in with a key pair of its own, made on first call, and returns
    /// the client that uses it.
    ///
    /// useradd leaves the password field `!`, which sshd without PAM takes for a locked account and
    /// refuses even with a valid key; `*` is no password either, but not locked.
    public func authorize(_ user: String) throws -> SSHClient {
        guard getpwnam(user) != nil else { throw TestServerError("no login \(user) to let into sshd") }
        let key = directory + "/keys/" + user
        if !FileManager.default.fileExists(atPath: key) {
            try Self.check(
                ChildProcess.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "\(user)@locus-test", "-f", key]),
                "ssh-keygen for \(user)"
            )
            let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8)
            try Self.write(directory + "/authorized_keys/" + user, publicKey, mode: 0o644)
            if Self.isLocked(user) {
                let usermod = try TestTool.require("usermod", package: "passwd")
                try Self.check(ChildProcess.run(usermod, ["-p", "*", user]), "usermod -p '*' \(user)")
            }
        }
        return SSHClient(
            user: user,
            executable: ssh,
            options: [
                "-F", "/dev/null", "-p", String(port), "-i", key, "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + directory + "/known_hosts", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10",
            ]
        )
    }

    /// The connections open now, in PID order.
    public func connections() -> [SSHConnection] {
        let table = ProcessTable()
        return table.children(of: process.pid).map { monitor in
            let below = table.descendants(of: monitor.pid)
            // sshd before 9.8, sshd-session and sshd-auth after.
            let isServer = { (entry: ProcessTable.Entry) in entry.name.hasPrefix("sshd") }
            return SSHConnection(
                serverProcesses: [monitor] + below.filter(isServer),
                commands: below.filter { !isServer($0) }
            )
        }
    }

    /// Kills the connection's sshd processes at once, as a jump host that loses the link would leave
    /// it: nothing on the server side closes the session cleanly, its terminal just hangs up.
    public func drop(_ connection: SSHConnection) {
        for entry in connection.serverProcesses { kill(entry.pid, SIGKILL) }
    }

    deinit {
        // The listener leaves its connections running when it ends.
        for connection in connections() { drop(connection) }
        process.killAndReap()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Whether the shadow entry's password starts with `!`, which sshd takes for a locked account.
    /// Once unlocked, /etc/shadow is left alone: another suite may be changing the logins' groups.
    private static func isLocked(_ user: String) -> Bool {
        // Swift's Glibc module has no shadow.h (getspnam): the file is read as the root the tests run as.
        let shadow = (try? String(contentsOfFile: "/etc/shadow", encoding: .utf8)) ?? ""
        let entry = shadow.split(separator: "\n").first { $0.hasPrefix(user + ":") }
        guard let password = entry?.split(separator: ":", omittingEmptySubsequences: false).dropFirst().first else {
            return true
        }
        return password.hasPrefix("!")
    }

    /// sshd refuses to start without its privilege separation directory, which only the service
    /// scripts create, at boot.
    private static func ensurePrivilegeSeparationDirectory() throws {
        guard !FileManager.default.fileExists(atPath: "/run/sshd") else { return }
        guard mkdir("/run/sshd", 0o755) == 0 || errno == EEXIST else {
            throw TestServerError("cannot create /run/sshd (run as root): \(String(cString: strerror(errno)))")
        }
    }

    /// The host key, the directories for the logins' keys and the known_hosts file that pins the
    /// host key to `[127.0.0.1]:PORT`, so that no client reaches another server by mistake.
    private static func prepare(_ directory: String, port: UInt16, keygen: String) throws {
        chmod(directory, 0o755)
        try check(
            ChildProcess.run(
                keygen,
                ["-q", "-t", "ed25519", "-N", "", "-C", "locus-test-host", "-f", directory + "/host_key"]
            ),
            "ssh-keygen for the host key"
        )
        guard mkdir(directory + "/authorized_keys", 0o755) == 0, mkdir(directory + "/keys", 0o700) == 0 else {
            throw TestServerError("cannot create the key directories in \(directory)")
        }
        let hostKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        try write(directory + "/known_hosts", "[127.0.0.1]:\(port) \(hostKey)\n", mode: 0o600)
    }

    private static func configuration(_ directory: String, _ port: UInt16) -> String {
        """
        ListenAddress 127.0.0.1
        Port \(port)
        HostKey \(directory)/host_key
        PidFile \(directory)/sshd.pid
        AuthorizedKeysFile \(directory)/authorized_keys/%u
        StrictModes no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        PermitRootLogin no
        AllowTcpForwarding no
        AllowAgentForwarding no
        X11Forwarding no
        PrintMotd no

        """
    }

    /// True once this very sshd says it listens on the port and a connection to it is accepted;
    /// false when it exited (most likely the port was taken) or the deadline passed.
    private static func waitUntilAccepting(port: UInt16, process: ServerProcess) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, process.isRunning {
            if process.log.contains("Server listening on 127.0.0.1 port \(port)."), accepts(port) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    private static func accepts(_ port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = LoopbackSocket.loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func write(_ path: String, _ contents: String, mode: Int) throws {
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data(contents.utf8),
                attributes: [.posixPermissions: mode]
            )
        else { throw TestServerError("cannot write \(path)") }
    }

    private static func check(_ output: ChildProcess.Output, _ what: String) throws {
        guard output.status == 0 else {
            throw TestServerError("\(what) failed (exit \(output.status)): \(output.stderr)\(output.stdout)")
        }
    }
}

/// One connection to an `SSHServer`, as /proc showed it when asked.
public struct SSHConnection: Sendable {
    /// Its sshd processes: the privileged monitor first, then the one running as the login.
    public var serverProcesses: [ProcessTable.Entry]
    /// What the login runs in it: the shell sshd started for the command, and that shell's children.
    public var commands: [ProcessTable.Entry]
}

/// How one authorised login reaches an `SSHServer`: `ssh` with the login's key, the server's host
/// key pinned and no file of the invoking user read (`-F /dev/null`, no agent keys), so that a
/// connection reaches that server as that login or fails.
public struct SSHClient: Sendable {
    public let user: String
    public let executable: String
    let options: [String]

    /// The arguments after the executable that run `command` as the login; each word is quoted for
    /// the login's shell, which sshd hands the command to. With `terminal`, `-tt`: a pseudo-terminal
    /// on the server even when this side has none (as an operator's ssh from a terminal gets).
    public func arguments(terminal: Bool, _ command: [String]) -> [String] {
        (terminal ? ["-tt"] : []) + options + ["\(user)@127.0.0.1"] + command.map(Self.quoted)
    }

    /// The whole command line, quoted for a POSIX shell, to type into one (a tmux pane).
    public func commandLine(terminal: Bool, _ command: [String]) -> String {
        ([executable] + arguments(terminal: terminal, command)).map(Self.quoted).joined(separator: " ")
    }

    /// Runs `command` over ssh to completion: without a terminal, its stdout and stderr apart; with
    /// one, both in stdout with CRLF line ends. The status is the command's, or 255 from ssh itself.
    public func run(_ command: [String], terminal: Bool = false) async throws -> ChildProcess.Output {
        try await ChildProcess.runDetached(executable, arguments(terminal: terminal, command))
    }

    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
