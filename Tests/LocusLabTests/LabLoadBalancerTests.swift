import Foundation
import LISP
import LocusCore
import LocusEngine
import Testing

@testable import LocusLab

@Suite("The lab's HAProxy", .serialized)
struct LabLoadBalancerTests {
    /// Two backends, one IPv6 server: HAProxy only holds them, nothing is sent to these addresses.
    static func members() throws -> [LabLoadBalancer.Member] {
        [
            try LabLoadBalancer.Member(backend: "be_web", server: "web-01", address: "127.0.3.1", port: 80),
            try LabLoadBalancer.Member(backend: "be_web", server: "web-03", address: "127.0.3.3", port: 8080),
            try LabLoadBalancer.Member(backend: "be_db", server: "db-01", address: "2001:db8::10", port: 5432),
        ]
    }

    /// The HAProxy to test with; in CI it must be installed, elsewhere a missing one skips the test body.
    static func haproxy() throws -> String? {
        if let path = LabLoadBalancer.executablePath() { return path }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("haproxy is not installed: `apt-get install -y --no-install-recommends haproxy`")
            throw LabLoadBalancerError.cannotLaunch(executable: "haproxy", reason: "not installed")
        }
        return nil
    }

    /// Starts the members' HAProxy in a fresh directory and stops it after `body`, whatever happens.
    static func withBalancer(
        _ body: (LabLoadBalancer, LabDirectory) async throws -> Void
    ) async throws {
        guard let executable = try haproxy() else { return }
        let members = try members()
        let directory = try LabDirectory(path: nil)
        defer { directory.removeIfTemporary() }
        let balancer = try await LabLoadBalancer.start(members: members, directory: directory, executable: executable)
        do {
            try await body(balancer, directory)
        } catch {
            await balancer.stop()
            throw error
        }
        await balancer.stop()
    }

    @Test("the pools are the members, with their addresses, in one backend each")
    func pools() async throws {
        try await Self.withBalancer { balancer, _ in
            #expect(balancer.runtimeAPI.hasPrefix("127.0.0.1:"))
            let web = try await balancer.client.serversState(backend: "be_web")
            #expect(web.servers.keys.sorted() == ["web-01", "web-03"])
            #expect(web.servers["web-01"]?.address == "127.0.3.1")
            #expect(web.servers["web-01"]?.port == 80)
            #expect(web.servers["web-03"]?.address == "127.0.3.3")
            #expect(web.servers["web-03"]?.port == 8080)
            #expect(web.servers["web-03"]?.isInMaintenance == false)
            let db = try await balancer.client.serversState(backend: "be_db")
            #expect(db.servers.keys.sorted() == ["db-01"])
            #expect(db.servers["db-01"]?.address == "2001:db8::10")
            #expect(db.servers["db-01"]?.port == 5432)
        }
    }

    @Test("the configuration has no health checks and no frontend, and the log is written")
    func configurationSendsNothing() async throws {
        try await Self.withBalancer { balancer, directory in
            let text = try String(contentsOfFile: balancer.configFile, encoding: .utf8)
            #expect(balancer.configFile == directory.url("haproxy.cfg"))
            #expect(text.contains("stats socket ipv4@\(balancer.runtimeAPI) level admin"))
            #expect(text.contains("    server web-03 127.0.3.3:8080\n"))
            #expect(text.contains("    server db-01 [2001:db8::10]:5432\n"))
            let words = text.split(whereSeparator: \.isWhitespace)
            #expect(!words.contains("check"))
            #expect(!words.contains("frontend"))
            #expect(!words.contains("listen"))
            #expect(FileManager.default.fileExists(atPath: directory.url("haproxy.log")))
        }
    }

    @Test("set server addr through the client shows in the next state")
    func setServerAddress() async throws {
        try await Self.withBalancer { balancer, _ in
            let reply = try await balancer.client.setServerAddress(
                backend: "be_web",
                server: "web-03",
                address: "127.0.3.30",
                port: 8081
            )
            #expect(reply.contains("127.0.3.30"))
            let state = try await balancer.client.serversState(backend: "be_web")
            #expect(state.servers["web-03"]?.address == "127.0.3.30")
            #expect(state.servers["web-03"]?.port == 8081)
            #expect(state.servers["web-01"]?.address == "127.0.3.1")
        }
    }

    @Test("stop ends the process and closes the Runtime API; a second stop does nothing")
    func stop() async throws {
        guard let executable = try Self.haproxy() else { return }
        let directory = try LabDirectory(path: nil)
        defer { directory.removeIfTemporary() }
        let balancer = try await LabLoadBalancer.start(
            members: try Self.members(),
            directory: directory,
            executable: executable
        )
        #expect(balancer.isRunning)
        let pid = balancer.processIdentifier
        await balancer.stop()
        #expect(!balancer.isRunning)
        #expect(kill(pid, 0) != 0)
        await #expect {
            try await balancer.client.send("show info")
        } throws: { error in
            switch error as? HAProxyError {
            case .connectionRefused: return true
            // A connection caught while the listener is torn down is reset rather than refused.
            case .network(_, let reason): return reason.contains("reset")
            default: return false
            }
        }
        await balancer.stop()
        #expect(!balancer.isRunning)
    }

    @Test("a server name HAProxy refuses is an error quoting its log, not a hang")
    func refusedServerName() async throws {
        guard let executable = try Self.haproxy() else { return }
        let directory = try LabDirectory(path: nil)
        defer { directory.removeIfTemporary() }
        let members = [try LabLoadBalancer.Member(backend: "be_web", server: "web/03", address: "127.0.3.3", port: 80)]
        await #expect {
            _ = try await LabLoadBalancer.start(members: members, directory: directory, executable: executable)
        } throws: { error in
            guard case .exited(_, let logFile, let logTail) = error as? LabLoadBalancerError else { return false }
            return logFile == directory.url("haproxy.log") && logTail.contains("'/' is not permitted")
                && "\(error)".contains("haproxy.log") && "\(error)".contains("web/03")
        }
    }

    @Test("two servers of one name in a backend are an error quoting HAProxy's log")
    func duplicateServer() async throws {
        guard let executable = try Self.haproxy() else { return }
        let directory = try LabDirectory(path: nil)
        defer { directory.removeIfTemporary() }
        let members = [
            try LabLoadBalancer.Member(backend: "be_web", server: "web-01", address: "127.0.3.1", port: 80),
            try LabLoadBalancer.Member(backend: "be_web", server: "web-01", address: "127.0.3.2", port: 80),
        ]
        await #expect {
            _ = try await LabLoadBalancer.start(members: members, directory: directory, executable: executable)
        } throws: { error in
            guard case .exited(let status, _, let logTail) = error as? LabLoadBalancerError else { return false }
            return status != 0 && logTail.contains("web-01") && logTail.contains("distinct names")
        }
    }

    @Test("a Runtime API port taken before HAProxy binds it is given up for another")
    func takenPort() async throws {
        guard let executable = try Self.haproxy() else { return }
        let taken = try TakenPort()
        let directory = try LabDirectory(path: nil)
        defer { directory.removeIfTemporary() }
        var handed: [Int] = []
        let balancer = try await LabLoadBalancer.start(
            members: try Self.members(),
            directory: directory,
            executable: executable
        ) { () async throws(LabLoadBalancerError) -> Int in
            let port = handed.isEmpty ? taken.port : try await LabLoadBalancer.freePort()
            handed.append(port)
            return port
        }
        #expect(handed.count == 2)
        #expect(balancer.runtimeAPI == "127.0.0.1:\(handed.last ?? 0)")
        let state = try await balancer.client.serversState(backend: "be_web")
        await balancer.stop()
        #expect(state.servers.keys.sorted() == ["web-01", "web-03"])
    }

    @Test("a port taken at every attempt ends in an error quoting HAProxy's bind failure")
    func portAlwaysTaken() async throws {
        guard let executable = try Self.haproxy() else { return }
        let taken = try TakenPort()
        let directory = try LabDirectory(path: nil)
        defer { directory.removeIfTemporary() }
        var attempts = 0
        await #expect {
            _ = try await LabLoadBalancer.start(
                members: try Self.members(),
                directory: directory,
                executable: executable
            ) { () async throws(LabLoadBalancerError) -> Int in
                attempts += 1
                return taken.port
            }
        } throws: { error in
            guard case .exited(_, _, let logTail) = error as? LabLoadBalancerError else { return false }
            return logTail.contains("Address already in use")
        }
        #expect(attempts == LabLoadBalancer.bindAttempts)
    }

    @Test("names that would change the configuration's lines are refused before HAProxy runs")
    func unsafeNames() throws {
        let address = LISP.IPAddress.v4(IPv4Address(127, 0, 3, 1))
        for (backend, server) in [
            ("be_web", "web-01 check"), ("be_web\nfrontend", "web-01"), ("be_web", ""), ("#", "a"),
        ] {
            let member = LabLoadBalancer.Member(backend: backend, server: server, address: address, port: 80)
            #expect(throws: LabLoadBalancerError.self) {
                try LabLoadBalancerConfiguration.render(members: [member], runtimeAPIPort: 9999)
            }
        }
    }

    @Test("a host name is refused: HAProxy would resolve it")
    func hostName() {
        #expect {
            try LabLoadBalancer.Member(backend: "be_web", server: "web-01", address: "web01.example.net", port: 80)
        } throws: { error in
            guard case .invalidMember(_, _, let reason) = error as? LabLoadBalancerError else { return false }
            return reason.contains("web01.example.net")
        }
    }

    @Test("haproxy is looked for on PATH, then in the fallbacks")
    func executableLookup() throws {
        #expect(LabLoadBalancer.executablePath(environment: ["PATH": ""], fallbacks: []) == nil)
        #expect(LabLoadBalancer.executablePath(environment: [:], fallbacks: ["/nonexistent/haproxy"]) == nil)
        guard let installed = try Self.haproxy() else { return }
        let directory = (installed as NSString).deletingLastPathComponent
        #expect(
            LabLoadBalancer.executablePath(environment: ["PATH": "/nonexistent:\(directory)"], fallbacks: [])
                == installed
        )
        #expect(LabLoadBalancer.executablePath(environment: [:], fallbacks: [installed]) == installed)
    }
}

/// A listening socket on 127.0.0.1 that holds its port until it is deallocated.
private final class TakenPort: Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 1) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            Issue.record("cannot listen on 127.0.0.1: \(reason)")
            throw LabLoadBalancerError.noFreePort(reason: reason)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}
