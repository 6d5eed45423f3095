import Foundation
import LISP
import LISPNet
import LocusCore
import Testing

@testable import LocusLab

@Suite struct LabMappingTests {
    @Test func theMapServerAnswersWithTheRLOCsOfTheWorkloadsSite() async throws {
        try await withLab(workloads: 30) { lab in
            try await withResolver(for: lab) { resolver in
                for workload in lab.world.workloads {
                    let site = try #require(lab.world.site(named: workload.site))
                    let answer = try await resolver.resolve(workload.eidPrefix)
                    #expect(answer.negative == nil, "\(workload.name)")
                    #expect(locators(answer) == site.rlocs.map(\.description), "\(workload.name)")
                    #expect(answer.records.first?.prefix == workload.eidPrefix)
                }
                // An address no workload has is inside a lab prefix, so the answer is negative.
                let unused = EIDPrefix(host: try #require(IPAddress("10.1.255.254")))
                #expect(try await resolver.resolve(unused).negative != nil)
            }
        }
    }

    @Test func registrationsCarryEachSitesXTRID() async throws {
        try await withLab(workloads: 24) { lab in
            let document = await lab.mapServer.registrations()
            #expect(document.registrations.count == 24)
            for registration in document.registrations {
                let site = try #require(lab.world.site(named: registration.site))
                #expect(registration.xtrId.map { "0x" + $0 } == site.xtrIdentity.xtrID.description)
                #expect(registration.registerer.hasPrefix(site.rlocs[0].description + ":"))
            }
        }
    }

    @Test func eachRLOCAnswersProbesForItsSitesEIDs() async throws {
        try await withLab(workloads: 12, sites: 2) { lab in
            let xtr = try #require(lab.xtrs.first)
            let workload = try #require(lab.world.workloads.first { $0.site == xtr.site.name })
            for address in try await xtr.probeAddresses() {
                // The xTR answers encapsulated Map-Requests itself, authoritatively.
                let client = ResolverClient(configuration: ResolverConfiguration(resolver: address))
                let task = Task { try await client.run() }
                let answer = try await client.resolve(workload.eidPrefix)
                await client.shutdown()
                task.cancel()
                #expect(answer.isAuthoritative)
                #expect(locators(answer) == xtr.site.rlocs.map(\.description))
                #expect(answer.respondent.ipAddress == address.ipAddress)
            }
        }
    }

    @Test func stopClosesTheSockets() async throws {
        let lab = try await Lab.start(LabConfiguration(workloads: 5, sites: 2, seed: 1, probePort: 0))
        let listen = lab.mapServerAddresses.listen
        await lab.stop()
        // The port is free again: a new map-server can bind it.
        let again = MapServer(configuration: MapServerConfiguration(listen: listen, sites: []))
        let task = Task { try await again.run() }
        let bound = try await again.boundAddresses()
        #expect(bound.listen.port == listen.port)
        await again.shutdown()
        _ = await task.result
    }
}
