import Foundation

extension World {
    /// Applies observations in order and returns everything they changed.
    public mutating func apply(_ observations: some Sequence<Observation>) -> WorldChange {
        var change = WorldChange()
        for observation in observations {
            change.merge(apply(observation))
        }
        return change
    }

    /// Applies one observation; the cost grows with what it changes, not with the size of the world
    /// (except a mapping source going down, which makes every mapping it answered unknown).
    public mutating func apply(_ observation: Observation) -> WorldChange {
        switch observation {
        case .mapping(let workload, let answer):
            return applyMapping(answer, to: workload)
        case .registration(let workload, let status):
            guard workloads[workload] != nil, workloads[workload]?.registration != status else { return WorldChange() }
            workloads[workload]?.registration = status
            return WorldChange(touchedWorkloads: [workload])
        case .source(let health):
            return applySource(health)
        case .inventoryLoaded(let source, let declared):
            return applyInventory(declared, from: source)
        case .inventoryInvalid(let source, let errors):
            guard (inventoryErrors[source] ?? []) != errors else { return WorldChange() }
            inventoryErrors[source] = errors.isEmpty ? nil : errors
            return WorldChange(touchedSources: [source])
        case .dependencies(let workload, let states):
            guard workloads[workload] != nil, workloads[workload]?.dependencies != states else { return WorldChange() }
            workloads[workload]?.dependencies = states
            return WorldChange(touchedWorkloads: [workload])
        case .migrations(let migrations):
            return follow(migrations)
        case .firewallLeftovers(let firewall, let found):
            return applyLeftovers(found, on: firewall)
        }
    }

    private mutating func applyLeftovers(_ found: [String: [FirewallLeftover]], on firewall: String) -> WorldChange {
        var change = WorldChange()
        let named = Set(found.keys.filter { workloads[$0] != nil })
        for name in named.union(firewallLeftoverOwners[firewall] ?? []) {
            let leftovers = found[name] ?? []
            guard var workload = workloads[name], workload.firewallLeftovers[firewall] ?? [] != leftovers else {
                continue
            }
            workload.firewallLeftovers[firewall] = leftovers.isEmpty ? nil : leftovers
            workloads[name] = workload
            change.touchedWorkloads.insert(name)
        }
        firewallLeftoverOwners[firewall] = named.isEmpty ? nil : named
        firewallLeftoverListings.insert(firewall)
        return change
    }

    private mutating func applyMapping(_ observation: MappingObservation, to name: String) -> WorldChange {
        guard var workload = workloads[name] else { return WorldChange() }
        var change = WorldChange()
        let mapping: Mapping
        switch observation.answer {
        case .registered(let reported, let ttlMinutes, let mapVersion, let isAuthoritative):
            var locators = reported
            for index in locators.indices {
                locators[index].site = site(ofRLOC: locators[index].address)
            }
            mapping = Mapping(
                state: .registered,
                site: Self.preferredSite(of: locators),
                locators: locators,
                ttlMinutes: ttlMinutes,
                mapVersion: mapVersion,
                isAuthoritative: isAuthoritative,
                rtt: observation.rtt,
                resolver: observation.resolver,
                checkedAt: observation.checkedAt
            )
            let known = LastKnownMapping(site: mapping.site, locators: locators, checkedAt: observation.checkedAt)
            if let previous = workload.lastKnownMapping {
                if previous.site != known.site {
                    let move = Move(
                        fromSite: previous.site,
                        toSite: known.site,
                        fromLocators: previous.locators.map(\.address),
                        toLocators: locators.map(\.address)
                    )
                    change.events.append(.move(move, of: name, at: observation.checkedAt))
                    workload.lastMovedAt = observation.checkedAt
                    workload.recentMoves.append(observation.checkedAt)
                }
                if previous.site != known.site || previous.locators != known.locators {
                    change.changedMappings[name] = known
                }
            } else {
                change.changedMappings[name] = known
            }
            workload.lastKnownMapping = known
        case .negative(let ttlMinutes):
            // A withdrawal is not a move: the next registration is compared with the last known site.
            mapping = Mapping(
                state: .negative,
                ttlMinutes: ttlMinutes,
                rtt: observation.rtt,
                resolver: observation.resolver,
                checkedAt: observation.checkedAt
            )
        }
        if !workload.mapping.hasSameAnswer(as: mapping) || !change.events.isEmpty {
            change.touchedWorkloads.insert(name)
        }
        workload.mapping = mapping
        workloads[name] = workload
        return change
    }

    /// The site traffic goes to: that of the most preferred usable locator (lowest priority value),
    /// or of the most preferred one when none is usable.
    static func preferredSite(of locators: [Locator]) -> String? {
        let candidates = locators.contains(where: \.isUsable) ? locators.filter(\.isUsable) : locators
        return candidates.min { ($0.priority, $1.weight) < ($1.priority, $0.weight) }?.site
    }

    private mutating func applySource(_ health: SourceHealth) -> WorldChange {
        var change = WorldChange()
        let previous = sources[health.name]
        sources[health.name] = health
        if previous?.state != health.state || previous?.lastError != health.lastError || previous?.kind != health.kind {
            change.touchedSources.insert(health.name)
        }
        if previous?.state != health.state, previous != nil || health.state != .ok {
            let from = previous.map { "\($0.state.rawValue) -> " } ?? ""
            var detail = "\(health.kind.rawValue) source \(health.name): \(from)\(health.state.rawValue)"
            if let error = health.lastError, health.state != .ok {
                detail += " (\(error))"
            }
            change.events.append(
                Event(time: health.checkedAt, kind: .sourceState, subject: health.name, detail: detail)
            )
        }
        if health.kind == .mapping, health.state == .down, previous?.state != .down {
            // Never keep a last-known-good answer from a resolver that no longer answers.
            for (name, workload) in workloads
            where workload.mapping.resolver == health.name && workload.mapping.state != .unknown {
                workloads[name]?.mapping = Mapping(
                    state: .unknown,
                    resolver: health.name,
                    checkedAt: health.checkedAt
                )
                change.touchedWorkloads.insert(name)
            }
        }
        return change
    }
}

extension Mapping {
    /// Same answer, whenever and however fast it came.
    func hasSameAnswer(as other: Mapping) -> Bool {
        state == other.state && site == other.site && locators == other.locators && ttlMinutes == other.ttlMinutes
            && mapVersion == other.mapVersion && isAuthoritative == other.isAuthoritative && resolver == other.resolver
    }
}
