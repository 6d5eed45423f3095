import Foundation
import LocusCore
import LocusEngine
import Logging
import NIOCore
import NIOPosix

/// A real HAProxy whose pools are lab workloads, driven only through its Runtime API on 127.0.0.1.
///
/// ```swift
/// let members = [LabLoadBalancer.Member(backend: "be_web", server: "web-03", address: eid, port: 80)]
/// if let balancer = try await LabLoadBalancer.start(members: members, directory: directory) {
///     let state = try await balancer.client.serversState(backend: "be_web")
///     await balancer.stop()
/// }
/// ```
public actor LabLoadBalancer {
    public static let configFileName = "haproxy.cfg"
    public static let logFileName = "haproxy.log"
    /// How long HAProxy has to answer `show info` after it is launched.
    static let readinessDeadline: Duration = .seconds(20)
    /// How long `stop()` waits after SIGTERM before SIGKILL.
    static let stopDeadline: Duration = .seconds(10)
    /// Launches tried when HAProxy finds its Runtime API port taken between our probe and its bind.
    static let bindAttempts = 5

    public nonisolated let members: [Member]
    /// `127.0.0.1:PORT`, as a `runtime_api` value in `locus.toml`.
    public nonisolated let runtimeAPI: String
    public nonisolated let runtimeAPIAddress: RuntimeAPIAddress
    public nonisolated let client: HAProxyRuntimeClient
    public nonisolated let processIdentifier: Int32
    public nonisolated let configFile: String
    public nonisolated let logFile: String
    private let process: Process
    private let logger: Logger
    private var isStopped = false

    private init(members: [Member], port: UInt16, process: Process, directory: LabDirectory, logger: Logger) {
        self.members = members
        let endpoint = Endpoint(host: "127.0.0.1", port: port)
        self.runtimeAPI = endpoint.description
        self.runtimeAPIAddress = .tcp(endpoint)
        self.client = HAProxyRuntimeClient(address: .tcp(endpoint), timeout: .seconds(5))
        self.processIdentifier = process.processIdentifier
        self.configFile = directory.url(Self.configFileName)
        self.logFile = directory.url(Self.logFileName)
        self.process = process
        self.logger = logger
    }

    /// A lab dropped without `stop()` must not leave HAProxy running behind it.
    deinit {
        if !isStopped, process.isRunning {
            process.terminate()
        }
    }

    /// Starts HAProxy with `members` as its pools, writing `haproxy.cfg` and `haproxy.log` into `directory`,
    /// and returns once its Runtime API answers; `nil` when HAProxy is not installed, so the lab runs without.
    public static func start(
        members: [Member],
        directory: LabDirectory,
        logger: Logger = Logger(label: "locus.lab.haproxy")
    ) async throws(LabLoadBalancerError) -> LabLoadBalancer? {
        guard let executable = executablePath() else {
            logger.notice("haproxy is not installed (not on PATH nor /usr/sbin/haproxy): the lab runs without one")
            return nil
        }
        return try await start(members: members, directory: directory, executable: executable, logger: logger)
    }

    /// Starts the HAProxy at `executable`; see `start(members:directory:logger:)`.
    public static func start(
        members: [Member],
        directory: LabDirectory,
        executable: String,
        logger: Logger = Logger(label: "locus.lab.haproxy")
    ) async throws(LabLoadBalancerError) -> LabLoadBalancer {
        try await start(members: members, directory: directory, executable: executable, logger: logger) {
            () async throws(LabLoadBalancerError) -> Int in try await freePort()
        }
    }

    /// `nextPort` gives the Runtime API port of each attempt; tests hand it a taken one to see the retry.
    static func start(
        members: [Member],
        directory: LabDirectory,
        executable: String,
        logger: Logger = Logger(label: "locus.lab.haproxy"),
        nextPort: () async throws(LabLoadBalancerError) -> Int
    ) async throws(LabLoadBalancerError) -> LabLoadBalancer {
        let configFile = directory.url(configFileName)
        let logFile = directory.url(logFileName)
        for attempt in 1...bindAttempts {
            let candidate = try await nextPort()
            guard let port = UInt16(exactly: candidate), port != 0 else {
                throw .noFreePort(reason: "\(candidate) is not a port to listen on")
            }
            let text = try LabLoadBalancerConfiguration.render(members: members, runtimeAPIPort: Int(port))
            do {
                try directory.write(text, to: configFileName)
            } catch {
                throw .cannotWrite(path: configFile, reason: error.description)
            }
            let process = try launch(executable, configFile: configFile, logFile: logFile)
            // Short: a listener that is not HAProxy (the port was taken) never answers, and each try
            // waits this long before noticing that HAProxy itself has exited.
            let probe = HAProxyRuntimeClient(
                address: .tcp(Endpoint(host: "127.0.0.1", port: port)),
                timeout: .milliseconds(500)
            )
            switch await waitUntilReady(process, client: probe) {
            case .ready:
                let balancer = LabLoadBalancer(
                    members: members,
                    port: port,
                    process: process,
                    directory: directory,
                    logger: logger
                )
                logger.info(
                    "haproxy is running",
                    metadata: [
                        "pid": "\(process.processIdentifier)", "runtime_api": "\(balancer.runtimeAPI)",
                        "servers": "\(members.count)",
                    ]
                )
                return balancer
            case .exited(let status):
                let log = logTail(logFile)
                if log.contains("Address already in use"), attempt < bindAttempts {
                    logger.debug(
                        "haproxy found its Runtime API port taken; trying another",
                        metadata: ["port": "\(port)"]
                    )
                    continue
                }
                throw .exited(status: status, logFile: logFile, logTail: log)
            case .timedOut(let lastError):
                await terminate(process)
                throw .runtimeAPINotAnswering(
                    runtimeAPI: "127.0.0.1:\(port)",
                    after: readinessDeadline,
                    lastError: lastError,
                    logFile: logFile,
                    logTail: logTail(logFile)
                )
            case .cancelled:
                await terminate(process)
                throw .cancelled
            }
        }
        // Every attempt either returned or threw; the last one throws whatever HAProxy said.
        throw .exited(status: -1, logFile: logFile, logTail: logTail(logFile))
    }

    /// Stops HAProxy: SIGTERM, then SIGKILL if it is still there after a deadline. Later calls do nothing.
    public func stop() async {
        guard !isStopped else { return }
        isStopped = true
        await Self.terminate(process)
        logger.info("haproxy stopped", metadata: ["pid": "\(processIdentifier)"])
    }

    /// Whether the HAProxy process is still running.
    public nonisolated var isRunning: Bool { process.isRunning }

    /// `haproxy` on `PATH`, else the first of `fallbacks` that is executable.
    static func executablePath(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fallbacks: [String] = ["/usr/sbin/haproxy"]
    ) -> String? {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let candidates = directories.map { $0 + "/haproxy" } + fallbacks
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    // MARK: - Launching and waiting

    private enum Readiness {
        case ready
        case exited(Int32)
        case timedOut(lastError: String)
        case cancelled
    }

    /// A port free on 127.0.0.1 at the time of asking, chosen below the kernel's ephemeral range (32768
    /// and up by default): a port the kernel chose could be handed to another process's outgoing
    /// connection before HAProxy binds it, which on a busy host happens again and again. HAProxy may
    /// still lose it to someone else, which `start` notices in its log and retries.
    static func freePort() async throws(LabLoadBalancerError) -> Int {
        var lastError = "no attempt"
        for _ in 0..<50 {
            let candidate = Int.random(in: 20_000..<32_768)
            do {
                let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .bind(host: "127.0.0.1", port: candidate).get()
                try await channel.close()
                return candidate
            } catch {
                lastError = "\(error)"
            }
        }
        throw .noFreePort(reason: "no port between 20000 and 32767 could be bound (last: \(lastError))")
    }

    private static func launch(
        _ executable: String,
        configFile: String,
        logFile: String
    ) throws(LabLoadBalancerError) -> Process {
        // Close-on-exec so that only HAProxy (through its stdout and stderr) holds the log open, not
        // whatever else this process spawns meanwhile.
        let descriptor = open(logFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotWrite(path: logFile, reason: String(cString: strerror(errno)))
        }
        let log = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // -db: stay in the foreground as one process, so its PID is HAProxy's and it dies with SIGTERM.
        process.arguments = ["-db", "-f", configFile]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw .cannotLaunch(executable: executable, reason: "\(error)")
        }
        return process
    }

    /// Ready means `show info` answers with a `Name:` line and this process's `Pid:`: a bare connect may
    /// succeed before HAProxy serves the socket, and another HAProxy could have taken the port first.
    private static func waitUntilReady(_ process: Process, client: HAProxyRuntimeClient) async -> Readiness {
        let end = ContinuousClock.now + readinessDeadline
        var lastError = "no answer yet"
        while true {
            if !process.isRunning {
                return .exited(process.terminationStatus)
            }
            do {
                let reply = try await client.send("show info")
                let lines = reply.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                let pid = lines.first { $0.hasPrefix("Pid:") }?.dropFirst("Pid:".count)
                    .trimmingCharacters(in: .whitespaces)
                if lines.contains(where: { $0.hasPrefix("Name:") }), pid == String(process.processIdentifier) {
                    return .ready
                }
                lastError = "show info was answered by another process (Pid: \(pid ?? "none"))"
            } catch {
                lastError = error.description
            }
            if ContinuousClock.now >= end {
                return .timedOut(lastError: lastError)
            }
            try? await Task.sleep(for: .milliseconds(50))
            if Task.isCancelled {
                return .cancelled
            }
        }
    }

    private static func terminate(_ process: Process) async {
        guard process.isRunning else { return }
        process.terminate()
        if await waitForExit(process, within: stopDeadline) { return }
        kill(process.processIdentifier, SIGKILL)
        _ = await waitForExit(process, within: .seconds(5))
    }

    private static func waitForExit(_ process: Process, within deadline: Duration) async -> Bool {
        let end = ContinuousClock.now + deadline
        while process.isRunning {
            guard ContinuousClock.now < end else { return false }
            // Slept in a detached task: a stop that was asked for still waits when the caller's task is
            // cancelled, instead of spinning through sleeps that return at once.
            await Task.detached { try? await Task.sleep(for: .milliseconds(20)) }.value
        }
        return true
    }

    /// The last lines of HAProxy's log, for an error an operator can act on.
    static func logTail(_ path: String, lines count: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(\(path) cannot be read)" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(count).joined(separator: "\n")
    }
}
