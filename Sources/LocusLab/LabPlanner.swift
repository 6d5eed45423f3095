import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Logging

/// `locus lab --plan SECONDS`: now and then the lab requests a migration of one of its workloads to
/// another site (requested by `lab`), so that one operator has something to approve and watch.
///
/// It asks exactly what an operator's `locus migrate request` asks — a pass over the sources, a
/// draft, the store's request and preflight — and only on the store the lab created.
public struct LabPlanner: Sendable {
    public static let requester = "lab"

    let configFile: String
    let interval: Duration
    let logger: Logger

    public init(configFile: String, interval: Duration, logger: Logger = Logger(label: "locus.lab.plan")) {
        self.configFile = configFile
        self.interval = interval
        self.logger = logger
    }

    /// Requests one migration every `interval` until cancelled.
    public func run() async {
        var round = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            do {
                let migration = try await requestOne(round: round)
                logger.info("lab plan: requested \(migration.id) \(migration.summary)")
            } catch {
                logger.warning("lab plan: no request this time: \(error)")
            }
            round += 1
        }
    }

    /// One request: the first workload (by name, turning with `round`) registered where the inventory
    /// says and without an open migration, to the next site.
    public func requestOne(round: Int = 0) async throws -> Migration {
        let directories = EngineSetup.directories
        let config = try EngineSetup.loadConfig(at: configFile, directories: directories).config
        let store = try EngineSetup.openStore(config.store, passwordFile: config.storePasswordFile)
        let desk = MigrationDesk(config: config, store: store)
        let snapshot = try await Engine(config: config, store: store).runOnce()
        let migrations = try await store.migrations()
        if let waiting = migrations.first(where: { $0.requestedBy == Self.requester && $0.state.awaitsApproval }) {
            throw LabError.invalidConfiguration("the lab's \(waiting.id) still waits for a decision")
        }
        let open = Set(migrations.filter { !$0.state.isClosed }.map(\.workload))
        let candidates = snapshot.workloads.values
            .filter { !open.contains($0.spec.name) && $0.mapping.site == $0.spec.site }
            .map(\.spec)
            .sorted { $0.name < $1.name }
        guard !candidates.isEmpty else { throw LabError.invalidConfiguration("every workload has a migration open") }
        let workload = candidates[round % candidates.count]
        let sites = config.sites.map(\.name).filter { $0 != workload.site }
        guard !sites.isEmpty else { throw LabError.invalidConfiguration("the lab has one site only") }
        let draft = try desk.draft(
            workload: workload.name,
            to: sites[round % sites.count],
            address: nil,
            host: nil,
            reason: "lab plan: a demonstration move",
            snapshot: snapshot,
            requestedBy: Self.requester,
            at: Date()
        )
        return try await desk.request(draft, snapshot: snapshot, origin: LoginIdentity.currentOrigin())
    }
}
