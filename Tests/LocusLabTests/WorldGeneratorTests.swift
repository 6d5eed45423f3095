import LISP
import Testing

@testable import LocusLab

@Suite struct WorldGeneratorTests {
    @Test func sameSeedGivesTheSameWorld() throws {
        let first = try WorldGenerator(workloads: 300, sites: 3, seed: 42).generate()
        let second = try WorldGenerator(workloads: 300, sites: 3, seed: 42).generate()
        #expect(first == second)
    }

    @Test func anotherSeedGivesAnotherWorld() throws {
        let first = try WorldGenerator(workloads: 300, sites: 3, seed: 1).generate()
        let second = try WorldGenerator(workloads: 300, sites: 3, seed: 2).generate()
        #expect(first.workloads != second.workloads)
        #expect(first.sites.map(\.xtrIdentity) != second.sites.map(\.xtrIdentity))
    }

    @Test func sitesHaveLoopbackRLOCsAndTheirOwnPrefix() throws {
        let world = try WorldGenerator(workloads: 10, sites: 4, seed: 1).generate()
        #expect(world.sites.map(\.name) == ["dc-east", "dc-west", "cloud-1", "dc-north"])
        for site in world.sites {
            #expect(site.rlocs.map(\.description) == ["127.0.\(site.index).1", "127.0.\(site.index).2"])
            #expect(site.homePrefix.cidr == "10.\(site.index).0.0/16")
            #expect(site.keyID == UInt8(site.index))
        }
        #expect(Set(world.sites.map(\.xtrIdentity.xtrID)).count == 4)
    }

    @Test func workloadsAreNamedByRoleAndLiveInTheirSitePrefix() throws {
        let world = try WorldGenerator(workloads: 600, sites: 3, seed: 9).generate()
        #expect(world.workloads.count == 600)
        #expect(Set(world.workloads.map(\.name)).count == 600)
        #expect(Set(world.workloads.map(\.eid)).count == 600)
        #expect(Set(world.workloads.map(\.mac)).count == 600)
        for workload in world.workloads {
            let site = try #require(world.site(named: workload.site))
            #expect(site.homePrefix.contains(workload.eidPrefix))
            #expect(site.hosts.contains(workload.host))
            let parts = workload.name.split(separator: "-")
            #expect(parts.count == 2 && parts[1].count >= 2 && Int(parts[1]) != nil, "\(workload.name)")
            #expect(!workload.owner.isEmpty && !workload.tags.isEmpty)
        }
        // Some role has more than 99 members, so three-digit names occur.
        #expect(world.workloads.contains { $0.name.split(separator: "-")[1].count == 3 })
    }

    @Test func sizesOutsideTheLimitsAreRejected() {
        #expect(throws: LabError.self) { try WorldGenerator(workloads: 10, sites: 0, seed: 1).generate() }
        #expect(throws: LabError.self) { try WorldGenerator(workloads: -1, sites: 3, seed: 1).generate() }
        #expect(throws: LabError.self) {
            try WorldGenerator(workloads: 10, sites: WorldGenerator.maximumSites + 1, seed: 1).generate()
        }
    }

    @Test func churnPlansAreDeterministicPerSeed() throws {
        let world = try WorldGenerator(workloads: 100, sites: 3, seed: 5).generate()
        var first = ChurnPlanner(world: world, seed: 5)
        var second = ChurnPlanner(world: world, seed: 5)
        let firstActions = (0..<200).compactMap { _ in first.next(stalled: []) }
        let secondActions = (0..<200).compactMap { _ in second.next(stalled: []) }
        #expect(firstActions == secondActions)
        #expect(firstActions.count == 200)
        // Every kind of breakage occurs within a few hundred actions.
        #expect(firstActions.contains { if case .stall = $0 { true } else { false } })
        #expect(firstActions.contains { if case .flap = $0 { true } else { false } })
        #expect(firstActions.contains { if case .move(let move) = $0 { !move.updatesInventory } else { false } })
    }

    @Test func aFlapEndsWhereItStartedAndAnUnknownMoveLeavesTheInventory() throws {
        let world = try WorldGenerator(workloads: 20, sites: 3, seed: 3).generate()
        var planner = ChurnPlanner(world: world, seed: 3)
        for _ in 0..<500 {
            let before = planner.placements
            guard let action = planner.next(stalled: []) else { continue }
            switch action {
            case .flap(let moves):
                #expect(moves.count == ChurnPlanner.flapMoves)
                let name = moves[0].workload
                #expect(planner.placements[name]?.mapped == before[name]?.mapped)
                #expect(moves.allSatisfy { $0.updatesInventory && $0.workload == name && $0.from != $0.to })
            case .move(let move):
                #expect(planner.placements[move.workload]?.mapped == move.to)
                let inventory = planner.placements[move.workload]?.inventory
                #expect(inventory == (move.updatesInventory ? move.to : before[move.workload]?.inventory))
            case .stall, .outage:
                #expect(planner.placements == before)
            }
        }
    }

    @Test func stalledSitesNeitherSendNorReceiveWorkloads() throws {
        let world = try WorldGenerator(workloads: 50, sites: 3, seed: 4).generate()
        var planner = ChurnPlanner(world: world, seed: 4)
        for _ in 0..<300 {
            switch planner.next(stalled: ["dc-west"]) {
            case .move(let move): #expect(move.from != "dc-west" && move.to != "dc-west")
            case .flap(let moves): #expect(moves.allSatisfy { $0.from != "dc-west" && $0.to != "dc-west" })
            case .stall(let site): Issue.record("a second stall while \(site) is stalled")
            case .outage(let site, _): #expect(site != "dc-west")
            case nil: break
            }
        }
    }
}
