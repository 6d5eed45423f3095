import Foundation
import LocusCore
import LocusEngine
import LocusTestSupport
import NIOCore
import NIOPosix
import Testing

@Suite("TCP probe")
struct TCPProbeTests {
    let probe = TCPProbe(timeout: .seconds(5))

    @Test("an open port connects, with an RTT, and the role is shown")
    func open() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let target = Endpoint(host: "127.0.0.1", port: UInt16(port))
        let result = await probe.probe(target)
        guard case .connected = result else {
            Issue.record("expected a connection, got \(result)")
            return
        }
        let status = TCPProbe.status(
            of: result,
            spec: TCPDependencySpec(target: target, role: .auth),
            checkedAt: Date()
        )
        #expect(status.state == .ok)
        #expect(status.role == "auth")
        #expect(status.rtt != nil)
        #expect(status.target == "127.0.0.1:\(port)")
    }

    @Test("a target given by name is resolved by NIO, not on the cooperative pool, and connects")
    func byName() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let result = await probe.probe(Endpoint(host: "localhost", port: UInt16(port)))
        guard case .connected = result else {
            Issue.record("expected a connection, got \(result)")
            return
        }
    }

    @Test("a closed port is refused")
    func closed() async throws {
        let port = try LoopbackSocket.freePort()
        let target = Endpoint(host: "127.0.0.1", port: UInt16(port))
        let result = await probe.probe(target)
        #expect(result == .refused)
        let status = TCPProbe.status(
            of: result,
            spec: TCPDependencySpec(target: target, role: .storage),
            checkedAt: Date()
        )
        #expect(status.state == .unreachable)
        #expect(status.detail == "connection refused")
    }

    @Test("a listener whose accept queue is full never completes the handshake: timeout")
    func handshakeNeverCompletes() async throws {
        let listener = try LoopbackSocket(listening: true, backlog: 0)
        defer { listener.close() }
        let target = Endpoint(host: "127.0.0.1", port: listener.port)
        let probe = TCPProbe(timeout: .seconds(1))
        // Fill the queue: connections complete until it is full, then the kernel drops SYNs.
        let deadline = ContinuousClock.now + .seconds(20)
        var filled = false
        while ContinuousClock.now < deadline {
            if case .timeout = await probe.probe(target) {
                filled = true
                break
            }
        }
        #expect(filled, "the accept queue never filled")
        let result = await probe.probe(target)
        #expect(result == .timeout(after: .seconds(1)))
        let status = TCPProbe.status(of: result, spec: TCPDependencySpec(target: target), checkedAt: Date())
        #expect(status.state == .unreachable)
        #expect(status.detail?.hasPrefix("timeout") == true)
        #expect(status.role == "other")
    }
}
