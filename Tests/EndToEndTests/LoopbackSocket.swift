import Foundation
import Glibc

/// A TCP socket bound to 127.0.0.1 on a port the kernel chose, held for the test's duration.
///
/// Listening, every handshake completes in the kernel: a `tcp` dependency on it is reachable
/// without the test accepting anything (the backlog outlasts a test's few probes). Bound but not
/// listening, the port answers every SYN with a reset and no other program can take it meanwhile:
/// a closed port that stays closed.
final class LoopbackSocket {
    let descriptor: Int32
    let port: UInt16

    var endpoint: String { "127.0.0.1:\(port)" }

    init(listening: Bool) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackSocketError.system("socket", errno) }
        do {
            port = try Self.bind(descriptor, port: 0)
            if listening, listen(descriptor, 128) != 0 {
                throw LoopbackSocketError.system("listen", errno)
            }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        close(descriptor)
    }

    /// A port free for both UDP and TCP on 127.0.0.1 when asked, for a server that binds both
    /// (named). Another process may take it before the server does: callers retry on failure.
    static func freePort() throws -> UInt16 {
        for _ in 0..<20 {
            let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer {
                close(udp)
                close(tcp)
            }
            guard udp >= 0, tcp >= 0, let port = try? bind(udp, port: 0) else { continue }
            if (try? bind(tcp, port: port)) != nil {
                return port
            }
        }
        throw LoopbackSocketError.noFreePort
    }

    /// One HAProxy Runtime API exchange: the command, then everything up to the server's close.
    static func exchange(port: UInt16, _ command: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try exchangeBlocking(port: port, command) })
            }
        }
    }

    private static func exchangeBlocking(port: UInt16, _ command: String) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackSocketError.system("socket", errno) }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw LoopbackSocketError.system("connect to 127.0.0.1:\(port)", errno) }
        let request = Array((command + "\n").utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw LoopbackSocketError.system("send", errno) }
            sent += written
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw LoopbackSocketError.system("recv from 127.0.0.1:\(port)", errno) }
            reply.append(contentsOf: buffer[..<count])
        }
        return String(decoding: reply, as: UTF8.self)
    }

    private static func bind(_ descriptor: Int32, port: UInt16) throws -> UInt16 {
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw LoopbackSocketError.system("bind", errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw LoopbackSocketError.system("getsockname", errno) }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

enum LoopbackSocketError: Error, CustomStringConvertible {
    case system(String, Int32)
    case noFreePort

    var description: String {
        switch self {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .noFreePort: "no port free for both UDP and TCP on 127.0.0.1 after 20 tries"
        }
    }
}
