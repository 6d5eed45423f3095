import Foundation

extension Correlator {
    /// The alerts one workload deserves now; also trims its move history and sets when time alone
    /// will next change them.
    func workloadFindings(_ world: inout World, name: String, now: Date) -> [Finding] {
        guard var workload = world.workloads[name] else { return [] }
        var findings: [Finding] = []
        var deadlines: [Date] = []

        let spec = workload.spec
        let eid = "\(spec.eid) (iid \(spec.iid))"
        let mapping = workload.mapping
        switch mapping.state {
        case .negative:
            findings.append(
                Finding(
                    kind: .mappingMissing,
                    severity: .critical,
                    message: "\(name): the mapping system has no entry for \(eid)"
                        + (mapping.resolver.map { " (negative reply from \($0))" } ?? "")
                        + "; check that an xTR of \(spec.site) registers it"
                )
            )
        case .registered:
            findings.append(contentsOf: locatorFindings(name: name, spec: spec, mapping: mapping))
        case .unknown:
            // Nothing current to judge; a down resolver raises its own `source-down`.
            break
        }

        findings.append(contentsOf: dependencyFindings(workload))

        if let registration = workload.registration, let last = registration.lastRegisteredAt {
            let limit = registration.timeout / 2
            let staleAt = last.addingTimeInterval(limit.seconds)
            if now > staleAt {
                let age = Duration.seconds(now.timeIntervalSince(last))
                findings.append(
                    Finding(
                        kind: .registrationStale,
                        severity: .warning,
                        message: "\(name): \(eid) last registered \(age.roundedText) ago, more than half the"
                            + " map-server's \(registration.timeout.roundedText) registration timeout;"
                            + " check the xTR of \(spec.site) that should refresh it"
                    )
                )
            } else {
                deadlines.append(staleAt.addingTimeInterval(0.001))
            }
        }

        if let outdated = workload.outdatedInventory {
            findings.append(outdatedInventoryFinding(outdated, name: name, locations: world.inventoryLocations))
        }

        let conflict = workload.conflictingAddresses
        if !conflict.isEmpty {
            let said = conflict.map { "\($0.source) says \($0.value)" }.joined(separator: ", ")
            findings.append(
                Finding(
                    kind: .inventoryConflict,
                    severity: .warning,
                    message: "\(name): inventories disagree on its address (\(said)); \(spec.address) from"
                        + " \(conflict[0].source) is watched, correct the source that is wrong"
                )
            )
        }

        let windowStart = now.addingTimeInterval(-policy.flappingWindow.seconds)
        workload.recentMoves.removeAll { $0 <= windowStart }
        if workload.recentMoves.count > policy.flappingMoves {
            let last = workload.lastKnownMapping?.site ?? "no known site"
            findings.append(
                Finding(
                    kind: .flapping,
                    severity: .warning,
                    message: "\(name) moved \(workload.recentMoves.count) times in"
                        + " \(policy.flappingWindow.roundedText) (now at \(last)); check the mover and"
                        + " whether two xTRs register \(spec.eid)"
                )
            )
        }
        if let oldest = workload.recentMoves.first {
            deadlines.append(oldest.addingTimeInterval(policy.flappingWindow.seconds))
        }
        world.workloads[name] = workload
        world.reevaluationDeadlines[name] = deadlines.min()
        return findings
    }

    private func locatorFindings(name: String, spec: InventoryWorkload, mapping: Mapping) -> [Finding] {
        var findings: [Finding] = []
        let foreign = mapping.locators.filter { $0.site != spec.site }
        if !foreign.isEmpty {
            let addresses = foreign.map(\.address).joined(separator: ", ")
            let mappedSite: String
            if let site = foreign.first(where: { $0.site != nil })?.site, foreign.allSatisfy({ $0.site == site }) {
                mappedSite = "mapping says \(site)"
            } else if foreign.allSatisfy({ $0.site == nil }) {
                mappedSite = "mapping points to RLOCs of no known site"
            } else {
                let sites = Set(foreign.map { $0.site ?? "no known site" }).sorted().joined(separator: ", ")
                mappedSite = "mapping points to \(sites)"
            }
            findings.append(
                Finding(
                    kind: .locatorMismatch,
                    severity: .critical,
                    message: "\(name): inventory says \(spec.site), \(mappedSite) (RLOC \(addresses));"
                        + " update the inventory if it moved, else find the xTR registering \(spec.eid)"
                )
            )
        }

        let down = mapping.locators.filter { !$0.reachable }
        if mapping.locators.isEmpty || down.count == mapping.locators.count {
            let detail =
                down.isEmpty ? "no RLOC registered" : "all RLOCs down: " + down.map(\.address).joined(separator: ", ")
            findings.append(
                Finding(
                    kind: .locatorDown,
                    severity: .critical,
                    message: "\(name): no reachable RLOC for \(spec.eid) (\(detail)); traffic to it is dropped,"
                        + " check the xTRs of \(mapping.site ?? spec.site)"
                )
            )
        } else if !down.isEmpty {
            findings.append(
                Finding(
                    kind: .locatorDown,
                    severity: .warning,
                    message: "\(name): \(down.count) of \(mapping.locators.count) RLOCs down ("
                        + down.map(\.address).joined(separator: ", ") + "); check those xTRs"
                )
            )
        }
        return findings
    }
}

extension Duration {
    /// Seconds as a floating-point number, for date arithmetic.
    public var seconds: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }

    /// A short human text, to the largest whole unit: `45s`, `2m`, `3h`, `2d`.
    var roundedText: String {
        let total = Int64(seconds.rounded())
        switch total {
        case ..<60: return "\(max(total, 0))s"
        case ..<3600: return total % 60 == 0 ? "\(total / 60)m" : "\(total / 60)m\(total % 60)s"
        case ..<86_400: return "\(total / 3600)h"
        default: return "\(total / 86_400)d"
        }
    }
}
