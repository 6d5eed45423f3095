import DNS
import DNSNet
import Foundation
import LISP
import LocusCore
import LocusEngine
import LocusStore
import Testing

@testable import LocusLab

/// The lab's dependencies: its DNS responder, site services and re-IP moves, checked by asking them over
/// the wire and by running the engine over the lab's own files.
@Suite struct LabDependencyTests {
    @Test func theResponderServesEveryWorkloadsRecordAndPointer() async throws {
        try await withLab(workloads: 12) { lab in
            let client = DNSClient(server: DNSServerAddress(host: "127.0.0.1", port: try port(of: lab.dns.server)))
            for workload in lab.world.workloads.prefix(4) {
                let answer = try await client.query(
                    try DNSName(parsing: LabDependencyPlan.recordName(of: workload.name)),
                    type: .a
                )
                #expect(answer.message.answers.compactMap(\.data.address?.description) == [workload.eid.description])
                let pointer = try await client.query(
                    DNSName.reverse(of: try #require(DNSAddress(workload.eid.description))),
                    type: .ptr
                )
                #expect(
                    pointer.message.answers.compactMap(\.data.targetName?.description)
                        == [LabDependencyPlan.recordName(of: workload.name) + "."]
                )
            }
        }
    }

    @Test func theFilesDeclareTheDNSServerAndEachWorkloadsDependencies() async throws {
        try await withLab(workloads: 12) { lab in
            let directories = XDGDirectories(environment: ["HOME": lab.directory.path])
            let (config, warnings) = try EngineSetup.loadConfig(at: lab.configFile, directories: directories)
            #expect(warnings.isEmpty)
            #expect(config.dnsServers.map(\.name) == [LabDependencyPlan.dnsServerName])
            let inventory = try ConfigLoader.loadInventory(
                at: lab.directory.url(Lab.inventoryFileName),
                references: InventoryReferences(
                    sites: lab.world.sites.map(\.name),
                    dnsServers: [LabDependencyPlan.dnsServerName],
                    loadBalancers: [LabDependencyPlan.loadBalancerName],
                    firewalls: lab.world.sites.map { LabFirewall.name(ofSite: $0.name) }
                )
            )
            #expect(inventory.workloads.count == 12)
            #expect(inventory.workloads.allSatisfy { !$0.dependencies.isEmpty })
        }
    }

    @Test func aReIPMoveUpdatesTheRecordAndPointerOverSignedUpdates() async throws {
        try await withLab(workloads: 12) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let move = try await lab.churn.move(workload.name, to: destination.name, readdressing: true)
            let address = try #require(move.address)
            #expect(address.description.hasPrefix("172."))
            #expect(move.previousAddress == workload.eid)

            let name = try DNSName(parsing: LabDependencyPlan.recordName(of: workload.name))
            #expect(
                await lab.dns.responder.records(name: name, type: .a).compactMap(\.data.address?.description) == [
                    address.description
                ]
            )
            let newPointer = DNSName.reverse(of: try #require(DNSAddress(address.description)))
            let oldPointer = DNSName.reverse(of: try #require(DNSAddress(workload.eid.description)))
            #expect(await lab.dns.responder.records(name: newPointer, type: .ptr).count == 1)
            #expect(await lab.dns.responder.records(name: oldPointer, type: .ptr).isEmpty)
            let inventory = try String(contentsOfFile: lab.directory.url(Lab.inventoryFileName), encoding: .utf8)
            #expect(inventory.contains("address = \"\(address)\""))
        }
    }

    @Test func aRecordLeftBehindIsCaughtByTheEngineInOnePass() async throws {
        try await withLab(workloads: 12) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            // A pass before the move leaves the address in the store, for the pass after it.
            let before = try await runOnce(over: lab)
            #expect(before.workload(workload.name)?.dependencies.first { $0.kind == .dns }?.state == .ok)
            let move = try await lab.churn.move(
                workload.name,
                to: destination.name,
                readdressing: true,
                leaving: .dns
            )
            let address = try #require(move.address)
            let snapshot = try await runOnce(over: lab)
            let record = try #require(snapshot.workload(workload.name)?.dependencies.first { $0.kind == .dns })
            #expect(record.state == .stale)
            #expect(record.observed == workload.eid.description)
            #expect(record.expected == address.description)
            let alert = try #require(snapshot.alert(.dnsStale, about: workload.name))
            #expect(alert.message.contains(LabDependencyPlan.recordName(of: workload.name)))
            #expect(alert.message.contains("points to \(workload.eid) (its previous address)"))
            #expect(record.observedIsPreviousAddress)
            #expect(alert.message.contains("expected \(address)"))
            // The pointer did follow.
            #expect(snapshot.workload(workload.name)?.dependencies.first { $0.kind == .ptr }?.state == .ok)
        }
    }

    @Test func aPointerLeftBehindIsMissingForTheNewAddress() async throws {
        try await withLab(workloads: 12) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            try await lab.churn.move(workload.name, to: destination.name, readdressing: true, leaving: .ptr)
            let snapshot = try await runOnce(over: lab)
            let dependencies = try #require(snapshot.workload(workload.name)?.dependencies)
            #expect(dependencies.first { $0.kind == .dns }?.state == .ok)
            #expect(dependencies.first { $0.kind == .ptr }?.state == .missing)
            #expect(snapshot.alert(.ptrStale, about: workload.name) != nil)
        }
    }

    @Test func aPoolMemberLeftBehindIsStaleAndAFollowedOneIsOk() async throws {
        try await withLab(workloads: 40) { lab in
            let balancer = try #require(lab.loadBalancer, "haproxy is installed by the test script")
            let pooled = lab.world.workloads.filter { lab.dependencyPlan.pool(of: $0.name) != nil }
            #expect(pooled.count >= 2)
            let (left, followed) = (pooled[0], pooled[1])
            let config = try String(contentsOfFile: lab.configFile, encoding: .utf8)
            #expect(config.contains("runtime_api = \"\(balancer.runtimeAPI)\""))

            func elsewhere(_ workload: LabWorkload) -> String {
                lab.world.sites.first { $0.name != workload.site }?.name ?? workload.site
            }
            let leftMove = try await lab.churn.move(left.name, to: elsewhere(left), readdressing: true, leaving: .pool)
            let followedMove = try await lab.churn.move(followed.name, to: elsewhere(followed), readdressing: true)
            let backend = try #require(lab.dependencyPlan.pool(of: followed.name)).backend
            let state = try await balancer.client.serversState(backend: backend)
            #expect(state.servers[followed.name]?.address == followedMove.address?.description)

            let snapshot = try await runOnce(over: lab)
            let stale = try #require(snapshot.workload(left.name)?.dependencies.first { $0.kind == .lb })
            #expect(stale.state == .stale)
            let alert = try #require(snapshot.alert(.lbStale, about: left.name))
            #expect(alert.message.contains("\(stale.target) sends to \(left.eid)"))
            #expect(alert.message.contains("\(try #require(leftMove.address))"))
            #expect(snapshot.workload(followed.name)?.dependencies.first { $0.kind == .lb }?.state == .ok)
            #expect(snapshot.alert(.lbStale, about: followed.name) == nil)
        }
    }

    @Test func aSiteServiceOutageMakesItsDependentsUnreachable() async throws {
        try await withLab(workloads: 12) { lab in
            let workload = try #require(lab.world.workloads.first)
            await lab.services.interrupt(site: workload.site, role: .auth)
            let down = try await runOnce(over: lab)
            let auth = try #require(down.workload(workload.name)?.dependencies.first { $0.role == "auth" })
            #expect(auth.state == .unreachable)
            #expect(down.alert(.dependencyUnreachable, about: workload.name)?.severity == .critical)

            try await lab.services.resume(site: workload.site, role: .auth)
            let back = try await runOnce(over: lab)
            #expect(back.workload(workload.name)?.dependencies.first { $0.role == "auth" }?.state == .ok)
        }
    }

    @Test func theChurnReaddressesSomeMovesAndLeavesEachKindBehindSometimes() throws {
        let world = try WorldGenerator(workloads: 60, sites: 3, seed: 5).generate()
        var planner = ChurnPlanner(
            world: world,
            seed: 5,
            dependencies: LabDependencyPlan(world: world, hasLoadBalancer: true)
        )
        var moves: [LabMove] = []
        for _ in 0..<400 {
            switch planner.next(stalled: []) {
            case .move(let move): moves.append(move)
            case .flap(let flap): moves += flap
            case .stall, .outage, nil: break
            }
        }
        let readdressed = moves.filter { $0.address != nil }
        #expect(!readdressed.isEmpty)
        #expect(readdressed.count < moves.count)
        #expect(Set(readdressed.compactMap(\.leavesBehind)) == Set(LabDrift.allCases))
        #expect(readdressed.contains { $0.leavesBehind == nil })
        let addresses = readdressed.compactMap(\.address)
        #expect(Set(addresses).count == addresses.count)
        // 172.16.0.0/12: the sites' local networks.
        #expect(
            addresses.allSatisfy { address in
                guard case .v4(let v4) = address else { return false }
                return v4.rawValue >> 20 == (172 << 4 | 1)
            }
        )
        // A pool member is only left behind by a workload that is one.
        let plan = LabDependencyPlan(world: world, hasLoadBalancer: true)
        #expect(readdressed.filter { $0.leavesBehind == .pool }.allSatisfy { plan.pool(of: $0.workload) != nil })
    }

    @Test func withoutDependenciesTheChurnKeepsEveryAddressAndHasNoOutages() throws {
        let world = try WorldGenerator(workloads: 60, sites: 3, seed: 5).generate()
        var planner = ChurnPlanner(world: world, seed: 5)
        for _ in 0..<200 {
            switch planner.next(stalled: []) {
            case .move(let move): #expect(move.address == nil)
            case .outage: Issue.record("an outage in a lab without services")
            default: break
            }
        }
    }

    @Test func anOutageEndsByItself() async throws {
        try await withLab(workloads: 3) { lab in
            let site = try #require(lab.world.sites.first).name
            await lab.services.interrupt(site: site, role: .storage, for: .milliseconds(100))
            #expect(!(await lab.services.isUp(site: site, role: .storage)))
            let deadline = ContinuousClock.now + .seconds(10)
            while !(await lab.services.isUp(site: site, role: .storage)), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await lab.services.isUp(site: site, role: .storage))
        }
    }
}

private func port(of hostPort: String) throws -> Int {
    try #require(hostPort.split(separator: ":").last.flatMap { Int($0) })
}

/// One engine pass over the lab's own files and store.
private func runOnce(over lab: Lab) async throws -> Snapshot {
    let directories = XDGDirectories(environment: ["HOME": lab.directory.path])
    let (config, _) = try EngineSetup.loadConfig(at: lab.configFile, directories: directories)
    let store = try EngineSetup.openStore(config.store)
    return try await Engine(config: config, store: store).runOnce()
}

extension Snapshot {
    fileprivate func workload(_ name: String) -> Workload? { workloads[name] }

    fileprivate func alert(_ kind: AlertKind, about subject: String) -> Alert? {
        alerts[AlertID(kind: kind, subject: subject)]
    }
}
