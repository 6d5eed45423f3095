import DNS
import DNSNet
import Foundation
import LISP
import NIOCore

/// The lab's authoritative DNS: a ``DNSLabResponder`` on a free loopback port serving `lab.test` (an A
/// record per workload) and the reverse zones (a PTR per workload address), and the mover's side of it:
/// TSIG-signed RFC 2136 UPDATEs sent over the wire like any other client's.
public actor LabDNS {
    public nonisolated let responder: DNSLabResponder
    /// `host:port` the responder answers on.
    public nonisolated let server: String
    public nonisolated let key: TSIGKey
    private let client: DNSClient
    private let plan: LabDependencyPlan
    private var runTask: Task<Void, Never>?

    private init(responder: DNSLabResponder, server: String, key: TSIGKey, client: DNSClient, plan: LabDependencyPlan) {
        self.responder = responder
        self.server = server
        self.key = key
        self.client = client
        self.plan = plan
    }

    /// Writes the update key (base64 secret alone, 0600) under the lab directory, builds the zones from the
    /// world and starts answering.
    static func start(
        world: LabWorld,
        plan: LabDependencyPlan,
        directory: LabDirectory,
        delay: Duration = .zero
    ) async throws -> LabDNS {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try directory.write(
            Data(secret).base64EncodedString() + "\n",
            to: LabDependencyPlan.keyFile,
            permissions: 0o600
        )
        let key = TSIGKey(name: try DNSName(parsing: LabDependencyPlan.keyName), algorithm: .hmacSHA256, secret: secret)
        let store = try Self.zoneStore(world: world, plan: plan)
        let responder = DNSLabResponder(store: store, keys: [key], delay: delay)
        let port: Int
        do {
            port = try await responder.bind(host: "127.0.0.1", port: 0)
        } catch {
            throw LabError.serviceFailed(reason: "cannot open the lab's DNS responder on 127.0.0.1: \(error)")
        }
        let address = DNSServerAddress(host: "127.0.0.1", port: port)
        let dns = LabDNS(
            responder: responder,
            server: "127.0.0.1:\(port)",
            key: key,
            client: DNSClient(server: address),
            plan: plan
        )
        await dns.run()
        return dns
    }

    private func run() {
        let responder = self.responder
        runTask = Task { try? await responder.run() }
    }

    /// Points the workload's A record at `address`, as a completed re-IP migration does.
    func pointRecord(of workload: String, to address: IPAddress) async throws -> UpdateResult {
        guard let dnsAddress = DNSAddress(address.description) else {
            throw LabError.serviceFailed(reason: "\(address) cannot go in a DNS record")
        }
        let update = DNSUpdate.replacingAddresses(
            of: try DNSName(parsing: LabDependencyPlan.recordName(of: workload)),
            in: try DNSName(parsing: LabDependencyPlan.zone),
            with: [dnsAddress],
            ttl: plan.ttl(of: workload)
        )
        return try await send(update)
    }

    /// Moves the workload's PTR from `old` to `new`.
    func movePointer(of workload: String, from old: IPAddress, to new: IPAddress) async throws -> [UpdateResult] {
        guard let oldAddress = DNSAddress(old.description), let newAddress = DNSAddress(new.description) else {
            throw LabError.serviceFailed(reason: "\(old) or \(new) cannot have a PTR record")
        }
        let target = try DNSName(parsing: LabDependencyPlan.recordName(of: workload))
        let oldName = DNSName.reverse(of: oldAddress)
        var results: [UpdateResult] = []
        if let zone = try Self.reverseZone(containing: oldName) {
            results.append(try await send(DNSUpdate(zone: zone, operations: [.deleteRRset(oldName, .ptr)])))
        }
        if let zone = try Self.reverseZone(containing: DNSName.reverse(of: newAddress)) {
            let update = DNSUpdate.replacingPointer(
                for: newAddress,
                in: zone,
                target: target,
                ttl: plan.ttl(of: workload)
            )
            results.append(try await send(update))
        }
        return results
    }

    /// Stops answering and closes the socket.
    func stop() async {
        await responder.stop()
        await runTask?.value
    }

    private func send(_ update: DNSUpdate) async throws -> UpdateResult {
        let result = try await client.update(update, key: key)
        guard result.isApplied else {
            throw LabError.serviceFailed(reason: "the lab's DNS refused an update of \(update.zone): \(result)")
        }
        return result
    }

    static func reverseZone(containing name: DNSName) throws -> DNSName? {
        try LabDependencyPlan.reverseZones.map { try DNSName(parsing: $0) }.first { name.isSubdomain(of: $0) }
    }

    /// The lab's zones: an SOA at each apex, an A record and a PTR per workload at its EID.
    static func zoneStore(world: LabWorld, plan: LabDependencyPlan) throws -> DNSZoneStore {
        let forward = try DNSName(parsing: LabDependencyPlan.zone)
        let zones = [forward] + (try LabDependencyPlan.reverseZones.map { try DNSName(parsing: $0) })
        let hostmaster = try forward.prepending("hostmaster")
        let primary = try forward.prepending("ns")
        var records = zones.map { zone in
            DNSResourceRecord(
                name: zone,
                ttl: 3600,
                data: .soa(
                    SOAData(
                        primaryServer: primary,
                        responsibleMailbox: hostmaster,
                        serial: 1,
                        refresh: 3600,
                        retry: 600,
                        expire: 86_400,
                        minimum: 60
                    )
                )
            )
        }
        records.reserveCapacity(records.count + world.workloads.count * 2)
        for workload in world.workloads {
            guard let address = DNSAddress(workload.eid.description) else { continue }
            let name = try DNSName(parsing: LabDependencyPlan.recordName(of: workload.name))
            let ttl = plan.ttl(of: workload.name)
            records.append(
                DNSResourceRecord(name: name, ttl: ttl, data: address.family == .ipv4 ? .a(address) : .aaaa(address))
            )
            records.append(DNSResourceRecord(name: DNSName.reverse(of: address), ttl: ttl, data: .ptr(name)))
        }
        return try DNSZoneStore(zones: zones, records: records)
    }
}
