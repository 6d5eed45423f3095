import Foundation
import Testing

/// `locus snapshot --json` against the lab, a real BIND 9 and a real HAProxy: each dependency's
/// state, and the alerts a move that DNS and the load balancer did not follow raises within one
/// poll, naming the record or pool member, the old and the expected address.
@Suite(.serialized) struct DependencyEndToEndTests {
    @Test func eachDependencyShowsItsStateAndAClosedStoragePortIsACriticalAlert() async throws {
        let lab = try await DependencyLab()
        let check = try await lab.configCheck()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(!check.stderr.contains("warning"), "\(check.stderr)")

        let snapshot = try await lab.snapshot()
        SnapshotShape.check(snapshot.document)
        for (name, kind) in [("bind", "dns"), ("edge", "loadbalancer")] {
            let source = try #require(snapshot.source(name), "no source \(name) in \(snapshot.sources)")
            #expect(source["kind"] as? String == kind)
            #expect(source["state"] as? String == "ok", "\(source)")
            #expect(source["error"] is NSNull, "\(source)")
        }
        for workload in lab.workloads {
            expectAnswered(snapshot, workload, at: workload.address)
            expect(snapshot, workload.name, "tcp", role: "auth", state: "ok", target: lab.auth.endpoint)
            expect(snapshot, workload.name, "tcp", role: "storage", state: "unreachable", target: lab.storage.endpoint)

            let alert = try #require(snapshot.alert("dependency-unreachable", subject: workload.name))
            #expect(alert["severity"] as? String == "critical")
            #expect(alert["id"] as? String == "dependency-unreachable:\(workload.name)")
            let message = alert["message"] as? String ?? ""
            #expect(message.contains("storage") && message.contains(lab.storage.endpoint), "\(message)")
            #expect(!message.contains(lab.auth.endpoint), "the reachable auth service is not in \(message)")
            #expect(snapshot.alertIDs(workload.name) == ["dependency-unreachable:\(workload.name)"])
        }
        try await lab.shutDown()
    }

    @Test func aMoveThatDNSAndTheBalancerDidNotFollowIsAnAlertUntilBothAreFixed() async throws {
        let newAddress = "172.16.1.5"
        let lab = try await DependencyLab(reverseZonesFor: [newAddress])
        let mover = lab.workloads[0]
        let oldAddress = mover.address
        let before = try await lab.snapshot()
        expectAnswered(before, mover, at: oldAddress)

        try lab.move(mover, to: newAddress)
        // Within one poll: the very next snapshot, not one of several.
        let moved = try await lab.snapshot()
        #expect(moved.workload(mover.name)?["address"] as? String == newAddress)
        expect(
            moved,
            mover.name,
            "dns",
            state: "stale",
            target: mover.record,
            expected: newAddress,
            observed: oldAddress
        )
        expect(
            moved,
            mover.name,
            "ptr",
            state: "missing",
            target: newAddress.reverseName,
            expected: mover.record + ".",
            observed: .some(nil)
        )
        expect(
            moved,
            mover.name,
            "lb",
            state: "stale",
            target: mover.poolMember,
            expected: "\(newAddress):80",
            observed: "\(oldAddress):80"
        )
        for (kind, severity, names) in [
            ("dns-stale", "critical", [mover.record, oldAddress, newAddress]),
            ("lb-stale", "critical", [mover.poolMember, oldAddress, newAddress]),
            ("ptr-stale", "warning", [newAddress, mover.record]),
        ] {
            let alert = try #require(moved.alert(kind, subject: mover.name), "no \(kind) in \(moved.alerts)")
            #expect(alert["severity"] as? String == severity)
            let message = alert["message"] as? String ?? ""
            for name in names {
                #expect(message.contains(name), "\(kind) should name \(name): \(message)")
            }
            #expect(moved.alertIDs(mover.name).contains("\(kind):\(mover.name)"))
        }
        // The earlier snapshot left the old address in the store: this process knows where the record points.
        let staleMessage = moved.alert("dns-stale", subject: mover.name)?["message"] as? String
        #expect(staleMessage?.contains("\(oldAddress) (its previous address)") == true, "\(staleMessage ?? "")")
        for workload in lab.workloads.dropFirst() {
            expectAnswered(moved, workload, at: workload.address)
        }

        // Fixed behind Locus's back, with the servers' own tools.
        try await lab.bind.update(
            zone: DependencyLab.domain,
            ["update delete \(mover.record). A", "update add \(mover.record). 60 A \(newAddress)"]
        )
        try await lab.bind.update(
            zone: newAddress.reverseZone,
            ["update add \(newAddress.reverseName) 60 PTR \(mover.record)."]
        )
        let reply = try await lab.haproxy.command("set server \(mover.poolMember) addr \(newAddress) port 80")
        #expect(reply.contains("IP changed from '\(oldAddress)' to '\(newAddress)'"), "\(reply)")

        let fixed = try await lab.snapshot()
        expectAnswered(fixed, mover, at: newAddress)
        #expect(fixed.alertIDs(mover.name) == ["dependency-unreachable:\(mover.name)"])
        for kind in ["dns-stale", "lb-stale", "ptr-stale"] {
            #expect(fixed.alert(kind, subject: mover.name) == nil, "\(kind) still raised: \(fixed.alerts)")
        }
        let events = fixed.document["events"] as? [[String: Any]] ?? []
        let cleared = events.contains {
            $0["kind"] as? String == "alert-cleared" && $0["subject"] as? String == "dns-stale:\(mover.name)"
        }
        #expect(cleared, "\(events)")
        try await lab.shutDown()
    }

    @Test func recordsAndPoolMembersChangedBehindLocussBackAreStaleMissingOrInMaintenance() async throws {
        let lab = try await DependencyLab()
        let workload = lab.workloads[1]
        let elsewhere = "192.0.2.99"
        let record = workload.record + "."
        try await lab.bind.update(
            zone: DependencyLab.domain,
            ["update delete \(record) A", "update add \(record) 60 A \(elsewhere)"]
        )
        var reply = try await lab.haproxy.command("set server \(workload.poolMember) addr \(elsewhere) port 8080")
        #expect(reply.contains("IP changed"), "\(reply)")

        let changed = try await lab.snapshot()
        expect(
            changed,
            workload.name,
            "dns",
            state: "stale",
            target: workload.record,
            expected: workload.address,
            observed: elsewhere
        )
        expect(changed, workload.name, "ptr", state: "ok", target: workload.address.reverseName)
        expect(
            changed,
            workload.name,
            "lb",
            state: "stale",
            target: workload.poolMember,
            expected: "\(workload.address):80",
            observed: "\(elsewhere):8080"
        )
        let stale = try #require(changed.alert("dns-stale", subject: workload.name))
        for name in [workload.record, elsewhere, workload.address] {
            #expect((stale["message"] as? String ?? "").contains(name), "\(stale)")
        }
        let lbStale = try #require(changed.alert("lb-stale", subject: workload.name))
        #expect((lbStale["message"] as? String ?? "").contains("\(elsewhere):8080"), "\(lbStale)")

        try await lab.bind.update(zone: DependencyLab.domain, ["update delete \(record) A"])
        reply = try await lab.haproxy.command("set server \(workload.poolMember) addr \(workload.address) port 80")
        #expect(reply.contains("IP changed"), "\(reply)")
        reply = try await lab.haproxy.command("set server \(workload.poolMember) state maint")
        #expect(reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(reply)")

        let deleted = try await lab.snapshot()
        expect(
            deleted,
            workload.name,
            "dns",
            state: "missing",
            target: workload.record,
            expected: workload.address,
            observed: .some(nil)
        )
        let detail = deleted.dependency(workload.name, "dns")?["detail"] as? String ?? ""
        #expect(detail.contains("NXDOMAIN"), "\(detail)")
        expect(deleted, workload.name, "lb", state: "maint", target: workload.poolMember)
        let missing = try #require(deleted.alert("dns-missing", subject: workload.name), "\(deleted.alerts)")
        #expect(missing["severity"] as? String == "critical")
        for name in [workload.record, workload.address] {
            #expect((missing["message"] as? String ?? "").contains(name), "\(missing)")
        }
        #expect(deleted.alert("dns-stale", subject: workload.name) == nil)
        #expect(deleted.alert("lb-stale", subject: workload.name) == nil)
        let maintenance = try #require(deleted.alert("lb-member-down", subject: workload.name), "\(deleted.alerts)")
        #expect(maintenance["severity"] as? String == "warning")
        #expect((maintenance["message"] as? String ?? "").contains("\(workload.poolMember) is in maintenance"))

        try await lab.bind.update(zone: DependencyLab.domain, ["update add \(record) 60 A \(workload.address)"])
        reply = try await lab.haproxy.command("set server \(workload.poolMember) state ready")
        #expect(reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(reply)")
        let restored = try await lab.snapshot()
        expectAnswered(restored, workload, at: workload.address)
        #expect(restored.alertIDs(workload.name) == ["dependency-unreachable:\(workload.name)"])
        try await lab.shutDown()
    }

    @Test func stoppingBINDMakesItsDependenciesUnreachableWithoutStaleOrMissingAlerts() async throws {
        let lab = try await DependencyLab()
        let before = try await lab.snapshot()
        #expect(before.source("bind")?["state"] as? String == "ok")

        await lab.bind.stop()
        let after = try await lab.snapshot()
        let source = try #require(after.source("bind"))
        #expect((source["error"] as? String ?? "").contains(lab.bind.server), "\(source)")
        // One pass is all a snapshot has: the server that failed it is down.
        #expect(source["state"] as? String == "down", "\(source)")
        #expect(after.alert("source-down", subject: "bind") != nil, "\(after.alerts)")
        for workload in lab.workloads {
            for kind in ["dns", "ptr"] {
                let dependency = after.dependency(workload.name, kind)
                #expect(dependency?["state"] as? String == "unreachable", "\(kind)")
                let detail = dependency?["detail"] as? String ?? ""
                #expect(detail.contains("bind"), "\(detail)")
                #expect(after.checkedNow(dependency), "\(dependency ?? [:])")
            }
            #expect(after.dependency(workload.name, "ptr")?["target"] as? String == workload.address.reverseName)
            expect(after, workload.name, "lb", state: "ok", target: workload.poolMember)
            expect(after, workload.name, "tcp", role: "auth", state: "ok", target: lab.auth.endpoint)
            // The last known good state is not reported, nor is silence taken for a missing record.
            for kind in ["dns-stale", "dns-missing", "ptr-stale"] {
                #expect(after.alert(kind, subject: workload.name) == nil, "\(after.alerts)")
            }
        }
        try await lab.shutDown()
    }

    @Test func aMoveToAnAddressWhoseReverseZoneBINDDoesNotServeIsStillAStaleRecord() async throws {
        let lab = try await DependencyLab()
        let mover = lab.workloads[0]
        let newAddress = "192.168.1.5"
        try lab.move(mover, to: newAddress)
        let moved = try await lab.snapshot()
        expect(
            moved,
            mover.name,
            "lb",
            state: "stale",
            target: mover.poolMember,
            expected: "\(newAddress):80",
            observed: "\(mover.address):80"
        )
        #expect(moved.dependency(mover.name, "dns")?["state"] as? String == "stale")
        #expect(moved.alert("dns-stale", subject: mover.name) != nil, "\(moved.alerts)")
        // BIND answers REFUSED for a reverse zone it does not have: that PTR cannot be judged.
        let pointer = moved.dependency(mover.name, "ptr")
        #expect(pointer?["state"] as? String == "unknown", "\(pointer ?? [:])")
        let pointerDetail = pointer?["detail"] as? String
        #expect(pointerDetail?.contains("REFUSED") == true, "\(pointer ?? [:])")
        #expect(moved.source("bind")?["state"] as? String == "ok")
        for workload in lab.workloads.dropFirst() {
            #expect(moved.dependency(workload.name, "dns")?["state"] as? String == "ok")
        }
        try await lab.shutDown()
    }

    // MARK: - Expectations

    /// DNS, PTR and pool member all answered and pointing at `address`.
    private func expectAnswered(
        _ snapshot: SnapshotJSON,
        _ workload: DependencyLab.Workload,
        at address: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expect(
            snapshot,
            workload.name,
            "dns",
            state: "ok",
            target: workload.record,
            expected: address,
            observed: address,
            sourceLocation: sourceLocation
        )
        expect(
            snapshot,
            workload.name,
            "ptr",
            state: "ok",
            target: address.reverseName,
            expected: workload.record + ".",
            observed: workload.record + ".",
            sourceLocation: sourceLocation
        )
        expect(
            snapshot,
            workload.name,
            "lb",
            state: "ok",
            target: workload.poolMember,
            expected: "\(address):80",
            observed: "\(address):80",
            sourceLocation: sourceLocation
        )
    }

    /// One dependency's fields; `expected` and `observed` are checked when given (`.some(nil)`
    /// means JSON null). Every dependency must have been checked by this very snapshot.
    private func expect(
        _ snapshot: SnapshotJSON,
        _ workload: String,
        _ kind: String,
        role: String = "other",
        state: String,
        target: String,
        expected: String?? = .none,
        observed: String?? = .none,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let dependency = snapshot.dependency(workload, kind, role: kind == "tcp" ? role : nil) else {
            Issue.record("\(workload) has no \(kind) dependency: \(snapshot.workload(workload) ?? [:])")
            return
        }
        let text = "\(workload) \(kind): \(dependency)"
        #expect(dependency["state"] as? String == state, "\(text)", sourceLocation: sourceLocation)
        #expect(dependency["target"] as? String == target, "\(text)", sourceLocation: sourceLocation)
        #expect(dependency["role"] as? String == role, "\(text)", sourceLocation: sourceLocation)
        #expect(dependency["detail"] is String, "\(text)", sourceLocation: sourceLocation)
        #expect(
            snapshot.checkedNow(dependency),
            "not checked by this snapshot: \(text)",
            sourceLocation: sourceLocation
        )
        for (key, wanted) in [("expected", expected), ("observed", observed)] {
            guard let wanted else { continue }
            if let wanted {
                #expect(dependency[key] as? String == wanted, "\(key): \(text)", sourceLocation: sourceLocation)
            } else {
                #expect(dependency[key] is NSNull, "\(key) should be null: \(text)", sourceLocation: sourceLocation)
            }
        }
    }
}
