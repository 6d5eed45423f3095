import Foundation
import LISP
import LocusCore
import Testing

@testable import LocusLab

private typealias LabAddress = LISP.IPAddress
private typealias CoreAddress = LocusCore.IPAddress

/// The lab's simulated firewalls: what they print reads as nft's JSON, batches apply whole or not at all,
/// re-IP moves update their sets (or leave an old address behind), and the control port lists and applies.
@Suite struct LabFirewallTests {
    private static func address(_ text: String) throws -> LabAddress {
        try #require(LabAddress(text))
    }

    private static func parsedSet(_ firewall: LabFirewall) async throws -> NFTSet {
        let ruleset = try NFTRuleset(json: Data(await firewall.rulesetJSON().utf8))
        return try #require(ruleset.set(LabFirewall.set))
    }

    @Test func theRulesetReadsAsNFTJSON() async throws {
        let firewall = LabFirewall(
            site: "dc-east",
            elements: [try Self.address("10.1.0.8"), try Self.address("10.1.0.7")]
        )
        let set = try await Self.parsedSet(firewall)
        #expect(set.reference.description == "inet lab backends")
        #expect(set.type == "ipv4_addr")
        #expect(set.elements.map(\.description) == ["10.1.0.7", "10.1.0.8"])
        let json = await firewall.rulesetJSON()
        #expect(json.contains("\"json_schema_version\":1"))
        #expect(json.contains("\"table\":{\"family\":\"inet\",\"handle\":1,\"name\":\"lab\"}"))
        #expect(firewall.name == "fw-dc-east")
    }

    @Test func anEmptySetHasNoElements() async throws {
        let firewall = LabFirewall(site: "cloud-1", elements: [])
        #expect(try await Self.parsedSet(firewall).elements.isEmpty)
        #expect(!(await firewall.nftScript().contains("elements")))
    }

    @Test func theScriptDeclaresTheSameTableAndSet() async throws {
        let firewall = LabFirewall(
            site: "dc-east",
            elements: [try Self.address("10.1.0.7"), try Self.address("10.1.0.8")]
        )
        #expect(
            await firewall.nftScript() == """
                table inet lab {
                \tset backends {
                \t\ttype ipv4_addr
                \t\telements = { 10.1.0.7, 10.1.0.8 }
                \t}
                }

                """
        )
    }

    @Test func aBatchAddsAndDeletes() async throws {
        let firewall = LabFirewall(site: "dc-east", elements: [try Self.address("10.1.0.7")])
        try await firewall.apply(
            batch:
                "add element inet lab backends { 172.16.1.1, 10.1.0.7 }\n\ndelete element inet lab backends { 10.1.0.7 }\n"
        )
        #expect(await firewall.elements() == [try Self.address("172.16.1.1")])
    }

    @Test func aBatchWithOneBadDeleteChangesNothing() async throws {
        let firewall = LabFirewall(site: "dc-east", elements: [try Self.address("10.1.0.7")])
        let batch = "add element inet lab backends { 172.16.1.1 }\ndelete element inet lab backends { 10.9.9.9 }\n"
        do {
            try await firewall.apply(batch: batch)
            Issue.record("a delete of a missing element was taken")
        } catch {
            guard case .refused(let name, let line, let text, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == "fw-dc-east")
            #expect(line == 2)
            #expect(text == "delete element inet lab backends { 10.9.9.9 }")
            #expect(reason.contains("No such file or directory"))
        }
        #expect(await firewall.elements() == [try Self.address("10.1.0.7")])
    }

    @Test(arguments: [
        "flush set inet lab backends",
        "add element inet filter backends { 10.1.0.7 }",
        "add element inet lab backends { 10.1.0.300 }",
        "add element inet lab backends { fd00::7 }",
        "add element inet lab backends { }",
        "add element inet lab backends 10.1.0.7",
    ])
    func aLineTheFirewallCannotTakeRefusesTheBatch(line: String) async throws {
        let firewall = LabFirewall(site: "dc-east", elements: [try Self.address("10.1.0.7")])
        await #expect(throws: LabFirewallError.self) {
            try await firewall.apply(batch: "delete element inet lab backends { 10.1.0.7 }\n" + line + "\n")
        }
        #expect(await firewall.elements() == [try Self.address("10.1.0.7")])
    }

    @Test func everySiteHasAFirewallHoldingItsDependents() async throws {
        try await withLab(workloads: 12) { lab in
            #expect(Set(lab.firewalls.keys) == Set(lab.world.sites.map(\.name)))
            for workload in lab.world.workloads {
                let firewall = try #require(lab.firewalls[workload.site])
                #expect(await firewall.contains(workload.address))
            }
            let config = try String(contentsOfFile: lab.configFile, encoding: .utf8)
            #expect(config.contains("name = \"fw-\(lab.world.sites[0].name)\""))
            #expect(config.contains("\"lab\", \"nft\", \"apply\", \"--control\""))
        }
    }

    @Test func aReIPMoveUpdatesTheHomeSet() async throws {
        try await withLab(workloads: 12) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let move = try await lab.churn.move(workload.name, to: destination.name, readdressing: true)
            let address = try #require(move.address)
            let home = try #require(lab.firewalls[workload.site])
            #expect(await home.contains(address))
            #expect(!(await home.contains(workload.address)))
            let destinationFirewall = try #require(lab.firewalls[destination.name])
            #expect(!(await destinationFirewall.contains(address)))
        }
    }

    @Test func aMoveThatLeavesTheFirewallBehindKeepsTheOldAddress() async throws {
        try await withLab(workloads: 12) { lab in
            let workload = try #require(lab.world.workloads.first)
            let sites = lab.world.sites.map(\.name).filter { $0 != workload.site }
            let home = try #require(lab.firewalls[workload.site])
            // Two moves: odd and even map versions leave the firewall behind in the two ways.
            for site in [sites[0], workload.site] {
                let move = try await lab.churn.move(workload.name, to: site, readdressing: true, leaving: .firewall)
                let address = try #require(move.address)
                #expect(move.leavesBehind == .firewall)
                #expect(await home.contains(workload.address))
                #expect(await home.contains(address) == !move.mapVersion.isMultiple(of: 2))
            }
        }
    }

    @Test func theChurnSometimesLeavesTheFirewallBehind() {
        let world = try? WorldGenerator(workloads: 40, sites: 3, seed: 3).generate()
        guard let world else {
            Issue.record("no world")
            return
        }
        var planner = ChurnPlanner(
            world: world,
            seed: 3,
            dependencies: LabDependencyPlan(world: world, hasLoadBalancer: true)
        )
        var drifts: [LabDrift] = []
        for _ in 0..<2000 {
            guard let action = planner.next(stalled: []) else { continue }
            if case .move(let move) = action, let drift = move.leavesBehind { drifts.append(drift) }
        }
        #expect(drifts.contains(.firewall))
    }

    @Test func theControlPortListsAndApplies() async throws {
        try await withLab(workloads: 12) { lab in
            let workload = try #require(lab.world.workloads.first)
            let listed = try await ask(lab, .listFirewall(site: workload.site))
            #expect(listed.ok)
            let ruleset = try NFTRuleset(json: Data(try #require(listed.ruleset).utf8))
            let eid = try #require(CoreAddress(workload.address.description))
            #expect(try #require(ruleset.set(LabFirewall.set)).contains(eid))

            let refused = try await ask(
                lab,
                .applyFirewall(
                    site: workload.site,
                    batch:
                        "add element inet lab backends { 172.16.9.9 }\ndelete element inet lab backends { 10.9.9.9 }\n"
                )
            )
            #expect(!refused.ok)
            #expect(refused.error?.contains("line 2") == true)
            let home = try #require(lab.firewalls[workload.site])
            #expect(!(await home.contains(try Self.address("172.16.9.9"))))

            let applied = try await ask(
                lab,
                .applyFirewall(
                    site: workload.site,
                    batch: "add element inet lab backends { 172.16.9.9 }\n"
                        + "delete element inet lab backends { \(workload.address) }\n"
                )
            )
            #expect(applied.ok, "\(applied.error ?? "")")
            #expect(await home.contains(try Self.address("172.16.9.9")))
            #expect(!(await home.contains(workload.address)))

            let unknown = try await ask(lab, .listFirewall(site: "nowhere"))
            #expect(!unknown.ok)
            #expect(unknown.error?.contains("no firewall for a site named nowhere") == true)
        }
    }
}
