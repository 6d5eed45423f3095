import Foundation
import LocusTestSupport
import Testing

/// `locus migrate plan` (the dry run of a request's preflight) against the lab, a real BIND 9 and a
/// real HAProxy: all green, then each check failing on its own, naming what it compared.
@Suite(.serialized) struct MigrationPreflightEndToEndTests {
    static let newAddress = "172.16.1.5"

    /// The checks of a plan document, by name.
    static func checks(_ document: [String: Any]) -> [String: [String: Any]] {
        let preflight = document["preflight"] as? [String: Any] ?? [:]
        var byName: [String: [String: Any]] = [:]
        for check in preflight["checks"] as? [[String: Any]] ?? [] {
            byName[check["name"] as? String ?? ""] = check
        }
        return byName
    }

    static func failed(_ document: [String: Any]) -> [String] {
        checks(document).filter { ($0.value["ok"] as? Bool) == false }.keys.sorted()
    }

    static func digest(_ document: [String: Any]) -> String? {
        (document["preflight"] as? [String: Any])?["digest"] as? String
    }

    /// `locus migrate plan WORKLOAD --to SITE --address NEW --json` on the test's configuration.
    static func plan(
        _ lab: DependencyLab,
        _ workload: String,
        to site: String,
        address: String?
    ) async throws -> [String: Any] {
        var arguments = ["migrate", "plan", workload, "--to", site, "--json", "--config", lab.configFile]
        if let address { arguments += ["--address", address] }
        let result = try await LabSubprocess.run(arguments, scratch: lab.scratch)
        guard result.status == 0,
            let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw TestServerError("locus migrate plan exited \(result.status): \(result.stderr)\(result.stdout)")
        }
        return document
    }

    static func run(_ arguments: [String], scratch: ScratchDirectory) async throws -> [String: Any] {
        let result = try await LabSubprocess.run(arguments, scratch: scratch)
        guard let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw TestServerError("locus \(arguments) exited \(result.status): \(result.stderr)")
        }
        return document
    }

    static func destination(for workload: String, in lab: DependencyLab) async throws -> String {
        let snapshot = try await lab.snapshot()
        let site = snapshot.workload(workload)?["site"] as? String
        return ["dc-east", "dc-west", "cloud-1"].first { $0 != site } ?? "dc-east"
    }

    static func withMover(_ lab: DependencyLab) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: lab.configFile))
        handle.seekToEndOfFile()
        handle.write(Data("\n[migration]\nmover = [\"/bin/true\", \"{workload}\", \"{site}\", \"{address}\"]\n".utf8))
        try handle.close()
    }

    @Test func aReAddressingMoveIsAllGreenThenEachCheckFailsOnItsOwn() async throws {
        let lab = try await DependencyLab(reverseZonesFor: [Self.newAddress], storageListening: true)
        try Self.withMover(lab)
        let workload = lab.workloads[0]
        let site = try await Self.destination(for: workload.name, in: lab)

        let green = try await Self.plan(lab, workload.name, to: site, address: Self.newAddress)
        #expect(Self.failed(green).isEmpty, "\(Self.checks(green))")
        #expect(green["state"] as? String == "ready")
        let plan = (green["plan"] as? [[String: Any]] ?? []).map { "\($0["what"] ?? "") \($0["target"] ?? "")" }
        #expect(
            plan == [
                "mover \(workload.name)", "mapping \(workload.address)/32", "dns \(workload.record)",
                "ptr \(workload.record)", "loadbalancer edge \(DependencyLab.backend)/\(workload.name)",
            ],
            "\(plan)"
        )
        let mover = (green["plan"] as? [[String: Any]])?.first?["to"] as? String
        #expect(mover == "/bin/true \(workload.name) \(site) \(Self.newAddress)")
        let rights = Self.checks(green).keys.filter { $0.hasPrefix("dns-rights bind ") }.sorted()
        #expect(rights.count == 3, "the record's zone and both reverse zones: \(rights)")
        #expect(Self.checks(green)["loadbalancer-rights edge"]?["detail"] as? String != nil)
        let again = try await Self.plan(lab, workload.name, to: site, address: Self.newAddress)
        #expect(Self.digest(again) == Self.digest(green), "the same world gives the same digest")

        // A TTL above the threshold names the record and its TTL.
        let config = try String(contentsOfFile: lab.configFile, encoding: .utf8)
        try config.replacingOccurrences(of: "ttl_threshold = \"300s\"", with: "ttl_threshold = \"30s\"")
            .write(toFile: lab.configFile, atomically: true, encoding: .utf8)
        let highTTL = try await Self.plan(lab, workload.name, to: site, address: Self.newAddress)
        #expect(highTTL["state"] as? String == "blocked")
        let ttlCheck =
            Self.checks(highTTL)["dns-ttl dns \(workload.record)."]
            ?? Self.checks(highTTL)["dns-ttl dns \(workload.record)"]
        let ttlDetail = ttlCheck?["detail"] as? String ?? ""
        #expect(ttlDetail.contains("TTL 60s is above ttl_threshold 30s"), "\(Self.checks(highTTL))")
        #expect(Self.failed(highTTL).allSatisfy { $0.hasPrefix("dns-ttl ") }, "\(Self.failed(highTTL))")
        #expect(Self.digest(highTTL) != Self.digest(green))
        try config.write(toFile: lab.configFile, atomically: true, encoding: .utf8)

        // A wrong TSIG key: BIND answers NOTAUTH/BADSIG to the prerequisite-only UPDATE.
        let keyFile = (lab.configFile as NSString).deletingLastPathComponent + "/keys/ddns.key"
        let key = try String(contentsOfFile: keyFile, encoding: .utf8)
        try BINDKey(name: DependencyLab.keyName, secret: Array("another-secret-of-32-bytes-long!".utf8)).block
            .write(toFile: keyFile, atomically: true, encoding: .utf8)
        let wrongKey = try await Self.plan(lab, workload.name, to: site, address: Self.newAddress)
        let failedRights = Self.failed(wrongKey)
        #expect(
            !failedRights.isEmpty && failedRights.allSatisfy { $0.hasPrefix("dns-rights bind ") },
            "\(failedRights)"
        )
        let rightsDetail = failedRights.first.flatMap { Self.checks(wrongKey)[$0]?["detail"] as? String } ?? ""
        #expect(rightsDetail.contains("BADSIG"), "\(rightsDetail)")
        try key.write(toFile: keyFile, atomically: true, encoding: .utf8)

        // A same-address move changes no record: no TTL or rights checks, no DNS or pool changes.
        let mappingOnly = try await Self.plan(lab, workload.name, to: site, address: nil)
        #expect(Self.failed(mappingOnly).isEmpty, "\(Self.failed(mappingOnly))")
        #expect((mappingOnly["plan"] as? [[String: Any]])?.map { $0["what"] as? String } == ["mover", "mapping"])
        #expect(!Self.checks(mappingOnly).keys.contains { $0.hasPrefix("dns-ttl") || $0.hasPrefix("dns-rights") })

        // HAProxy stopped: its member is unreachable and its Runtime API cannot be checked.
        await lab.haproxy.stop()
        let noBalancer = try await Self.plan(lab, workload.name, to: site, address: Self.newAddress)
        #expect(
            Self.failed(noBalancer) == [
                "loadbalancer-rights edge", "reachable lb \(DependencyLab.backend)/\(workload.name)",
            ],
            "\(Self.failed(noBalancer))"
        )
        try await lab.shutDown()
    }

    @Test func inTheLabAllIsGreenUntilTheDestinationsRLOCsNoLongerAnswerProbes() async throws {
        let scratch = try ScratchDirectory()
        let labDirectory = scratch.file("lab")
        let lab = try LabSubprocess(
            arguments: ["lab", "--headless", "--workloads", "12", "--seed", "7", "--dir", labDirectory],
            scratch: scratch
        )
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        // The lab's locus.toml has its own [migration]: its mover is `locus lab move` against the lab.
        let original = try String(contentsOfFile: configFile, encoding: .utf8)
        #expect(original.contains("\n[migration]\n"))
        let inventory = try String(contentsOfFile: labDirectory + "/inventory.toml", encoding: .utf8)
        let web = try #require(
            LabFiles.workloads(in: inventory).first { $0.name.hasPrefix("web-") && $0.address.isIPv4 }
        )
        let snapshot = try await LabSubprocess.run(["snapshot", "--json", "--config", configFile], scratch: scratch)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(snapshot.stdout.utf8)) as? [String: Any]
        )
        let workloads = document["workloads"] as? [[String: Any]] ?? []
        let site = workloads.first { $0["name"] as? String == web.name }?["site"] as? String
        let destination = try #require(["dc-east", "dc-west", "cloud-1"].first { $0 != (site ?? "") })

        let arguments = [
            "migrate", "plan", web.name, "--to", destination, "--address", "10.1.0.250", "--json", "--config",
            configFile,
        ]
        let green = try await Self.run(arguments, scratch: scratch)
        #expect(Self.failed(green).isEmpty, "\(Self.checks(green))")
        #expect(Self.checks(green).keys.contains("loadbalancer-rights lab-lb"), "the lab's real HAProxy")
        #expect(Self.checks(green).keys.contains { $0.hasPrefix("dns-rights lab-dns ") }, "the lab's DNS responder")
        #expect(
            Self.digest(try await Self.run(arguments, scratch: scratch)) == Self.digest(green),
            "the same world gives the same digest"
        )

        // The destination's xTR no longer answers RLOC-probes where the config says it does.
        let silent = try LoopbackSocket(listening: false)
        let port = try #require(silent.endpoint.split(separator: ":").last.map(String.init))
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var inDestination = false
        for index in lines.indices {
            if lines[index].hasPrefix("name = ") { inDestination = lines[index] == "name = \"\(destination)\"" }
            if inDestination, lines[index].hasPrefix("probe_port = ") { lines[index] = "probe_port = \(port)" }
        }
        try lines.joined(separator: "\n").write(toFile: configFile, atomically: true, encoding: .utf8)
        let unanswered = try await Self.run(arguments, scratch: scratch)
        #expect(Self.failed(unanswered) == ["destination-rlocs"], "\(Self.failed(unanswered))")
        let detail = Self.checks(unanswered)["destination-rlocs"]?["detail"] as? String ?? ""
        #expect(detail.contains("no probe reply from 127.") && detail.contains("port \(port) "), "\(detail)")
        #expect(unanswered["state"] as? String == "blocked")
        lab.terminate()
        _ = try await lab.exitStatus(within: .seconds(30))
    }

    @Test func aPendingMigrationOfARecordWithALongTTLIsWarnedAbout() async throws {
        let scratch = try ScratchDirectory()
        let lab = try LabSubprocess(
            arguments: ["lab", "--headless", "--workloads", "20", "--seed", "1", "--dir", scratch.file("lab")],
            scratch: scratch
        )
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        func ttlAlerts() async throws -> [String] {
            let document = try await Self.run(["snapshot", "--json", "--config", configFile], scratch: scratch)
            return (document["alerts"] as? [[String: Any]] ?? [])
                .filter { $0["kind"] as? String == "dns-ttl-high" }
                .compactMap { $0["subject"] as? String }
        }
        #expect(try await ttlAlerts().isEmpty, "no migration is pending yet")
        // db-01's record keeps the lab's long TTL of a data workload.
        let request = try await LabSubprocess.run(
            ["migrate", "request", "db-01", "--to", "dc-west", "--reason", "test", "--config", configFile],
            scratch: scratch
        )
        #expect(request.status == 0, "\(request.stderr)")
        #expect(try await ttlAlerts() == ["db-01"])
        lab.terminate()
        _ = try await lab.exitStatus(within: .seconds(30))
    }
}
