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
}

/// What the churn does next.
public enum ChurnAction: Sendable, Hashable {
    /// A completed migration, or (`updatesInventory == false`) one nobody told the inventory about.
    case move(LabMove)
    /// Moves back and forth in quick succession.
    case flap([LabMove])
    /// A site's xTR stops registering for a while, so its registrations expire.
    case stall(site: String)
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
    }

    /// Chances out of 20 for each kind of breakage; the rest are ordinary moves.
    static let stallChance = 1
    static let unknownMoveChance = 1
    static let flapChance = 1
    /// Four moves end where the workload started and exceed the correlator's default of three in a window.
    public static let flapMoves = 4

    private var random: SeededGenerator
    private let world: LabWorld
    private let names: [String]
    public private(set) var placements: [String: Placement]

    public init(world: LabWorld, seed: UInt64) {
        self.world = world
        self.random = SeededGenerator(seed: seed).derived(2)
        self.names = world.workloads.map(\.name)
        self.placements = Dictionary(
            world.workloads.map {
                ($0.name, Placement(mapped: $0.site, inventory: $0.site, host: $0.host, mapVersion: 1))
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
        default:
            return move(workload, to: to, updatesInventory: true).map(ChurnAction.move)
        }
    }

    /// Plans moving `workload` to `site` and records it as done.
    public mutating func move(_ workload: String, to site: String, updatesInventory: Bool) -> LabMove? {
        guard var placement = placements[workload], let destination = world.site(named: site),
            placement.mapped != site
        else { return nil }
        let host = destination.hosts.randomElement(using: &random) ?? placement.host
        // 12 bits, and 0 means unversioned.
        let version = placement.mapVersion >= 4095 ? 1 : placement.mapVersion + 1
        let move = LabMove(
            workload: workload,
            from: placement.mapped,
            to: site,
            host: host,
            updatesInventory: updatesInventory,
            mapVersion: version
        )
        placement.mapped = site
        placement.mapVersion = version
        if updatesInventory {
            placement.inventory = site
            placement.host = host
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
            return placed
        }
    }
}
