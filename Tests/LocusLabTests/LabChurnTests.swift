import Foundation
import LISP
import LISPNet
import LocusCore
import LocusEngine
import Logging
import Testing

@testable import LocusLab

@Suite struct LabChurnTests {
    @Test func aMoveRegistersAtTheDestinationWithdrawsAtTheSourceAndRewritesTheInventory() async throws {
        try await withLab(workloads: 30) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let source = try #require(lab.xtrs.first { $0.site.name == workload.site })
            let target = try #require(lab.xtrs.first { $0.site.name == destination.name })

            let move = try await lab.churn.move(workload.name, to: destination.name)
            #expect(move.from == workload.site && move.to == destination.name && move.mapVersion == 2)
            #expect(!(await source.eids.contains(workload.eidPrefix)))
            #expect(await target.eids.contains(workload.eidPrefix))

            try await withResolver(for: lab) { resolver in
                let answer = try await resolver.resolve(workload.eidPrefix)
                #expect(locators(answer) == destination.rlocs.map(\.description))
                #expect(answer.records.first?.mapVersion == 2)
            }
            let registrations = await lab.mapServer.registrations().registrations
            let entries = registrations.filter { $0.eidPrefix.hasSuffix(workload.eidPrefix.cidr) }
            #expect(entries.map(\.site) == [destination.name])

            let inventory = try ConfigLoader.loadInventory(
                at: lab.directory.url(Lab.inventoryFileName),
                references: InventoryReferences(
                    sites: lab.world.sites.map(\.name),
                    dnsServers: [LabDependencyPlan.dnsServerName],
                    loadBalancers: [LabDependencyPlan.loadBalancerName],
                    firewalls: lab.world.sites.map { LabFirewall.name(ofSite: $0.name) }
                )
            )
            let moved = try #require(inventory.workloads.first { $0.name == workload.name })
            #expect(moved.site == destination.name)
            #expect(destination.hosts.contains(moved.host ?? ""))
            #expect(moved.eid.description == workload.eidPrefix.cidr)
        }
    }

    @Test func aMoveTheInventoryDoesNotKnowLeavesTheFileAlone() async throws {
        try await withLab(workloads: 20) { lab in
            let workload = try #require(lab.world.workloads.last)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let file = lab.directory.url(Lab.inventoryFileName)
            let before = try String(contentsOfFile: file, encoding: .utf8)
            try await lab.churn.move(workload.name, to: destination.name, updatingInventory: false)
            try await withResolver(for: lab) { resolver in
                let answer = try await resolver.resolve(workload.eidPrefix)
                #expect(locators(answer) == destination.rlocs.map(\.description))
            }
            #expect(try String(contentsOfFile: file, encoding: .utf8) == before)
            let placement = try #require(await lab.churn.placements[workload.name])
            #expect(placement.mapped == destination.name && placement.inventory == workload.site)
        }
    }

    @Test func aStalledXTRsRegistrationsExpireAndComeBack() async throws {
        try await withLab(
            workloads: 12,
            sites: 2,
            registrationInterval: .milliseconds(200),
            registrationTimeout: .seconds(1)
        ) { lab in
            let xtr = try #require(lab.xtrs.first)
            let workload = try #require(lab.world.workloads.first { $0.site == xtr.site.name })
            await xtr.stall(for: .seconds(3))
            try await withResolver(for: lab) { resolver in
                let expired = try await eventually {
                    try await resolver.resolve(workload.eidPrefix).negative != nil
                }
                #expect(expired)
                let back = try await eventually {
                    locators(try await resolver.resolve(workload.eidPrefix)) == xtr.site.rlocs.map(\.description)
                }
                #expect(back)
            }
        }
    }

    @Test func churnMovesWorkloadsByItself() async throws {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("locus-churn-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let log = try LogFile(path: logPath)
        let lab = try await Lab.start(
            LabConfiguration(
                workloads: 30,
                sites: 3,
                seed: 11,
                churnInterval: .milliseconds(100),
                flapInterval: .milliseconds(20),
                probePort: 0
            ),
            logger: Logger(label: "locus.lab") { FileLogHandler(label: $0, file: log) }
        )
        let moved = try await eventually {
            await lab.churn.history.contains { if case .move = $0 { true } else { false } }
        }
        let placements = await lab.churn.placements
        await lab.stop()
        #expect(moved)
        #expect(lab.world.workloads.contains { placements[$0.name]?.mapped != $0.site })
        // Stopping cuts an action short; that is not a failure to report.
        let written = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(!written.contains("churn action failed error=CancellationError"))
    }

    @Test func aFlapEndsAtTheSiteItStartedFromAndEveryKindOfActionRuns() async throws {
        try await withLab(workloads: 20, sites: 3, seed: 21) { lab in
            var kinds: Set<String> = []
            var flapped: String?
            for _ in 0..<400 where kinds.count < 3 || flapped == nil {
                switch try await lab.churn.performNext() {
                case .move(let move):
                    kinds.insert(move.updatesInventory ? "move" : "unknown-move")
                case .flap(let moves):
                    kinds.insert("flap")
                    flapped = moves.first?.workload
                    #expect(moves.first?.from == moves.last?.to)
                case .stall:
                    kinds.insert("stall")
                case .outage:
                    kinds.insert("outage")
                case nil:
                    break
                }
            }
            #expect(kinds.isSuperset(of: ["move", "flap"]))
            let name = try #require(flapped)
            let workload = try #require(lab.world.workload(named: name))
            let placement = try #require(await lab.churn.placements[name])
            let site = try #require(lab.world.site(named: placement.mapped))
            try await withResolver(for: lab) { resolver in
                let answer = try await resolver.resolve(workload.eidPrefix)
                #expect(locators(answer) == site.rlocs.map(\.description))
            }
        }
    }
}
