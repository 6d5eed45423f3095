import Foundation
import LocusCore
import LocusEngine
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

    @Test("a closed port is refused")
    func closed() async throws {
        let port = try ProbeServers.freePort()
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
        let listener = try FullListener()
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

/// A socket listening with a backlog of 0 that never accepts.
struct FullListener {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.noFreePort }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 0) == 0 else {
            Glibc.close(fd)
            throw ServerError.noFreePort
        }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = UInt16(bigEndian: local.sin_port)
    }

    func close() {
        Glibc.close(descriptor)
    }
}
