import Foundation
import LocusCore
import Testing

@testable import LocusEngine

/// The dashboard's request and preflight wait for a snapshot in which the workload's declared
/// dependencies were checked, as the one complete pass of `locus migrate` and the runner has them.
@Suite("Migration console: the snapshot a preflight works from")
struct MigrationConsoleSnapshotTests {
    static let address = IPAddress("10.1.0.7")!

    static func snapshot(dependencies: [DependencySpec], statuses: [DependencyStatus]?) -> Snapshot {
        var world = World(name: "test", sites: [SiteConfig(name: "dc-east", rlocs: [IPAddress("127.0.1.1")!])])
        let spec = InventoryWorkload(
            name: "web-07",
            eid: IPPrefix(host: address),
            site: "dc-east",
            address: address,
            dependencies: dependencies
        )
        _ = world.apply(.inventoryLoaded(source: "main", workloads: [spec]))
        if let statuses { _ = world.apply(.dependencies(workload: "web-07", statuses)) }
        return world.snapshot(version: 1, takenAt: Date())
    }

    static let tcp = DependencySpec.tcp(TCPDependencySpec(target: Endpoint(host: "127.0.2.10", port: 636)))

    static func status(checkedAt: Date?) -> DependencyStatus {
        DependencyStatus(
            kind: .tcp,
            target: "127.0.2.10:636",
            role: "other",
            state: checkedAt == nil ? .unknown : .ok,
            detail: checkedAt == nil ? "not checked yet" : "connected",
            checkedAt: checkedAt
        )
    }

    @Test func aDeclaredDependencyWithoutAStateIsNotCheckedYet() {
        let snapshot = Self.snapshot(dependencies: [Self.tcp], statuses: nil)
        #expect(!MigrationConsole.hasCheckedDependencies(of: "web-07", in: snapshot))
    }

    @Test func onlyAStateACheckGaveCounts() {
        let listed = Self.snapshot(dependencies: [Self.tcp], statuses: [Self.status(checkedAt: nil)])
        #expect(!MigrationConsole.hasCheckedDependencies(of: "web-07", in: listed))
        let checked = Self.snapshot(dependencies: [Self.tcp], statuses: [Self.status(checkedAt: Date())])
        #expect(MigrationConsole.hasCheckedDependencies(of: "web-07", in: checked))
    }

    @Test func aWorkloadWithoutDependenciesOrUnknownNeedsNoWait() {
        let snapshot = Self.snapshot(dependencies: [], statuses: nil)
        #expect(MigrationConsole.hasCheckedDependencies(of: "web-07", in: snapshot))
        #expect(MigrationConsole.hasCheckedDependencies(of: "db-01", in: snapshot))
    }
}
