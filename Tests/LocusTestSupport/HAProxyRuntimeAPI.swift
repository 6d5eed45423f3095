import Foundation
import Glibc

/// Where an HAProxy Runtime API listens: a TCP port on 127.0.0.1 or a unix socket.
public enum HAProxyRuntimeAPI: Sendable, Hashable, CustomStringConvertible {
    case tcp(port: UInt16)
    case unix(path: String)

    /// As a Locus configuration writes `runtime_api`.
    public var description: String {
        switch self {
        case .tcp(let port): "127.0.0.1:\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }

    /// One command and HAProxy's reply: everything up to the server's close, which ends every
    /// exchange. Runs on a dispatch thread, not a thread of the concurrency pool.
    public func send(_ command: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try sendBlocking(command) })
            }
        }
    }

    private func sendBlocking(_ command: String) throws -> String {
        let descriptor = try connected()
        defer { close(descriptor) }
        let request = Array((command + "\n").utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw LoopbackSocketError.system("send to \(self)", errno) }
            sent += written
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw LoopbackSocketError.system("recv from \(self)", errno) }
            reply.append(contentsOf: buffer[..<count])
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// A socket connected to the Runtime API, with five-second send and receive timeouts.
    private func connected() throws -> Int32 {
        let family = if case .tcp = self { AF_INET } else { AF_UNIX }
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackSocketError.system("socket", errno) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        switch self {
        case .tcp(let port):
            var address = LoopbackSocket.loopback(port: port)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .unix(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                close(descriptor)
                throw TestServerError("unix socket path longer than sockaddr_un allows: \(path)")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw LoopbackSocketError.system("connect to \(self)", code)
        }
        return descriptor
    }
}
