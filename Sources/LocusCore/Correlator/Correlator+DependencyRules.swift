extension Correlator {
    /// The alerts a workload's dependencies deserve: one alert per kind, naming every dependency
    /// that has the problem, so that an operator sees the whole list in one place.
    func dependencyFindings(_ workload: Workload) -> [Finding] {
        let name = workload.name
        let expectedAddress = workload.spec.address.description
        var stale: [String] = []
        var missing: [String] = []
        var ptr: [String] = []
        var lbStale: [String] = []
        var lbDown: [String] = []
        var lbDownSeverity = AlertSeverity.warning
        var unreachable: [String] = []
        var unreachableSeverity = AlertSeverity.warning
        var ttlHigh: [String] = []
        var firewallStale: [String] = []
        var firewallMissing: [String] = []
        var firewallLeftover: [String] = []

        for dependency in workload.dependencies {
            switch (dependency.kind, dependency.state) {
            case (.dns, .stale):
                stale.append(
                    "\(dependency.target) points to \(Self.observedText(dependency)), expected \(expectedAddress)"
                )
            case (.dns, .missing):
                missing.append(
                    "\(dependency.target) has no address record"
                        + (dependency.detail.map { " (\($0))" } ?? "") + ", expected \(expectedAddress)"
                )
            case (.ptr, .stale), (.ptr, .missing):
                let observed = dependency.observed.map { "names \($0)" } ?? "is missing"
                ptr.append(
                    "PTR of \(expectedAddress) \(observed), expected \(dependency.expected ?? dependency.target)"
                )
            case (.lb, .stale):
                lbStale.append(
                    "pool member \(dependency.target) sends to \(Self.observedText(dependency)),"
                        + " expected \(dependency.expected ?? expectedAddress)"
                )
            case (.lb, .down), (.lb, .maint), (.lb, .missing):
                let what: String
                switch dependency.state {
                case .maint: what = "is in maintenance"
                case .missing: what = "does not exist"
                default: what = "is down"
                }
                if dependency.state != .maint {
                    lbDownSeverity = .critical
                }
                lbDown.append(
                    "pool member \(dependency.target) \(what)" + (dependency.detail.map { " (\($0))" } ?? "")
                )
            case (.tcp, .unreachable):
                if dependency.role == DependencyRole.auth.rawValue || dependency.role == DependencyRole.storage.rawValue
                {
                    unreachableSeverity = .critical
                }
                unreachable.append(
                    "\(dependency.role) service \(dependency.target) is unreachable"
                        + (dependency.detail.map { " (\($0))" } ?? "")
                )
            case (.firewall, .stale):
                firewallStale.append(
                    "\(dependency.target) allows \(Self.observedText(dependency)), expected \(expectedAddress)"
                )
            case (.firewall, .missing):
                firewallMissing.append(
                    "\(dependency.target) does not allow \(expectedAddress)"
                        + (dependency.detail.map { " (\($0))" } ?? "")
                )
            case (.firewall, .unreachable):
                unreachable.append(
                    "firewall \(dependency.target) could not be read" + (dependency.detail.map { " (\($0))" } ?? "")
                )
            default:
                break
            }
            if dependency.kind == .firewall, let leftover = dependency.leftover {
                firewallLeftover.append("\(dependency.target) still allows \(leftover), its previous address")
            }
            if dependency.kind == .dns, workload.hasPendingMigration, let ttl = dependency.ttl,
                let threshold = dependency.ttlThreshold, ttl > threshold
            {
                ttlHigh.append(
                    "\(dependency.target) has a TTL of \(ttl.roundedText), above the \(threshold.roundedText) threshold"
                )
            }
        }

        var findings: [Finding] = []
        func add(_ kind: AlertKind, _ severity: AlertSeverity, _ items: [String], advice: String) {
            guard !items.isEmpty else { return }
            let message = "\(name): " + items.joined(separator: "; ") + "; " + advice
            findings.append(Finding(kind: kind, severity: severity, message: message))
        }
        add(.dnsStale, .critical, stale, advice: "update the record, clients still go to the old address")
        add(.dnsMissing, .critical, missing, advice: "add the record, clients cannot find the workload")
        add(.ptrStale, .warning, ptr, advice: "fix the PTR record, Kerberos and logs rely on it")
        add(.lbStale, .critical, lbStale, advice: "set the server's address on the load balancer")
        add(.lbMemberDown, lbDownSeverity, lbDown, advice: "the load balancer sends no traffic to the workload")
        add(
            .dependencyUnreachable,
            unreachableSeverity,
            unreachable,
            advice: "check the network path from \(workload.spec.site)"
        )
        add(
            .firewallStale,
            .critical,
            firewallStale,
            advice: "change the firewall, traffic to the new address is blocked"
        )
        add(.firewallMissing, .critical, firewallMissing, advice: "allow the address on the firewall")
        for leftover in workload.firewallLeftovers.keys.sorted().flatMap({ workload.firewallLeftovers[$0] ?? [] }) {
            firewallLeftover.append(leftover.description)
        }
        add(.firewallLeftover, .warning, firewallLeftover, advice: "remove the opening nobody needs any more")
        add(.dnsTTLHigh, .warning, ttlHigh, advice: "lower the TTL before migrating so the change is seen in time")
        return findings
    }

    /// What a stale dependency points at, saying when it is where the workload used to be.
    private static func observedText(_ dependency: DependencyStatus) -> String {
        let observed = dependency.observed ?? "nothing"
        return dependency.observedIsPreviousAddress ? "\(observed) (its previous address)" : observed
    }
}
