import Foundation

extension Correlator {
    /// Judges every alert taken over from the store that still waits, on what is known now, and
    /// remembers the events: for the end of a complete pass (`locus snapshot`), when no more evidence
    /// will come. One about a workload no inventory declares or a source that never reported is
    /// cleared.
    public func judgeSeededAlerts(_ world: inout World, now: Date) -> WorldUpdate {
        let (workloads, sources) = world.seededSubjects
        return settle(&world, workloads: workloads, sources: sources, now: now)
    }

    /// Clears the alerts taken over from the store whose subject is gone, and remembers the events:
    /// those about a workload no inventory declares, once every inventory has been read, and those
    /// about a source not in `configuredSources`. For a long-running engine, whose other seeded
    /// alerts wait for the observations that confirm or deny them.
    public func clearSeededAlertsOfRemovedSubjects(
        _ world: inout World,
        configuredSources: Set<String>,
        now: Date
    ) -> WorldUpdate {
        let (workloads, sources) = world.seededSubjects
        let inventoryIsComplete =
            !world.inventoryReads.isEmpty && world.inventoryOrder.allSatisfy { world.inventoryReads[$0] != nil }
        let removedWorkloads = inventoryIsComplete ? workloads.filter { world.workloads[$0] == nil } : Set<String>()
        let removedSources = sources.subtracting(configuredSources)
        return settle(&world, workloads: removedWorkloads, sources: removedSources, now: now)
    }

    private func settle(_ world: inout World, workloads: Set<String>, sources: Set<String>, now: Date) -> WorldUpdate {
        guard !workloads.isEmpty || !sources.isEmpty else {
            return WorldUpdate(change: WorldChange(), correlation: CorrelationResult())
        }
        let correlation = evaluate(&world, workloads: workloads, sources: sources, now: now, judgingSeeded: true)
        world.remember(correlation.events)
        return WorldUpdate(change: WorldChange(), correlation: correlation)
    }
}

extension World {
    /// The workloads and sources that alerts taken over from the store, still waiting, are about.
    var seededSubjects: (workloads: Set<String>, sources: Set<String>) {
        var workloads: Set<String> = []
        var sources: Set<String> = []
        for id in seededAlerts {
            guard let alert = alerts[id] else { continue }
            if AlertKind.sourceKinds.contains(alert.kind) {
                sources.insert(alert.subject)
            } else {
                workloads.insert(alert.subject)
            }
        }
        return (workloads, sources)
    }

    /// Whether this process has observed what an alert of `kind` about `subject` depends on (or knows
    /// there is nothing to observe: the workload no longer declares such a dependency), so that the
    /// absence of its finding means it no longer holds rather than that nobody looked yet.
    func hasEvidence(for kind: AlertKind, about subject: String) -> Bool {
        if AlertKind.sourceKinds.contains(kind) {
            return sources[subject] != nil
        }
        // Evaluated while undeclared means the inventory dropped it: nothing left to wait for.
        guard let workload = workloads[subject] else { return true }
        switch kind {
        case .mappingMissing, .locatorMismatch, .locatorDown, .flapping:
            return workload.mapping.checkedAt != nil
        case .registrationStale:
            return workload.registration != nil
        case .inventoryConflict, .inventoryOutdated:
            return true
        case .dnsStale, .dnsMissing, .dnsTTLHigh:
            return workload.hasChecked(.dns) || !workload.spec.dependencies.contains { $0.kind == "dns" }
        case .ptrStale:
            return workload.hasChecked(.ptr)
                || !workload.spec.dependencies.contains {
                    if case .dns(let spec) = $0 { spec.ptr } else { false }
                }
        case .lbStale, .lbMemberDown:
            return workload.hasChecked(.lb) || !workload.spec.dependencies.contains { $0.kind == "lb" }
        case .dependencyUnreachable:
            return (workload.hasChecked(.tcp) || !workload.spec.dependencies.contains { $0.kind == "tcp" })
                && (workload.hasChecked(.firewall) || !workload.spec.dependencies.contains { $0.kind == "firewall" })
        case .firewallStale, .firewallMissing:
            return workload.hasChecked(.firewall) || !workload.spec.dependencies.contains { $0.kind == "firewall" }
        case .firewallLeftover:
            // A leftover may sit on any firewall, not only those the workload depends on.
            return firewallNames.allSatisfy { firewallLeftoverListings.contains($0) }
        case .sourceDown, .inventoryInvalid:
            return sources[subject] != nil
        }
    }
}

extension Workload {
    /// Whether a probe has reported on a dependency of this kind.
    fileprivate func hasChecked(_ kind: DependencyStatus.Kind) -> Bool {
        dependencies.contains { $0.kind == kind }
    }
}
