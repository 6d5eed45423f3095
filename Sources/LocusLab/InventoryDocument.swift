/// `inventory.toml` (CONFIG.md) for the lab's workloads, as they are placed now, with their dependencies.
public struct InventoryDocument: Sendable {
    public var workloads: [LabWorkload]
    /// `[[workload.depends]]` entries by workload name.
    public var dependencies: [String: [LabDependency]]

    public init(workloads: [LabWorkload], dependencies: [String: [LabDependency]] = [:]) {
        self.workloads = workloads
        self.dependencies = dependencies
    }

    public func render() -> String {
        var out = "# The lab's inventory: rewritten when the lab completes a migration.\n"
        for workload in workloads {
            out += """

                [[workload]]
                name = \(TOMLText.quoted(workload.name))
                eid = \(TOMLText.quoted(workload.eidPrefix.cidr))
                iid = \(workload.eidPrefix.instanceID)
                site = \(TOMLText.quoted(workload.site))
                address = \(TOMLText.quoted(workload.address.description))
                mac = \(TOMLText.quoted(workload.mac))
                host = \(TOMLText.quoted(workload.host))
                owner = \(TOMLText.quoted(workload.owner))
                tags = \(TOMLText.array(workload.tags))

                """
            for dependency in dependencies[workload.name] ?? [] {
                out += dependency.render(
                    dnsServer: LabDependencyPlan.dnsServerName,
                    balancer: LabDependencyPlan.loadBalancerName
                )
            }
        }
        return out
    }
}
