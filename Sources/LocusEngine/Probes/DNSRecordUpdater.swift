import DNS
import DNSNet
import Foundation
import LocusCore

/// Points a record at a workload's new address with a TSIG-signed RFC 2136 UPDATE, for migrations.
public struct DNSRecordUpdater: Sendable {
    public let server: DNSServerConfig
    public let client: DNSClient
    public let key: TSIGKey

    /// Reads the `[[dns]]` server's key file.
    ///
    /// - Throws: when the server has no TSIG key configured or its key file cannot be read.
    public init(server: DNSServerConfig, client: DNSClient) throws(DNSUpdateSetupError) {
        guard let tsig = server.tsig else { throw .noKey(server: server.name) }
        let text: String
        do {
            text = try String(contentsOfFile: tsig.keyFile.path, encoding: .utf8)
        } catch {
            throw .unreadableKey(path: tsig.keyFile.path, reason: "\(error)")
        }
        let name: DNSName
        do {
            name = try DNSName(parsing: tsig.keyName)
        } catch {
            throw .badKey(path: tsig.keyFile.path, reason: "\(error)")
        }
        guard let algorithm = DNS.TSIGAlgorithm(rawValue: tsig.algorithm.rawValue) else {
            throw .badKey(path: tsig.keyFile.path, reason: "algorithm \(tsig.algorithm.rawValue) is not supported")
        }
        do {
            self.init(server: server, client: client, key: try TSIGKey(keyFile: text, name: name, algorithm: algorithm))
        } catch {
            throw .badKey(path: tsig.keyFile.path, reason: error.description)
        }
    }

    public init(server: DNSServerConfig, client: DNSClient, key: TSIGKey) {
        self.server = server
        self.client = client
        self.key = key
    }

    /// Replaces the A and AAAA records of `record` (in `zone`) with `addresses`, and reports what
    /// the server decided (NOERROR, NOTAUTH with the TSIG error, REFUSED, …).
    public func replaceAddresses(
        of record: String,
        in zone: String,
        with addresses: [IPAddress],
        ttl: UInt32
    ) async throws(DNSUpdateError) -> UpdateResult {
        let name: DNSName
        let zoneName: DNSName
        do {
            name = try DNSName(parsing: record)
            zoneName = try DNSName(parsing: zone)
        } catch {
            throw .invalid("\(record) in \(zone): \(error)")
        }
        var converted: [DNSAddress] = []
        for address in addresses {
            guard let dnsAddress = DNSAddress(address.description) else {
                throw .invalid("\(address) is not an address a DNS record can hold")
            }
            converted.append(dnsAddress)
        }
        let update = DNSUpdate.replacingAddresses(of: name, in: zoneName, with: converted, ttl: ttl)
        do {
            return try await client.update(update, key: key)
        } catch {
            throw .client(error)
        }
    }
}

/// Why an updater could not be made from the configuration.
public enum DNSUpdateSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    case noKey(server: String)
    case unreadableKey(path: String, reason: String)
    case badKey(path: String, reason: String)

    public var description: String {
        switch self {
        case .noKey(let server):
            "[[dns]] \(server) has no tsig_key_name/tsig_algorithm/tsig_key_file: records cannot be updated"
        case .unreadableKey(let path, let reason): "cannot read the TSIG key file \(path): \(reason)"
        case .badKey(let path, let reason): "TSIG key file \(path): \(reason)"
        }
    }
}

/// Why an UPDATE got no answer from the server (its refusals are results, see `UpdateResult`).
public enum DNSUpdateError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String)
    case client(DNSClientError)

    public var description: String {
        switch self {
        case .invalid(let reason): "cannot build the update: \(reason)"
        case .client(let error): error.description
        }
    }
}
