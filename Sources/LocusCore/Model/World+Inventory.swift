import Foundation

/// One inventory source's last good read.
struct InventoryRead: Sendable {
    var workloads: [InventoryWorkload]
    var readAt: Date?
}

extension World {
    /// Takes `source`'s complete list and merges every source's declarations again: records of the
    /// same workload (same name, or same MAC) become one workload whose fields come from the most
    /// trusted source that gives them, every source's value kept in `provenance`.
    ///
    /// Touches only workloads whose merged declaration, sources or per-source values changed; a
    /// re-read that only refreshes `readAt` updates the provenance quietly.
    mutating func applyInventory(_ declared: [InventoryWorkload], from source: String) -> WorldChange {
        var change = WorldChange()
        if inventoryErrors.removeValue(forKey: source) != nil {
            change.touchedSources.insert(source)
        }
        inventoryReads[source] = InventoryRead(workloads: declared, readAt: sources[source]?.checkedAt)
        change.merge(remerge(readBy: source))
        return change
    }

    /// Follows the migrations a running process learns of after it started (a cutover watched to its
    /// end): the workloads they mark, and where a completed one took its workload, as `seed` does at
    /// start; the inventories' last reads are merged again so the arrival counts at once.
    mutating func follow(_ migrations: [Migration]) -> WorldChange {
        var change = WorldChange()
        let open = Set(migrations.filter { !$0.state.isClosed }.map(\.workload))
        if open != pendingMigrations {
            for name in open.symmetricDifference(pendingMigrations) where workloads[name] != nil {
                workloads[name]?.hasPendingMigration = open.contains(name)
                change.touchedWorkloads.insert(name)
            }
            pendingMigrations = open
        }
        let newest = MigrationArrival.newestCompleted(in: migrations)
        // Each completed migration counts once: when its inventory has caught up it is done with.
        let arrived = newest.filter { !followedArrivals.contains($0.value.migrationID) }
        // One rolled back since: the workload is where its inventory says again.
        let states = Dictionary(migrations.map { ($0.id, $0.state) }, uniquingKeysWith: { first, _ in first })
        let undone = arrivals.filter { _, arrival in
            states[arrival.migrationID].map { $0 != .completed } ?? false
        }
        guard !arrived.isEmpty || !undone.isEmpty else { return change }
        for name in undone.keys { arrivals[name] = nil }
        for (name, arrival) in arrived {
            arrivals[name] = arrival
            followedArrivals.insert(arrival.migrationID)
        }
        let ids = (arrived.values.map(\.migrationID) + undone.values.map(\.migrationID)).sorted()
        change.merge(remerge(readBy: "migration \(ids.joined(separator: ", "))"))
        return change
    }

    /// Merges every source's last read again; touches only workloads whose result changed. `source`
    /// names what caused it, for the re-addressing it finds.
    private mutating func remerge(readBy source: String) -> WorldChange {
        var change = WorldChange()
        let merged = InventoryMerge.merge(inventoryReads, order: inventoryOrder)
        for (name, read) in merged {
            var declaration = read
            let outdated = applyArrival(to: &declaration, of: name)
            if var workload = workloads[name] {
                let changed =
                    !workload.spec.declaresSame(as: declaration.spec) || workload.sources != declaration.sources
                    || !Self.sameValues(workload.provenance, declaration.provenance)
                    || workload.outdatedInventory != outdated
                if workload.spec.address != declaration.spec.address {
                    workload.previousAddress = workload.spec.address
                    change.readdressed[name] = AddressChange(
                        from: workload.spec.address,
                        to: declaration.spec.address,
                        source: source
                    )
                    change.changedAddresses[name] = KnownAddress(
                        address: declaration.spec.address,
                        previous: workload.spec.address
                    )
                    workload.dependencies = workload.dependencies.map {
                        $0.awaitingCheck(at: declaration.spec.address)
                    }
                }
                // Keep the line numbers and read times current even when nothing else changed.
                workload.spec = declaration.spec
                workload.sources = declaration.sources
                workload.provenance = declaration.provenance
                workload.outdatedInventory = outdated
                workloads[name] = workload
                if changed {
                    change.touchedWorkloads.insert(name)
                }
            } else {
                var workload = Workload(
                    spec: declaration.spec,
                    sources: declaration.sources,
                    lastKnownMapping: storedMappings[name],
                    recentMoves: storedMoves[name] ?? [],
                    hasPendingMigration: pendingMigrations.contains(name)
                )
                workload.provenance = declaration.provenance
                workload.outdatedInventory = outdated
                let address = declaration.spec.address
                if let stored = storedAddresses[name] {
                    if stored.address != address {
                        workload.previousAddress = stored.address
                        change.readdressed[name] = AddressChange(from: stored.address, to: address, source: source)
                        change.changedAddresses[name] = KnownAddress(address: address, previous: stored.address)
                    } else {
                        workload.previousAddress = stored.previous
                    }
                } else {
                    change.changedAddresses[name] = KnownAddress(address: address)
                }
                workloads[name] = workload
                change.touchedWorkloads.insert(name)
            }
        }
        storedAddresses.merge(change.changedAddresses) { _, new in new }
        for name in workloads.keys where merged[name] == nil {
            workloads[name] = nil
            change.touchedWorkloads.insert(name)
        }
        return change
    }

    /// Gives `declaration` the site and address of the workload's completed migration while its
    /// inventory lags behind; once the inventory agrees (or has moved on) the migration no longer
    /// counts.
    private mutating func applyArrival(
        to declaration: inout InventoryMerge.Merged,
        of name: String
    ) -> OutdatedInventory? {
        guard let arrival = arrivals[name] else { return nil }
        guard let overridden = arrival.override(declaration.spec) else {
            arrivals[name] = nil
            return nil
        }
        declaration.spec = overridden
        return OutdatedInventory(arrival: arrival, provenance: declaration.provenance)
    }

    private static func sameValues(_ lhs: [String: [FieldOrigin]], _ rhs: [String: [FieldOrigin]]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (field, origins) in lhs {
            guard let others = rhs[field], others.count == origins.count else { return false }
            for (origin, other) in zip(origins, others) where !origin.saysSame(as: other) {
                return false
            }
        }
        return true
    }
}

/// Joins the declarations of several inventory sources into one per workload. Pure.
enum InventoryMerge {
    struct Merged: Sendable {
        var spec: InventoryWorkload
        var sources: [String]
        var provenance: [String: [FieldOrigin]]
    }

    private struct Declaration {
        var source: String
        var spec: InventoryWorkload
        var readAt: Date?
    }

    /// The merged workloads by name. Declarations with the same name or the same MAC are one
    /// workload, named and declared by the most trusted of them; fields it leaves empty (MAC, host,
    /// owner, tags, dependencies, attributes) come from the next source that gives them.
    static func merge(_ reads: [String: InventoryRead], order: [String]) -> [String: Merged] {
        let rank = Dictionary(
            order.enumerated().map { ($0.element, $0.offset) },
            uniquingKeysWith: { first, _ in first }
        )
        let sourceNames = reads.keys.sorted { (rank[$0] ?? order.count, $0) < (rank[$1] ?? order.count, $1) }
        var declarations: [Declaration] = []
        for source in sourceNames {
            guard let read = reads[source] else { continue }
            for spec in read.workloads {
                declarations.append(Declaration(source: source, spec: spec, readAt: read.readAt))
            }
        }

        var groups = UnionFind(count: declarations.count)
        var byName: [String: Int] = [:]
        var byMAC: [MACAddress: Int] = [:]
        for (index, declaration) in declarations.enumerated() {
            if let first = byName[declaration.spec.name] {
                groups.union(first, index)
            } else {
                byName[declaration.spec.name] = index
            }
            if let mac = declaration.spec.mac {
                if let first = byMAC[mac] {
                    groups.union(first, index)
                } else {
                    byMAC[mac] = index
                }
            }
        }

        // Declarations are in trust order, so each group's members are too.
        var members: [Int: [Int]] = [:]
        for index in declarations.indices {
            members[groups.find(index), default: []].append(index)
        }
        var merged: [String: Merged] = [:]
        merged.reserveCapacity(members.count)
        for indices in members.values {
            let group = indices.map { declarations[$0] }
            let result = merge(group)
            merged[result.spec.name] = result
        }
        return merged
    }

    private static func merge(_ group: [Declaration]) -> Merged {
        var spec = group[0].spec
        for other in group.dropFirst() {
            spec.mac = spec.mac ?? other.spec.mac
            spec.host = spec.host ?? other.spec.host
            spec.owner = spec.owner ?? other.spec.owner
            if spec.tags.isEmpty { spec.tags = other.spec.tags }
            if spec.dependencies.isEmpty { spec.dependencies = other.spec.dependencies }
            spec.attributes.merge(other.spec.attributes) { kept, _ in kept }
        }
        var provenance: [String: [FieldOrigin]] = [:]
        for declaration in group {
            for (field, value) in fields(of: declaration.spec) {
                provenance[field, default: []].append(
                    FieldOrigin(source: declaration.source, value: value, readAt: declaration.readAt)
                )
            }
        }
        let sources = Set(group.map(\.source)).sorted()
        return Merged(spec: spec, sources: sources, provenance: provenance)
    }

    /// The fields a declaration gives, printed as in the inventory file.
    private static func fields(of spec: InventoryWorkload) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("name", spec.name),
            ("eid", spec.eid.description),
            ("iid", String(spec.iid)),
            ("site", spec.site),
            ("address", spec.address.description),
        ]
        if let mac = spec.mac { fields.append(("mac", mac.description)) }
        if let host = spec.host { fields.append(("host", host)) }
        if let owner = spec.owner { fields.append(("owner", owner)) }
        if !spec.tags.isEmpty { fields.append(("tags", spec.tags.joined(separator: ", "))) }
        if !spec.dependencies.isEmpty {
            fields.append(("dependencies", spec.dependencies.map(\.kind).joined(separator: ", ")))
        }
        for (key, value) in spec.attributes.sorted(by: { $0.key < $1.key }) {
            fields.append((key, value))
        }
        return fields
    }
}

/// Disjoint sets over `0..<count`, with path halving.
private struct UnionFind {
    private var parent: [Int]

    init(count: Int) {
        parent = Array(0..<count)
    }

    mutating func find(_ element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]
            element = parent[element]
        }
        return element
    }

    mutating func union(_ lhs: Int, _ rhs: Int) {
        let left = find(lhs)
        let right = find(rhs)
        if left != right {
            // The lower index is the more trusted declaration; keep it as the root.
            parent[max(left, right)] = min(left, right)
        }
    }
}
