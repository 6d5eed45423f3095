import LISP

/// One workload changing site: the destination xTR registers its EID and the source xTR withdraws it.
public struct LabMove: Sendable, Hashable {
    public var workload: String
    public var from: String
    public var to: String
    /// The hypervisor host at the destination, for the inventory.
    public var host: String
    /// `false` for a move the inventory does not learn about (locator-mismatch on purpose).
    public var updatesInventory: Bool
    public var mapVersion: UInt16
    /// For a re-IP move, the workload's new address in the destination's local network (its EID stays):
    /// its DNS record, PTR and pool member must follow.
    public var address: IPAddress?
    /// The address it had before a re-IP move.
    public var previousAddress: IPAddress?
    /// What the mover forgets to update after a re-IP move, so the dashboard has something to catch.
    public var leavesBehind: LabDrift?
}

/// A piece of dependent infrastructure a re-IP move did not update.
public enum LabDrift: String, Sendable, Hashable, CaseIterable {
    /// The A record still holds the old address.
    case dns
    /// The PTR of the new address is missing (the old address's PTR is left).
    case ptr
    /// The HAProxy server still sends to the old address.
    case pool
    /// The home site's firewall set keeps the old address (and, for half such moves, lacks the new one).
    case firewall
}

/// What the churn does next.
public enum ChurnAction: Sendable, Hashable {
    /// A completed migration, or (`updatesInventory == false`) one nobody told the inventory about.
    case move(LabMove)
    /// Moves back and forth in quick succession.
    case flap([LabMove])
    /// A site's xTR stops registering for a while, so its registrations expire.
    case stall(site: String)
    /// A site's service stops accepting connections for a while.
    case outage(site: String, role: LabServiceRole)
}

/// Decides, from a seed, what the churn does next and keeps where every workload is; pure, so the same seed
/// gives the same sequence of actions.
public struct ChurnPlanner: Sendable {
    public struct Placement: Sendable, Hashable {
        /// The site whose xTR registers the workload's EID.
        public var mapped: String
        /// The site the inventory says.
        public var inventory: String
        public var host: String
        public var mapVersion: UInt16
        /// Where the workload answers: its EID until a re-IP move.
        public var address: IPAddress
    }

    /// Chances out of 20 for each kind of breakage; the rest are ordinary moves.
    static let stallChance = 1
    static let unknownMoveChance = 1
    static let flapChance = 1
    /// Chances out of 20 of a re-IP move, for workloads with dependencies; half of them leave one behind.
    static let readdressChance = 4
    /// Chances out of 20 of a site service outage, when the lab runs services.
    static let outageChance = 1
    /// Four moves end where the workload started and exceed the correlator's default of three in a window.
    public static let flapMoves = 4

    private var random: SeededGenerator
    private let world: LabWorld
    private let names: [String]
    private let dependencies: LabDependencyPlan?
    public private(set) var placements: [String: Placement]
    /// Re-IP addresses handed out per site, so each is new.
    private var readdressed: [String: UInt32] = [:]

    /// With `dependencies`, some moves re-IP workloads that have dependencies.
    public init(world: LabWorld, seed: UInt64, dependencies: LabDependencyPlan? = nil) {
        self.world = world
        self.dependencies = dependencies
        self.random = SeededGenerator(seed: seed).derived(2)
        self.names = world.workloads.map(\.name)
        self.placements = Dictionary(
            world.workloads.map {
                (
                    $0.name,
                    Placement(mapped: $0.site, inventory: $0.site, host: $0.host, mapVersion: 1, address: $0.eid)
                )
            },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// The next action, avoiding sites in `stalled`; `nil` when nothing can move (one site, or no workloads).
    public mutating func next(stalled: Set<String>) -> ChurnAction? {
        let active = world.sites.map(\.name).filter { !stalled.contains($0) }
        let roll = Int.random(in: 0..<20, using: &random)
        if roll < Self.stallChance {
            if stalled.isEmpty, world.sites.count > 1, let site = active.randomElement(using: &random) {
                return .stall(site: site)
            }
        }
        guard active.count >= 2 else { return nil }
        let candidates = names.filter { placements[$0].map { !stalled.contains($0.mapped) } ?? false }
        guard let workload = candidates.randomElement(using: &random), let from = placements[workload]?.mapped,
            let to = active.filter({ $0 != from }).randomElement(using: &random)
        else { return nil }
        switch roll {
        case Self.stallChance..<(Self.stallChance + Self.unknownMoveChance):
            return move(workload, to: to, updatesInventory: false).map(ChurnAction.move)
        case (Self.stallChance + Self.unknownMoveChance)..<(Self.stallChance + Self.unknownMoveChance + Self.flapChance):
            var moves: [LabMove] = []
            for step in 0..<Self.flapMoves {
                guard let next = move(workload, to: step.isMultiple(of: 2) ? to : from, updatesInventory: true) else {
                    break
                }
                moves.append(next)
            }
            return .flap(moves)
        case let roll
        where roll < Self.stallChance + Self.unknownMoveChance + Self.flapChance + Self.readdressChance
            && dependencies?.hasDependencies(workload) == true:
            let drifts = LabDrift.allCases.filter { $0 != .pool || dependencies?.pool(of: workload) != nil }
            let drift = Int.random(in: 0..<(drifts.count * 2), using: &random)
            return move(
                workload,
                to: to,
                updatesInventory: true,
                readdressing: true,
                leaving: drift < drifts.count ? drifts[drift] : nil
            ).map(ChurnAction.move)
        case let roll
        where roll < Self.stallChance + Self.unknownMoveChance + Self.flapChance + Self.readdressChance
            + Self.outageChance && dependencies != nil:
            return .outage(site: from, role: LabServiceRole.allCases.randomElement(using: &random) ?? .auth)
        default:
            return move(workload, to: to, updatesInventory: true).map(ChurnAction.move)
        }
    }

    /// Plans moving `workload` to `site` and records it as done; `readdressing` gives it a new address in
    /// the destination's local network (or `newAddress`, when the mover was told one), and `leaving` says
    /// what the mover will forget to update.
    public mutating func move(
        _ workload: String,
        to site: String,
        updatesInventory: Bool,
        readdressing: Bool = false,
        address newAddress: IPAddress? = nil,
        leaving drift: LabDrift? = nil
    ) -> LabMove? {
        guard var placement = placements[workload], let destination = world.site(named: site),
            placement.mapped != site
        else { return nil }
        let host = destination.hosts.randomElement(using: &random) ?? placement.host
        // 12 bits, and 0 means unversioned.
        let version = placement.mapVersion >= 4095 ? 1 : placement.mapVersion + 1
        let address = newAddress ?? (readdressing ? nextAddress(at: destination) : nil)
        let move = LabMove(
            workload: workload,
            from: placement.mapped,
            to: site,
            host: host,
            updatesInventory: updatesInventory,
            mapVersion: version,
            address: address,
            previousAddress: address == nil ? nil : placement.address,
            leavesBehind: address == nil ? nil : drift
        )
        placement.mapped = site
        placement.mapVersion = version
        if updatesInventory {
            placement.inventory = site
            placement.host = host
        }
        if let address {
            placement.address = address
        }
        placements[workload] = placement
        return move
    }

    /// The world's workloads where the inventory now says they are.
    public var inventory: [LabWorkload] {
        world.workloads.map { workload in
            guard let placement = placements[workload.name] else { return workload }
            var placed = workload
            placed.site = placement.inventory
            placed.host = placement.host
            placed.address = placement.address
            return placed
        }
    }

    /// 172.16.0.0/12 holds each site's local network: 4094 addresses per site in 172.16.0.0 + site << 12,
    /// handed out in turn. Nothing ever sends packets to them: they only appear in records and pools.
    /// An address another workload holds (one a mover was told to give, say) is skipped.
    private mutating func nextAddress(at site: LabSite) -> IPAddress {
        let taken = Set(placements.values.map(\.address))
        var address: IPAddress
        var tries = 0
        repeat {
            let count = readdressed[site.name, default: 0]
            readdressed[site.name] = count + 1
            let host = count % 4094 + 1
            address = .v4(IPv4Address(rawValue: 172 << 24 | 16 << 16 | UInt32(site.index & 0xFF) << 12 | host))
            tries += 1
        } while taken.contains(address) && tries < 4094
        return address
    }
}
