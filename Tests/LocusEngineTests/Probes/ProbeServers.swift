import DNS
import Foundation
import LocusCore
import LocusEngine
import LocusTestSupport

/// A throwaway BIND 9 serving the zones of `scripts/start-bind`: lab.test. (www A 192.0.2.10, AAAA
/// 2001:db8::10, TXT-only `info`) and 2.0.192.in-addr.arpa. (10 PTR www.lab.test.), updatable with one key.
final class BINDServer: Sendable {
    static var key: TSIGKey {
        TSIGKey(
            name: DNSName(stringLiteral: BINDKey.scriptLab.name),
            algorithm: .hmacSHA256,
            secret: BINDKey.scriptLab.secret
        )
    }

    let process: BINDProcess

    init() async throws {
        process = try await BINDProcess(zones: BINDZone.scriptLab, key: BINDKey.scriptLab)
    }

    var port: Int { Int(process.port) }
    var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: process.port) }

    /// Stops the server and reaps it; later calls do nothing, so a reused PID is never signalled.
    func stop() {
        process.stopBlocking()
    }

    func dig(_ name: String, _ type: String) async throws -> [String] {
        try await process.dig(name, type)
    }
}

/// A throwaway HAProxy with backend be_web: web01 127.0.3.1:80, web02 127.0.3.2:80 and web03
/// 127.0.3.3:8080, no health checks and no frontend, so it sends nothing anywhere. Its Runtime API
/// listens on 127.0.0.1 or on `admin.sock` in its directory.
final class HAProxyServer: Sendable {
    static let backend = HAProxyBackend(
        name: "be_web",
        servers: [
            .init(name: "web01", address: "127.0.3.1", port: 80),
            .init(name: "web02", address: "127.0.3.2", port: 80),
            .init(name: "web03", address: "127.0.3.3", port: 8080),
        ]
    )

    let process: HAProxyProcess

    init(listener: HAProxyProcess.Listener = .loopbackTCP) async throws {
        process = try await HAProxyProcess(backends: [Self.backend], listener: listener)
    }

    var directory: String { process.directory }

    var address: RuntimeAPIAddress {
        switch process.runtimeAPI {
        case .tcp(let port): .tcp(Endpoint(host: "127.0.0.1", port: port))
        case .unix(let path): .unix(path: path)
        }
    }

    /// The unix socket's path (the Runtime API listens on 127.0.0.1 unless asked otherwise).
    var socketPath: String { directory + "/admin.sock" }

    /// Stops the server and reaps it; later calls do nothing, so a reused PID is never signalled.
    func stop() {
        process.stopBlocking()
    }
}
