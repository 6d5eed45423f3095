import Foundation
import LocusTestSupport
import Testing

/// A re-addressing cutover against a real BIND 9 and a real HAProxy started by the test, with the
/// lab's mover moving the workload between its xTRs: ops1 requests, ops2 approves, and the runner
/// changes the A record, the PTR and the pool member — read back with `dig` and `show servers state`
/// — then a rollback puts them back.
@Suite(.serialized, .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"))
struct MigrationCutoverBINDEndToEndTests {
    static let newAddress = "172.16.1.5"

    /// The lab's own mover and the test's approvers in the configuration DependencyLab wrote.
    static func prepare(_ lab: DependencyLab) throws {
        let labConfig = try String(contentsOfFile: lab.scratch.file("lab") + "/locus.toml", encoding: .utf8)
        guard let mover = labConfig.split(separator: "\n").first(where: { $0.hasPrefix("mover = ") }) else {
            throw TestServerError("the lab's locus.toml has no mover")
        }
        let text = try String(contentsOfFile: lab.configFile, encoding: .utf8)
        var kept: [String] = []
        var dropping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") { dropping = line.hasPrefix("[approvals]") }
            if !dropping { kept.append(String(line)) }
        }
        kept.append(
            """

            [migration]
            \(mover)
            runner_lease = "3s"
            verify_deadline = "30s"

            [approvals]
            approvers = ["ops2"]
            """
        )
        try kept.joined(separator: "\n").write(toFile: lab.configFile, atomically: true, encoding: .utf8)
        try OperatorAccounts.shareDirectory(lab.scratch.path)
    }

    static func locus(as user: String, _ lab: DependencyLab, _ arguments: [String]) async throws -> ChildProcess.Output
    {
        try await ChildProcess.runDetached(
            "/usr/sbin/runuser",
            ["-u", user, "--", LocusBinary.path] + arguments + ["--config", lab.configFile]
        )
    }

    static func show(_ lab: DependencyLab, _ id: String) async throws -> [String: Any] {
        let result = try await locus(as: "ops3", lab, ["migrate", "show", id, "--json"])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    static func member(_ lab: DependencyLab, _ name: String) async throws -> String? {
        let state = try await lab.haproxy.command("show servers state \(DependencyLab.backend)")
        for line in state.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            if fields.count > 4, fields[3] == name { return String(fields[4]) }
        }
        return nil
    }

    @Test func aReaddressingCutoverChangesTheRecordThePTRAndThePoolMemberAndARollbackRestoresThem() async throws {
        try OperatorAccounts.ensure()
        let lab = try await DependencyLab(reverseZonesFor: [Self.newAddress], storageListening: true)
        try Self.prepare(lab)
        let workload = lab.workloads[0]
        let site = try await MigrationPreflightEndToEndTests.destination(for: workload.name, in: lab)

        let requested = try await Self.locus(
            as: "ops1",
            lab,
            [
                "migrate", "request", workload.name, "--to", site, "--address", Self.newAddress, "--reason", "bind",
                "--json",
            ]
        )
        let document = try JSONSerialization.jsonObject(with: Data(requested.stdout.utf8)) as? [String: Any]
        let id = try #require(document?["id"] as? String, "\(requested.stderr)")
        #expect(document?["state"] as? String == "ready", "\(document ?? [:])")

        let run = try await Self.locus(as: "ops2", lab, ["migrate", "approve", id, "--wait"])
        #expect(run.status == 0, "\(run.stderr)\(run.stdout)")
        let completed = try await Self.show(lab, id)
        #expect(completed["state"] as? String == "completed", "\(completed)")
        #expect(completed["time_to_green_s"] is Double)
        #expect(try await lab.bind.dig(workload.record, "A") == [Self.newAddress])
        #expect(try await lab.bind.dig(Self.newAddress.reverseName, "PTR") == [workload.record + "."])
        #expect(try await lab.bind.dig(workload.address.reverseName, "PTR").isEmpty)
        #expect(try await Self.member(lab, workload.name) == Self.newAddress)

        let back = try await Self.locus(as: "ops2", lab, ["migrate", "rollback", id])
        #expect(back.status == 0, "\(back.stderr)\(back.stdout)")
        let rolledBack = try await Self.show(lab, id)
        #expect(rolledBack["state"] as? String == "rolled-back", "\(rolledBack)")
        #expect(try await lab.bind.dig(workload.record, "A") == [workload.address])
        #expect(try await lab.bind.dig(workload.address.reverseName, "PTR") == [workload.record + "."])
        #expect(try await lab.bind.dig(Self.newAddress.reverseName, "PTR").isEmpty)
        #expect(try await Self.member(lab, workload.name) == workload.address)

        // A move that keeps its address changes the mapping only: BIND and HAProxy stay as they are.
        let other = lab.workloads[1]
        let otherSite = try await MigrationPreflightEndToEndTests.destination(for: other.name, in: lab)
        let same = try await Self.locus(
            as: "ops1",
            lab,
            ["migrate", "request", other.name, "--to", otherSite, "--reason", "bind", "--json"]
        )
        let sameDocument = try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any]
        let sameID = try #require(sameDocument?["id"] as? String, "\(same.stderr)")
        let sameRun = try await Self.locus(as: "ops2", lab, ["migrate", "approve", sameID, "--wait"])
        #expect(sameRun.status == 0, "\(sameRun.stderr)\(sameRun.stdout)")
        let sameShown = try await Self.show(lab, sameID)
        #expect(sameShown["state"] as? String == "completed", "\(sameShown)")
        let steps = (sameShown["steps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(steps == ["mover", "mapping", "verify"], "\(steps)")
        #expect(try await lab.bind.dig(other.record, "A") == [other.address])
        #expect(try await Self.member(lab, other.name) == other.address)
        try await lab.shutDown()
    }
}
