import LocusCore

/// What `locus lab move` and `locus lab status` print for people.
public enum LabControlText {
    public static func move(_ report: LabMoveReport) -> String {
        guard report.moved else {
            return "\(report.workload) is already at \(report.site) with address \(report.address): nothing to do\n"
        }
        let address =
            report.address == report.fromAddress
            ? "address \(report.address) kept"
            : "address \(report.fromAddress) -> \(report.address), EID \(report.eid) kept"
        return "moved \(report.workload) from \(report.fromSite) to \(report.site) (\(address), map-version "
            + "\(report.mapVersion)); DNS and pool members are left to the cutover\n"
    }

    public static func status(_ status: LabStatusReport) -> String {
        let delay = status.moveDelayMs == 0 ? "none" : "\(status.moveDelayMs)ms"
        let failing =
            status.failStep.map { "\($0)" + (status.failStepTaken ? " (failed once already)" : " (not yet failed)") }
            ?? "none"
        var out =
            "lab \(status.name): \(Plural.count(status.sites.count, "site")), \(Plural.count(status.workloads, "workload"))\n"
        out += "move delay \(delay), step to fail \(failing)\n\n"
        let siteWidth = max(4, status.sites.map(\.name.count).max() ?? 0)
        out += pad("SITE", siteWidth) + "  WORKLOADS\n"
        for site in status.sites {
            out += pad(site.name, siteWidth) + "  \(site.workloads)\n"
        }
        out += "\n"
        guard !status.invocations.isEmpty || status.unknownWorkloadInvocations > 0 else {
            return out + "no moves asked yet\n"
        }
        let nameWidth = max(8, status.invocations.map(\.workload.count).max() ?? 0)
        out += pad("WORKLOAD", nameWidth) + "  MOVES ASKED\n"
        for entry in status.invocations {
            out += pad(entry.workload, nameWidth) + "  \(entry.count)\n"
        }
        if status.unknownWorkloadInvocations > 0 {
            out += "\(status.unknownWorkloadInvocations) asked for workloads the lab does not have\n"
        }
        return out
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
