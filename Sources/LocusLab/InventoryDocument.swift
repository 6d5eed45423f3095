/// `inventory.toml` (CONFIG.md) for the lab's workloads, as they are placed now.
public struct InventoryDocument: Sendable {
    public var workloads: [LabWorkload]

    public init(workloads: [LabWorkload]) {
        self.workloads = workloads
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
                address = \(TOMLText.quoted(workload.eid.description))
                mac = \(TOMLText.quoted(workload.mac))
                host = \(TOMLText.quoted(workload.host))
                owner = \(TOMLText.quoted(workload.owner))
                tags = \(TOMLText.array(workload.tags))

                """
        }
        return out
    }
}
