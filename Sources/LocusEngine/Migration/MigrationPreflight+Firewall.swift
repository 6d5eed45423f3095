import LocusCore

extension MigrationPreflight {
    /// Each firewall the cutover must change lists its ruleset, holds every set and rule the workload
    /// names, and every rule to change can be written back.
    func firewallChecks(_ migration: Migration, workload: InventoryWorkload) async -> [PreflightCheck] {
        guard let from = IPAddress(migration.fromAddress), let to = IPAddress(migration.toAddress) else { return [] }
        var checks: [PreflightCheck] = []
        for (name, targets) in workload.firewallTargets {
            guard let firewall = config.firewalls.first(where: { $0.name == name }) else { continue }
            let check = "firewall-rights \(name)"
            let ruleset: NFTRuleset
            do {
                ruleset = try await FirewallProbe(config: firewall).ruleset()
            } catch {
                checks.append(
                    PreflightCheck(name: check, ok: false, detail: "\(name): \(error)", compared: "unreadable")
                )
                continue
            }
            switch FirewallStep.plan(targets, from: from, to: to, in: ruleset, firewall: name) {
            case .conflict(let problem):
                checks.append(PreflightCheck(name: check, ok: false, detail: problem, compared: "conflict"))
            case .done(let detail):
                checks.append(
                    PreflightCheck(name: check, ok: true, detail: "already allows \(to): \(detail)", compared: "done")
                )
            case .changes(let changes, let detail):
                do {
                    _ = try NFTBatch.text(for: changes)
                    checks.append(
                        PreflightCheck(
                            name: check,
                            ok: true,
                            detail: "\(name) lists its ruleset; the cutover will change \(detail)",
                            compared: "ready"
                        )
                    )
                } catch {
                    checks.append(
                        PreflightCheck(
                            name: check,
                            ok: false,
                            detail: "\(name): cannot rewrite a rule holding \(error); change it by hand",
                            compared: "not rewritable"
                        )
                    )
                }
            }
        }
        return checks
    }
}
