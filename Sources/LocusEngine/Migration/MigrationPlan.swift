import DNS
import LocusCore

/// Every change a cutover will make, as CONFIG.md's `plan[]`: pure, from the config, the workload's
/// declaration and the request.
public enum MigrationPlan {
    /// The mover's placeholders for `migration` (CONFIG.md `[migration]`).
    public static func placeholders(
        for migration: Migration,
        workload: InventoryWorkload?,
        config: LocusConfig
    ) -> [String: String] {
        let destination = config.site(named: migration.toSite)
        return [
            "workload": migration.workload,
            "from_site": migration.fromSite,
            "site": migration.toSite,
            "host": workload?.host ?? "",
            "dest_host": migration.destinationHost ?? destination?.hosts.first ?? "",
            "from_address": migration.fromAddress,
            "address": migration.toAddress,
        ]
    }

    public static let loadBalancerNote =
        "HAProxy's Runtime API has no compare-and-set: the member is read just before it is set; "
        + "a runtime change is lost when HAProxy reloads unless its configuration is updated too"

    public static let firewallNote =
        "one nft batch per firewall through its apply_command: a set's old element is deleted as the new "
        + "one is added, and the batch is refused if the old one is gone; a rule is replaced by its handle"

    public static func changes(
        for migration: Migration,
        workload: InventoryWorkload?,
        config: LocusConfig
    ) -> [PlanChange] {
        var plan: [PlanChange] = []
        if let mover = config.migration {
            let argv = mover.moverArguments(placeholders(for: migration, workload: workload, config: config))
            plan.append(
                PlanChange(
                    what: "mover",
                    target: migration.workload,
                    from: migration.fromSite,
                    to: argv.joined(separator: " ")
                )
            )
        }
        let eid = workload?.eid.description ?? migration.workload
        plan.append(PlanChange(what: "mapping", target: eid, from: migration.fromSite, to: migration.toSite))
        guard migration.changesAddress, let workload else { return plan }
        for dependency in workload.dependencies {
            switch dependency {
            case .dns(let spec):
                plan.append(
                    PlanChange(what: "dns", target: spec.name, from: migration.fromAddress, to: migration.toAddress)
                )
                if spec.ptr {
                    plan.append(
                        PlanChange(
                            what: "ptr",
                            target: spec.name,
                            from: reverseName(migration.fromAddress),
                            to: reverseName(migration.toAddress)
                        )
                    )
                }
            case .loadBalancer(let spec):
                plan.append(
                    PlanChange(
                        what: "loadbalancer",
                        target: "\(spec.balancer) \(spec.backend)/\(spec.server)",
                        from: "\(migration.fromAddress):\(spec.port)",
                        to: "\(migration.toAddress):\(spec.port)",
                        note: loadBalancerNote
                    )
                )
            case .firewall(let spec):
                plan.append(
                    PlanChange(
                        what: "firewall",
                        target: FirewallProbe.target(of: spec),
                        from: migration.fromAddress,
                        to: migration.toAddress,
                        note: firewallNote
                    )
                )
            case .tcp:
                break
            }
        }
        return plan
    }

    /// `7.0.1.10.in-addr.arpa.` for 10.1.0.7.
    static func reverseName(_ address: String) -> String {
        guard let dnsAddress = DNSAddress(address) else { return address }
        return DNSName.reverse(of: dnsAddress).description
    }
}
