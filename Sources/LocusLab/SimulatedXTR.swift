import LISP
import LISPNet
import Logging
import NIOCore

/// One site's xTR: registers the EIDs of the workloads running at its site with the site's RLOCs (authenticated,
/// with its xTR-ID, refreshed every `registrationInterval`), and answers RLOC-probe Map-Requests on each RLOC.
///
/// Registrations, withdrawals and refreshes go out one at a time in the order asked, so a refresh can never
/// re-register an EID that a withdrawal sent after it removed.
public actor SimulatedXTR {
    public nonisolated let site: LabSite
    private let client: RegistrationClient
    private let registrationInterval: Duration
    private let probePort: Int
    private let logger: Logger
    private var records: [EIDPrefix: EIDRecord] = [:]
    private var responders: [RLOCProbeResponder] = []
    private var tasks: [Task<Void, Never>] = []
    private var tail: Task<Void, Never>?
    private var stalledUntil: ContinuousClock.Instant?
    private var isStopped = false

    /// Records per Map-Register: a few dozen keep a register well under any MTU.
    static let recordsPerRegister = 20

    public init(
        site: LabSite,
        mapServer: SocketAddress,
        secret: [UInt8],
        registrationInterval: Duration,
        probePort: Int,
        logger: Logger = Logger(label: "locus.lab.xtr")
    ) throws {
        self.site = site
        self.registrationInterval = registrationInterval
        self.probePort = probePort
        self.logger = logger
        let local = try SocketAddress(ipAddress: site.rlocs[0].description, port: 0)
        self.client = RegistrationClient(
            configuration: RegistrationConfiguration(
                mapServer: mapServer,
                localAddress: local,
                keyID: site.keyID,
                algorithm: .hmacSHA256,
                secret: secret,
                xtrIdentity: site.xtrIdentity,
                wantsMapNotify: true
            ),
            logger: logger
        )
    }

    // MARK: Lifecycle

    /// Binds the registration socket and the RLOC-probe responders, and registers `eids` (waiting for the
    /// Map-Notify of every register); then refreshes them every `registrationInterval`.
    public func start(eids: [EIDPrefix], mapVersion: UInt16 = 1) async throws {
        let client = self.client
        tasks.append(Task { try? await client.run() })
        for eid in eids {
            records[eid] = record(for: eid, mapVersion: mapVersion)
        }
        // Every RLOC of the site answers on one port, so the site's `probe_port` names them all.
        var port = probePort
        for rloc in site.rlocs {
            let responder = try await startResponder(on: rloc, port: port)
            responders.append(responder)
            if let bound = try await responder.localAddress().port { port = bound }
        }
        try await registerAll()
        tasks.append(Task { await self.refreshPeriodically() })
    }

    /// Stops refreshing and closes every socket.
    public func shutdown() async {
        isStopped = true
        for task in tasks { task.cancel() }
        await client.shutdown()
        for responder in responders { await responder.shutdown() }
        for task in tasks { await task.value }
        tasks.removeAll()
    }

    /// Where each RLOC answers probes (port `probePort`, or one the kernel chose when that was taken).
    public func probeAddresses() async throws -> [SocketAddress] {
        var addresses: [SocketAddress] = []
        for responder in responders {
            addresses.append(try await responder.localAddress())
        }
        return addresses
    }

    /// The EIDs this xTR registers now.
    public var eids: [EIDPrefix] { records.keys.sorted() }

    public var isStalled: Bool {
        guard let stalledUntil else { return false }
        return ContinuousClock.now < stalledUntil
    }

    // MARK: Changes

    /// A workload arrived: registers its EID with this site's RLOCs.
    public func add(_ eid: EIDPrefix, mapVersion: UInt16) async throws {
        records[eid] = record(for: eid, mapVersion: mapVersion)
        await updateResponders()
        try await serialized { [records = [records[eid]!]] in try await self.send(records) }
    }

    /// A workload left: withdraws its EID (TTL 0) and stops refreshing it.
    public func remove(_ eid: EIDPrefix) async throws {
        guard records.removeValue(forKey: eid) != nil else { return }
        await updateResponders()
        try await serialized { try await self.send([EIDRecord(prefix: eid, ttlMinutes: 0)]) }
    }

    /// Stops refreshing for `duration`, as an xTR that lost its way to the map-server would; its registrations
    /// expire at the map-server meanwhile. Afterwards it registers everything again.
    public func stall(for duration: Duration) {
        stalledUntil = ContinuousClock.now + duration
        logger.info("xTR stalls", metadata: ["site": "\(site.name)", "for": "\(duration)"])
    }

    // MARK: Work

    private func registerAll() async throws {
        try await serialized {
            let batches = await self.currentBatches()
            for batch in batches {
                try await self.send(batch)
            }
        }
    }

    private func currentBatches() -> [[EIDRecord]] {
        let sorted = records.keys.sorted().compactMap { records[$0] }
        return stride(from: 0, to: sorted.count, by: Self.recordsPerRegister).map {
            Array(sorted[$0..<min($0 + Self.recordsPerRegister, sorted.count)])
        }
    }

    private func send(_ batch: [EIDRecord]) async throws {
        guard !batch.isEmpty else { return }
        try await client.register(batch)
    }

    private func refreshPeriodically() async {
        while !Task.isCancelled && !isStopped {
            var wait = registrationInterval
            if let stalledUntil {
                let remaining = stalledUntil - ContinuousClock.now
                if remaining > .zero {
                    wait = remaining
                } else {
                    // Back from a stall: register at once rather than a whole interval later.
                    self.stalledUntil = nil
                    wait = .zero
                }
            }
            if wait > .zero {
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return
                }
            }
            guard !isStalled, !isStopped else { continue }
            do {
                try await registerAll()
            } catch {
                logger.warning(
                    "registration refresh failed",
                    metadata: ["site": "\(site.name)", "error": "\(error)"]
                )
            }
        }
    }

    /// Runs `work` after every operation asked before it has finished.
    private func serialized(_ work: @escaping @Sendable () async throws -> Void) async throws {
        let previous = tail
        let task = Task {
            await previous?.value
            try await work()
        }
        tail = Task { _ = try? await task.value }
        try await task.value
    }

    private func record(for eid: EIDPrefix, mapVersion: UInt16) -> EIDRecord {
        EIDRecord(
            prefix: eid,
            ttlMinutes: 1440,
            isAuthoritative: true,
            mapVersion: mapVersion,
            locators: site.rlocs.map { RLOCRecord(locator: LISPAddress($0), priority: 1, weight: 50) }
        )
    }

    private func updateResponders() async {
        let served = Array(records.values)
        for responder in responders {
            await responder.update(records: served)
        }
    }

    private func startResponder(on rloc: IPAddress, port: Int) async throws -> RLOCProbeResponder {
        let preferred = RLOCProbeResponder(
            address: try SocketAddress(ipAddress: rloc.description, port: port),
            records: Array(records.values)
        )
        tasks.append(Task { try? await preferred.run() })
        do {
            _ = try await preferred.localAddress()
            return preferred
        } catch  where port != 0 {
            // Another lab (or an xTR) holds the port on this address: any free port still answers probes.
            return try await startResponder(on: rloc, port: 0)
        }
    }
}
