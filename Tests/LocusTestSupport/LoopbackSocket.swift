import Foundation
import Glibc
import Synchronization

/// A TCP socket bound to 127.0.0.1 on a port the kernel chose, held until `close()` or deinit.
///
/// Listening, every handshake completes in the kernel until the backlog is full: a port that is
/// reachable without the test accepting anything (a backlog of 0 fills at once, and then the
/// kernel drops SYNs). Bound but not listening, the port answers every SYN with a reset and no
/// other program can take it meanwhile: a closed port that stays closed.
public final class LoopbackSocket: Sendable {
    public let descriptor: Int32
    public let port: UInt16
    private let closed = Mutex(false)

    public var endpoint: String { "127.0.0.1:\(port)" }

    public init(listening: Bool, backlog: Int32 = 128) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackSocketError.system("socket", errno) }
        do {
            port = try Self.bind(descriptor, port: 0)
            if listening, listen(descriptor, backlog) != 0 {
                throw LoopbackSocketError.system("listen", errno)
            }
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    /// Closes the socket once; later calls and deinit do nothing.
    public func close() {
        let first = closed.withLock { done in
            defer { done = true }
            return !done
        }
        if first { Glibc.close(descriptor) }
    }

    deinit {
        close()
    }

    public enum Transport: Sendable {
        case udp
        case tcp

        var socketType: Int32 { Int32(self == .tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue) }
    }

    /// A port free for both UDP and TCP on 127.0.0.1 when asked, for a server that binds both
    /// (named). It is below the ephemeral range (32768 and up on Linux) that client sockets draw
    /// from, so fewer of them can take it meanwhile; another process still may, and callers retry.
    public static func freePort() throws -> UInt16 {
        for _ in 0..<50 {
            let port = UInt16.random(in: 20_000..<32_000)
            let udp = socket(AF_INET, Transport.udp.socketType, 0)
            let tcp = socket(AF_INET, Transport.tcp.socketType, 0)
            defer {
                Glibc.close(udp)
                Glibc.close(tcp)
            }
            guard udp >= 0, tcp >= 0, (try? bind(udp, port: port)) != nil else { continue }
            if (try? bind(tcp, port: port)) != nil {
                return port
            }
        }
        throw LoopbackSocketError.noFreePort
    }

    /// Whether 127.0.0.1:`port` can be bound right now, that is whether nothing holds it.
    public static func canBind(_ port: UInt16, _ transport: Transport) -> Bool {
        let descriptor = socket(AF_INET, transport.socketType, 0)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        return (try? bind(descriptor, port: port)) != nil
    }

    /// Binds `descriptor` to 127.0.0.1:`port` (0: the kernel chooses) and returns the port bound.
    static func bind(_ descriptor: Int32, port: UInt16) throws -> UInt16 {
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

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

public enum LoopbackSocketError: Error, CustomStringConvertible {
    case system(String, Int32)
    case noFreePort

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .noFreePort: "no port free for both UDP and TCP on 127.0.0.1 after 50 tries"
        }
    }
}
