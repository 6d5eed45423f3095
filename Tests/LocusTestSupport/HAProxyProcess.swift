import Foundation

/// A backend of a test's HAProxy and its servers. HAProxy never sends them a packet (see `HAProxyProcess`).
public struct HAProxyBackend: Sendable {
    public struct Server: Sendable {
        public var name: String
        public var address: String
        public var port: Int

        public init(name: String, address: String, port: Int) {
            self.name = name
            self.address = address
            self.port = port
        }
    }

    public var name: String
    public var servers: [Server]

    public init(name: String, servers: [Server]) {
        self.name = name
        self.servers = servers
    }
}

/// A throwaway HAProxy whose Runtime API (level admin) listens on 127.0.0.1 or on a unix socket,
/// `admin.sock` in its own directory, with the backends given. No server has `check` and there
/// is no frontend, so HAProxy never sends a packet to a server address.
public final class HAProxyProcess: TestServer {
    public enum Listener: Sendable {
        case loopbackTCP
        case unixSocket
    }

    public let directory: String
    public let runtimeAPI: HAProxyRuntimeAPI
    public let process: ServerProcess

    /// Starts HAProxy and returns once its Runtime API answers `show info` as this process. A TCP
    /// port taken between choosing and binding it makes HAProxy exit; another port is tried then.
    public init(backends: [HAProxyBackend], listener: Listener = .loopbackTCP) async throws {
        let haproxy = try TestTool.require("haproxy", package: "haproxy")
        var failure = ""
        for _ in 1...4 {
            let directory = try makeServerDirectory("haproxy")
            let runtimeAPI: HAProxyRuntimeAPI =
                switch listener {
                case .loopbackTCP: .tcp(port: try LoopbackSocket.freePort())
                case .unixSocket: .unix(path: directory + "/admin.sock")
                }
            let process = try ServerProcess.start(
                in: directory,
                writing: [(directory + "/haproxy.cfg", Self.configuration(runtimeAPI, backends))],
                haproxy,
                ["-db", "-f", directory + "/haproxy.cfg"],
                logFile: directory + "/haproxy.log"
            )
            guard let reason = await Self.whyNotAnswering(runtimeAPI, process: process) else {
                self.directory = directory
                self.runtimeAPI = runtimeAPI
                self.process = process
                return
            }
            await process.stop()
            failure = "\(reason); its log:\n\(process.log)"
            try? FileManager.default.removeItem(atPath: directory)
        }
        throw TestServerError("haproxy's Runtime API did not answer after 4 tries: \(failure)")
    }

    /// One Runtime API command and HAProxy's reply.
    public func command(_ text: String) async throws -> String {
        try await runtimeAPI.send(text)
    }

    deinit {
        process.killAndReap()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Nil once `show info` is answered by this very process (a bare connect may succeed before the
    /// Runtime API is served, and another process may hold the port); else why it never was.
    private static func whyNotAnswering(_ runtimeAPI: HAProxyRuntimeAPI, process: ServerProcess) async -> String? {
        let deadline = ContinuousClock.now + .seconds(20)
        var lastError = "no answer yet"
        while ContinuousClock.now < deadline {
            guard process.isRunning else { return "haproxy exited" }
            do {
                let info = try await runtimeAPI.send("show info")
                if info.contains("Name:"), info.contains("Pid: \(process.pid)") { return nil }
                lastError = "show info without this process's Name and Pid: \(info)"
            } catch {
                lastError = "\(error)"
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return lastError
    }

    private static func configuration(_ runtimeAPI: HAProxyRuntimeAPI, _ backends: [HAProxyBackend]) -> String {
        let socket =
            switch runtimeAPI {
            case .tcp(let port): "ipv4@127.0.0.1:\(port) level admin"
            case .unix(let path): "\(path) mode 600 level admin"
            }
        var text = """
            global
                stats socket \(socket)
                stats timeout 10s
                nbthread 1

            defaults
                mode tcp
                timeout connect 1s
                timeout client 5s
                timeout server 5s

            """
        for backend in backends {
            text += "\nbackend \(backend.name)\n"
            for server in backend.servers {
                text += "    server \(server.name) \(server.address):\(server.port)\n"
            }
        }
        return text
    }
}
