import LISP
import Logging

/// Carries out moves on the lab's xTRs, inventory file and dependent infrastructure, and with an interval,
/// churns: every interval one action of the `ChurnPlanner`.
public actor ChurnDriver {
    private var planner: ChurnPlanner
    private let xtrs: [String: SimulatedXTR]
    private let world: LabWorld
    private let directory: LabDirectory
    private let inventoryFile: String
    private let flapInterval: Duration
    private let stallDuration: Duration
    private let outageDuration: Duration
    private let logger: Logger
    private let infrastructure: LabInfrastructure?
    private var stalledUntil: [String: ContinuousClock.Instant] = [:]
    /// Every action carried out, oldest first.
    public private(set) var history: [ChurnAction] = []

    init(
        world: LabWorld,
        seed: UInt64,
        xtrs: [SimulatedXTR],
        directory: LabDirectory,
        inventoryFile: String,
        flapInterval: Duration,
        stallDuration: Duration,
        outageDuration: Duration,
        infrastructure: LabInfrastructure?,
        logger: Logger
    ) {
        self.world = world
        self.infrastructure = infrastructure
        self.planner = ChurnPlanner(world: world, seed: seed, dependencies: infrastructure?.plan)
        self.xtrs = Dictionary(xtrs.map { ($0.site.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.directory = directory
        self.inventoryFile = inventoryFile
        self.flapInterval = flapInterval
        self.stallDuration = stallDuration
        self.outageDuration = outageDuration
        self.logger = logger
    }

    /// One action every `interval` until cancelled; failures are logged and the churn goes on.
    public func run(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try await performNext()
            } catch is CancellationError {
                // The lab is stopping: the action was cut short, not failed.
                return
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("churn action failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Plans and carries out one action now; `nil` when nothing can move.
    @discardableResult
    func performNext() async throws -> ChurnAction? {
        guard let action = planner.next(stalled: currentlyStalled()) else { return nil }
        try await perform(action)
        return action
    }

    /// Moves `workload` to `site` now, as a completed migration (or, with `updatingInventory: false`, one the
    /// inventory does not learn about). `readdressing` makes it a re-IP move whose record, PTR and pool member
    /// follow, except the one named by `leaving`.
    @discardableResult
    public func move(
        _ workload: String,
        to site: String,
        updatingInventory: Bool = true,
        readdressing: Bool = false,
        leaving drift: LabDrift? = nil
    ) async throws -> LabMove {
        guard world.workload(named: workload) != nil else {
            throw LabError.invalidConfiguration("no workload named \(workload) in the lab")
        }
        guard world.site(named: site) != nil else {
            throw LabError.invalidConfiguration("no site named \(site) in the lab")
        }
        guard
            let move = planner.move(
                workload,
                to: site,
                updatesInventory: updatingInventory,
                readdressing: readdressing,
                leaving: drift
            )
        else {
            throw LabError.invalidConfiguration("\(workload) is already at \(site)")
        }
        try await perform(.move(move))
        return move
    }

    /// Checks a move asked of the lab's mover (a cutover's): `false` when `workload` is at `site` with
    /// `address` already, so there is nothing to do; `address` nil keeps the one it has.
    public func needsRelocation(
        _ workload: String,
        to site: String,
        address: IPAddress?
    ) throws(LabMoveError) -> Bool {
        guard let placement = planner.placements[workload] else { throw .unknownWorkload(workload) }
        guard world.site(named: site) != nil else { throw .unknownSite(site, known: world.sites.map(\.name)) }
        if let address, address != placement.address {
            try check(address, for: workload)
            if placement.mapped == site {
                throw .alreadyThere(
                    workload: workload,
                    site: site,
                    address: placement.address.description,
                    asked: address.description
                )
            }
        }
        return placement.mapped != site
    }

    /// Moves `workload` to `site` as the lab's mover for a cutover: the destination registers the EID (its
    /// Map-Notify confirms it), the source withdraws it and the inventory learns it, with `address` when
    /// that is a new one (the EID stays). DNS and pool members are left for the cutover to change. `nil`
    /// when it is there already.
    public func relocate(
        _ workload: String,
        to site: String,
        address: IPAddress?
    ) async throws(LabMoveError) -> LabMove? {
        guard try needsRelocation(workload, to: site, address: address),
            let placement = planner.placements[workload]
        else { return nil }
        let newAddress = address == placement.address ? nil : address
        guard let move = planner.move(workload, to: site, updatesInventory: true, address: newAddress) else {
            return nil
        }
        history.append(.move(move))
        do {
            try await carryOut(move, followingDependencies: false)
        } catch {
            throw .failed(workload: workload, reason: "\(error)")
        }
        return move
    }

    /// An address another workload answers at, or holds as its EID, would make two of them one.
    private func check(_ address: IPAddress, for workload: String) throws(LabMoveError) {
        if case .v4(let v4) = address, v4.rawValue == 0 || v4.rawValue == .max || v4.rawValue >> 28 == 0xE {
            throw .badAddress(address.description, reason: "not the address of one host")
        }
        if address == IPAddress("::") {
            throw .badAddress(address.description, reason: "not the address of one host")
        }
        if let other = planner.placements.first(where: { $0.key != workload && $0.value.address == address }) {
            throw .badAddress(address.description, reason: "\(other.key) answers there")
        }
        if let other = world.workloads.first(where: { $0.name != workload && $0.eid == address }) {
            throw .badAddress(address.description, reason: "it is the EID of \(other.name)")
        }
    }

    /// Where every workload is registered and where the inventory says it is.
    public var placements: [String: ChurnPlanner.Placement] { planner.placements }

    /// Carries out an action the planner has already recorded.
    func perform(_ action: ChurnAction) async throws {
        history.append(action)
        switch action {
        case .move(let move):
            try await carryOut(move)
        case .flap(let moves):
            for (index, move) in moves.enumerated() {
                if index > 0 { try await Task.sleep(for: flapInterval) }
                try await carryOut(move)
            }
        case .stall(let site):
            stalledUntil[site] = ContinuousClock.now + stallDuration
            await xtrs[site]?.stall(for: stallDuration)
        case .outage(let site, let role):
            guard let services = infrastructure?.services, await services.isUp(site: site, role: role) else { return }
            logger.info("service outage", metadata: ["site": "\(site)", "role": "\(role.rawValue)"])
            await services.interrupt(site: site, role: role, for: outageDuration)
        }
    }

    /// `followingDependencies: false` for the mover of a cutover, whose DNS and pool steps come after it.
    private func carryOut(_ move: LabMove, followingDependencies: Bool = true) async throws {
        guard let workload = world.workload(named: move.workload), let source = xtrs[move.from],
            let destination = xtrs[move.to]
        else { return }
        logger.info(
            "moving",
            metadata: [
                "workload": "\(move.workload)", "from": "\(move.from)", "to": "\(move.to)",
                "inventory": "\(move.updatesInventory)",
                "address": "\(move.address.map(\.description) ?? "kept")",
            ]
        )
        // Register first so the prefix always has locators; the source's late withdrawal only removes its own
        // registration, which the destination has already replaced.
        try await destination.add(workload.eidPrefix, mapVersion: move.mapVersion)
        try await source.remove(workload.eidPrefix)
        if move.updatesInventory {
            try writeInventory()
        }
        if followingDependencies {
            try await infrastructure?.follow(move, logger: logger)
        }
    }

    /// Rewrites the inventory file with where the planner says every workload is.
    func writeInventory() throws {
        try directory.write(
            InventoryDocument(workloads: planner.inventory, dependencies: infrastructure?.dependencies ?? [:]).render(),
            to: inventoryFile
        )
    }

    private func currentlyStalled() -> Set<String> {
        let now = ContinuousClock.now
        stalledUntil = stalledUntil.filter { $0.value > now }
        return Set(stalledUntil.keys)
    }
}
