import DNS
import DNSNet
import Foundation
import LISP
import LISPNet
import LocusCore
import Testing

@testable import LocusLab

/// The lab's mover, asked through its control port as a cutover's `locus lab move` asks it.
@Suite struct LabMoverTests {
    @Test func aMoveWithdrawsAtTheSourceAndRegistersAtTheDestination() async throws {
        try await withLab(workloads: 20) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let source = try #require(lab.xtrs.first { $0.site.name == workload.site })

            let reply = try await ask(lab, .move(workload.name, to: destination.name, address: nil))
            #expect(reply.ok, "\(reply.error ?? "")")
            let report = try #require(reply.move)
            #expect(report.moved && report.fromSite == workload.site && report.site == destination.name)
            #expect(report.address == workload.eid.description && report.fromAddress == report.address)
            #expect(!(await source.eids.contains(workload.eidPrefix)))

            let registrations = await lab.mapServer.registrations().registrations
            let entries = registrations.filter { $0.eidPrefix.hasSuffix(workload.eidPrefix.cidr) }
            #expect(entries.map(\.site) == [destination.name])
            try await withResolver(for: lab) { resolver in
                let answer = try await resolver.resolve(workload.eidPrefix)
                #expect(locators(answer) == destination.rlocs.map(\.description))
            }
            let inventory = try loadInventory(lab)
            #expect(inventory.workloads.first { $0.name == workload.name }?.site == destination.name)
        }
    }

    @Test func aReaddressingMoveChangesTheInventoryAddressKeepsTheEIDAndLeavesDNSAndThePoolAlone() async throws {
        try await withLab(workloads: 30) { lab in
            // A pool member when HAProxy runs, so its member can be seen not to follow.
            let workload = try #require(
                lab.world.workloads.first { lab.dependencyPlan.pool(of: $0.name) != nil }
                    ?? lab.world.workloads.first
            )
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let pool = lab.dependencyPlan.pool(of: workload.name)
            let memberBefore = try await member(of: workload.name, in: lab)
            let newAddress = "172.16.9.77"

            let reply = try await ask(lab, .move(workload.name, to: destination.name, address: newAddress))
            #expect(reply.ok, "\(reply.error ?? "")")
            let report = try #require(reply.move)
            #expect(report.moved && report.address == newAddress && report.fromAddress == workload.eid.description)
            #expect(report.eid == workload.eidPrefix.cidr)

            let moved = try #require(try loadInventory(lab).workloads.first { $0.name == workload.name })
            #expect(moved.address.description == newAddress)
            #expect(moved.eid.description == workload.eidPrefix.cidr)
            #expect(moved.site == destination.name)
            try await withResolver(for: lab) { resolver in
                let answer = try await resolver.resolve(workload.eidPrefix)
                #expect(locators(answer) == destination.rlocs.map(\.description), "the EID moved, not the address")
            }

            // The record, the pointer and the pool member are the cutover's to change, not the mover's.
            let name = try DNSName(parsing: LabDependencyPlan.recordName(of: workload.name))
            let record = await lab.dns.responder.records(name: name, type: .a).compactMap(\.data.address?.description)
            #expect(record == [workload.eid.description])
            let newPointer = DNSName.reverse(of: try #require(DNSAddress(newAddress)))
            #expect(await lab.dns.responder.records(name: newPointer, type: .ptr).isEmpty)
            if pool != nil, lab.loadBalancer != nil {
                #expect(try await member(of: workload.name, in: lab) == memberBefore)
                #expect(memberBefore == workload.eid.description)
            }
        }
    }

    @Test func aMoveToWhereItIsWithItsAddressDoesNothingAndAnotherAddressThereIsRefused() async throws {
        try await withLab(workloads: 10) { lab in
            let workload = try #require(lab.world.workloads.first)
            let before = try String(contentsOfFile: lab.directory.url(Lab.inventoryFileName), encoding: .utf8)
            for address in [nil, workload.eid.description] {
                let reply = try await ask(lab, .move(workload.name, to: workload.site, address: address))
                let report = try #require(reply.move, "\(reply.error ?? "")")
                #expect(!report.moved && report.site == workload.site && report.mapVersion == 1)
                #expect(LabControlText.move(report).contains("nothing to do"))
            }
            #expect(try String(contentsOfFile: lab.directory.url(Lab.inventoryFileName), encoding: .utf8) == before)

            let elsewhere = try await ask(lab, .move(workload.name, to: workload.site, address: "172.16.1.200"))
            #expect(!elsewhere.ok)
            #expect(elsewhere.error?.contains("\(workload.name) is already at \(workload.site)") == true)
        }
    }

    @Test func unknownWorkloadsSitesAndBadAddressesAreRefusedByName() async throws {
        try await withLab(workloads: 10) { lab in
            let workload = try #require(lab.world.workloads.first)
            let other = try #require(lab.world.workloads.last)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let cases: [(LabControlRequest, String)] = [
                (.move("no-such-vm", to: destination.name, address: nil), "no workload named no-such-vm"),
                (.move(workload.name, to: "dc-mars", address: nil), "no site named dc-mars"),
                (.move(workload.name, to: destination.name, address: "10.1.0.300"), "bad address 10.1.0.300"),
                (
                    .move(workload.name, to: destination.name, address: other.eid.description),
                    "\(other.name) answers there"
                ),
            ]
            for (request, message) in cases {
                let reply = try await ask(lab, request)
                #expect(!reply.ok && reply.move == nil)
                #expect(reply.error?.contains(message) == true, "\(reply.error ?? "no error") for \(message)")
            }
            #expect(await lab.churn.placements[workload.name]?.mapped == workload.site)
        }
    }

    @Test func everyMoveAskedIsCountedPerWorkloadFailedAndIdleOnesIncluded() async throws {
        try await withLab(workloads: 10) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            _ = try await ask(lab, .move(workload.name, to: destination.name, address: nil))
            _ = try await ask(lab, .move(workload.name, to: destination.name, address: nil))
            _ = try await ask(lab, .move(workload.name, to: "dc-mars", address: nil))
            _ = try await ask(lab, .move("no-such-vm", to: destination.name, address: nil))

            let status = try #require(try await ask(lab, .status).status)
            #expect(status.invocations == [LabStatusReport.Invocations(workload: workload.name, count: 3)])
            #expect(status.unknownWorkloadInvocations == 1)
            #expect(status.workloads == 10)
            #expect(status.sites.map(\.name) == lab.world.sites.map(\.name))
            #expect(status.sites.map(\.workloads).reduce(0, +) == 10)
            #expect(status.sites.first { $0.name == destination.name }?.workloads ?? 0 >= 1)
            #expect(await lab.mover.invocations(of: workload.name) == 3)
            #expect(LabControlText.status(status).contains("\(workload.name)"))
        }
    }

    @Test func withAMoveDelayTheMoveWaitsBeforeItActs() async throws {
        try await withLab(workloads: 10, moveDelay: .seconds(3)) { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let source = try #require(lab.xtrs.first { $0.site.name == workload.site })
            let asked = Task { try await ask(lab, .move(workload.name, to: destination.name, address: nil)) }

            // Counted as soon as it arrives, and while it waits the source still registers the EID.
            #expect(try await eventually { await lab.mover.invocations(of: workload.name) == 1 })
            #expect(await source.eids.contains(workload.eidPrefix))
            #expect(try await ask(lab, .status).status?.moveDelayMs == 3000)

            let reply = try await asked.value
            #expect(reply.move?.moved == true, "\(reply.error ?? "")")
            #expect(!(await source.eids.contains(workload.eidPrefix)))
        }
    }

    @Test func failStepMoverFailsTheFirstMoveOnceWithAClearMessage() async throws {
        try await withLab(workloads: 10, failStep: "mover") { lab in
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            let first = try await ask(lab, .move(workload.name, to: destination.name, address: nil))
            #expect(!first.ok)
            #expect(first.error?.contains("failed on purpose") == true, "\(first.error ?? "")")
            #expect(await lab.churn.placements[workload.name]?.mapped == workload.site, "a failed move does nothing")

            let second = try await ask(lab, .move(workload.name, to: destination.name, address: nil))
            #expect(second.move?.moved == true, "\(second.error ?? "")")
            let status = try #require(try await ask(lab, .status).status)
            #expect(status.failStep == "mover" && status.failStepTaken)
            #expect(status.invocations.first?.count == 2)
        }
    }

    @Test func failStepDNSLeavesTheMoverAlone() async throws {
        try await withLab(workloads: 5, failStep: "dns") { lab in
            let asked = try #require(try await ask(lab, .failStep(nil)).failStep)
            #expect(asked.step == "dns")
            let workload = try #require(lab.world.workloads.first)
            let destination = try #require(lab.world.sites.first { $0.name != workload.site })
            #expect(try await ask(lab, .move(workload.name, to: destination.name, address: nil)).ok)
        }
    }

    @Test func aStepThatIsNotACutoverStepIsRefusedAtStart() async throws {
        await #expect(throws: LabError.self) {
            try await withLab(workloads: 2, failStep: "coffee") { _ in }
        }
    }
}

private func loadInventory(_ lab: Lab) throws -> InventoryFile {
    try ConfigLoader.loadInventory(
        at: lab.directory.url(Lab.inventoryFileName),
        references: InventoryReferences(
            sites: lab.world.sites.map(\.name),
            dnsServers: [LabDependencyPlan.dnsServerName],
            loadBalancers: [LabDependencyPlan.loadBalancerName],
            firewalls: lab.world.sites.map { LabFirewall.name(ofSite: $0.name) }
        )
    )
}

/// The address HAProxy sends a workload's pool member to, when the lab runs one and it is a member.
private func member(of workload: String, in lab: Lab) async throws -> String? {
    guard let balancer = lab.loadBalancer, let pool = lab.dependencyPlan.pool(of: workload) else { return nil }
    return try await balancer.client.serversState(backend: pool.backend).servers[workload]?.address
}
