import DNS
import DNSNet
import Foundation
import LocusTestSupport

/// A throwaway BIND 9 serving the zones of `scripts/start-bind`, seen through the client's types.
struct BINDServer {
    static let keyName = DNSName(stringLiteral: BINDKey.scriptLab.name)
    static let secret = BINDKey.scriptLab.secret
    static var key: TSIGKey { TSIGKey(name: keyName, algorithm: .hmacSHA256, secret: secret) }

    let process: BINDProcess

    var address: DNSServerAddress { DNSServerAddress(host: "127.0.0.1", port: Int(process.port)) }

    /// Starts BIND, or fails telling how to get it; tests never skip for a missing server.
    static func start() async throws -> BINDServer {
        BINDServer(process: try await BINDProcess(zones: BINDZone.scriptLab, key: BINDKey.scriptLab))
    }

    /// Stops named and waits (with a deadline) until it is gone; its directory goes with the last reference.
    func stop() {
        process.stopBlocking()
    }

    /// `dig +short` against this server, with the real binary.
    func dig(_ name: String, _ type: String) async throws -> [String] {
        try await process.dig(name, type)
    }

    /// `dig +short` against any server on 127.0.0.1.
    static func dig(port: Int, _ name: String, _ type: String) async throws -> [String] {
        try await BINDProcess.dig(port: UInt16(port), name, type)
    }
}
