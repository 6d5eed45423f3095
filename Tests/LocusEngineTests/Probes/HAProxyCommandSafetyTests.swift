import Foundation
import Glibc
import LocusCore
import LocusEngine
import LocusTestSupport
import Testing

/// Names reach the Runtime API client from every inventory source; whatever they hold, nothing
/// outside HAProxy's name characters may reach the socket, where `;` or a newline starts a command.
@Suite("HAProxy Runtime API: unsafe names are never sent", .serialized)
struct HAProxyCommandSafetyTests {
    static let injections = [
        "web01 addr 10.9.9.9",
        "web01;disable server be_web/web02",
        "web01\nshutdown sessions server be_web/web02",
        "web01\tweb02",
        "web01#",
        "",
    ]

    /// A listening socket whose handshakes the kernel completes without anyone accepting, so
    /// any connection the client makes is waiting in its backlog.
    static func listener() throws -> (LoopbackSocket, HAProxyRuntimeClient) {
        let socket = try LoopbackSocket(listening: true)
        _ = fcntl(socket.descriptor, F_SETFL, fcntl(socket.descriptor, F_GETFL) | O_NONBLOCK)
        let address = RuntimeAPIAddress.tcp(Endpoint(host: "127.0.0.1", port: socket.port))
        return (socket, HAProxyRuntimeClient(address: address, timeout: .seconds(10)))
    }

    /// The first line a client sent on a connection waiting on `socket`, or nil when none is waiting.
    static func pendingCommand(on socket: LoopbackSocket) -> String? {
        let connection = accept(socket.descriptor, nil, nil)
        guard connection >= 0 else { return nil }
        defer { close(connection) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(UInt8(ascii: "\n")) {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer.prefix(count)
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("a bad backend or server name is refused before connecting", arguments: injections)
    func refusedBeforeConnecting(name: String) async throws {
        let (socket, client) = try Self.listener()
        defer { socket.close() }
        let expected = HAProxyError.unsafeArgument(
            role: "server",
            value: name,
            character: HAProxyName.firstDisallowed(in: name),
            address: client.address
        )
        await #expect(throws: expected) { try await client.disableServer(backend: "be_web", server: name) }
        await #expect(throws: expected) { try await client.enableServer(backend: "be_web", server: name) }
        await #expect(throws: expected) {
            try await client.setServerAddress(backend: "be_web", server: name, address: "127.0.3.1", port: 80)
        }
        await #expect {
            try await client.serversState(backend: name)
        } throws: { error in
            guard case .unsafeArgument(let role, let value, _, _) = error as? HAProxyError else { return false }
            return role == "backend" && value == name
        }
        await #expect {
            try await client.setServerAddress(backend: "be_web", server: "web01", address: name, port: 80)
        } throws: { error in
            guard case .unsafeArgument(let role, _, _, _) = error as? HAProxyError else { return false }
            return role == "address"
        }
        #expect(Self.pendingCommand(on: socket) == nil, "the client connected for \(name.debugDescription)")
    }

    @Test("the check above would see a connection: a good name is sent as one line")
    func goodNameIsSent() async throws {
        let (socket, client) = try Self.listener()
        defer { socket.close() }
        let sending = Task { try? await client.disableServer(backend: "be_web", server: "web01") }
        var command: String?
        let deadline = ContinuousClock.now + .seconds(10)
        while command == nil, ContinuousClock.now < deadline {
            command = Self.pendingCommand(on: socket)
            if command == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        _ = await sending.value
        #expect(command == "disable server be_web/web01\n")
    }

    @Test("a raw command that would chain another is not sent")
    func rawCommandChainingIsRefused() async throws {
        let (socket, client) = try Self.listener()
        defer { socket.close() }
        for command in ["show info;shutdown sessions", "show info\nshutdown sessions", "show info\\;x", "show infö"] {
            await #expect {
                try await client.send(command)
            } throws: { error in
                guard case .unsafeCommand(let refused, _, _) = error as? HAProxyError else { return false }
                return refused == command
            }
        }
        #expect(Self.pendingCommand(on: socket) == nil)
    }

    @Test("the probe reports a refused backend name on its members and asks nothing")
    func probeReportsRefusedName() async throws {
        let (socket, client) = try Self.listener()
        defer { socket.close() }
        let probe = LoadBalancerProbe(
            config: LoadBalancerConfig(name: "edge", runtimeAPI: client.address),
            client: client
        )
        let member = LoadBalancerProbe.Member(
            spec: LoadBalancerDependencySpec(balancer: "edge", backend: "be web", server: "web01", port: 80),
            address: try #require(IPAddress("127.0.3.1"))
        )
        let statuses = try await probe.check([member], checkedAt: Date())
        #expect(statuses.map(\.state) == [.unknown])
        #expect(statuses.first?.detail?.contains(#"backend "be web": character ' ' (U+0020) is not allowed"#) == true)
        #expect(Self.pendingCommand(on: socket) == nil)
    }

    @Test("an injection through a server name leaves a real HAProxy untouched")
    func realHAProxyIsUntouched() async throws {
        let haproxy = try await HAProxyServer()
        let client = HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(5))
        await #expect(throws: HAProxyError.self) {
            try await client.disableServer(backend: "be_web", server: "web01;disable server be_web/web02")
        }
        await #expect(throws: HAProxyError.self) {
            try await client.setServerAddress(
                backend: "be_web",
                server: "web03",
                address: "127.0.3.3 port 8080\nset server be_web/web01 addr 127.0.3.66",
                port: 8080
            )
        }
        let state = try await client.serversState(backend: "be_web")
        #expect(state.servers.values.allSatisfy { !$0.isInMaintenance })
        #expect(state.servers["web01"]?.address == "127.0.3.1")
        #expect(state.servers["web03"]?.address == "127.0.3.3")
    }
}
