import Foundation
import LocusCore
import Testing

@testable import LocusTUI

private typealias F = LiveViewFixtures

/// The Workloads detail pane's Dependencies and Sources sections, rendered into the text backend.
struct WorkloadDetailPaneTests {
    private func render(_ world: World, selecting name: String) throws -> String {
        var state = LiveViewState()
        state.positions[.workloads] = ListPosition(selectedKey: name)
        return try F.render(.workloads, data: F.data(world), state: state, width: 280, height: 40).joinedText
    }

    @Test func dependenciesShowOneLineEachWithTheirStateWord() throws {
        var world = World(name: "lab", sites: F.sites)
        let checked = F.start.addingTimeInterval(5 * 60)
        let dependencies = [
            DependencyStatus(
                kind: .dns,
                target: "web-01.lab.",
                role: "other",
                state: .ok,
                expected: "A 10.1.0.1",
                observed: "10.1.0.1",
                checkedAt: checked,
                ttl: .seconds(300),
                rtt: .milliseconds(3)
            ),
            DependencyStatus(
                kind: .lb,
                target: "web/web-01",
                role: "other",
                state: .stale,
                expected: "10.1.0.1:80",
                observed: "10.9.0.1:80",
                checkedAt: checked,
                observedIsPreviousAddress: true,
                rtt: .milliseconds(12)
            ),
            DependencyStatus(
                kind: .tcp,
                target: "127.0.0.1:88",
                role: "auth",
                state: .unreachable,
                detail: "refused",
                checkedAt: checked
            ),
        ]
        _ = Correlator().ingest(
            [
                .inventoryLoaded(source: "inv", workloads: [F.workload("web-01", "10.1.0.1", site: "dc-east")]),
                .dependencies(workload: "web-01", dependencies),
            ],
            into: &world,
            now: checked
        )
        let text = try render(world, selecting: "web-01")
        let lines = text.split(separator: "\n").map(String.init)
        let dns = try #require(lines.first { $0.contains("dns web-01.lab.") })
        #expect(dns.contains("✓ ok"))
        let lb = try #require(lines.first { $0.contains("lb web/web-01") })
        #expect(lb.contains("✗ stale"))
        let tcp = try #require(lines.first { $0.contains("tcp 127.0.0.1:88") })
        #expect(tcp.contains("✗ unreachable"))
        #expect(tcp.contains("auth"))
        // The last check opens on request (Enter on the dependency), so the pane stays compact.
        let dependencyRows = try #require(lines.firstIndex { $0.contains("dns web-01.lab.") })
        #expect(lines[dependencyRows + 1].contains("lb web/web-01"))
        #expect(lines[dependencyRows + 2].contains("tcp 127.0.0.1:88"))
        #expect(!text.contains("got 10.9.0.1:80"))
        #expect(!text.contains("rtt 10ms"))
        #expect(!text.contains("Sources  "))
    }

    @Test func mergedWorkloadShowsEverySourceOfAConflictingAddress() throws {
        var world = World(name: "lab", sites: F.sites)
        world.inventoryOrder = ["inv", "ovf"]
        let read = F.start.addingTimeInterval(-3 * 60)
        var fromOVF = F.workload("web-01", "10.1.0.1", site: "dc-east")
        fromOVF.address = IPAddress("10.9.0.1")!
        fromOVF.attributes = ["os": "debian"]
        _ = Correlator().ingest(
            [
                .source(SourceHealth(name: "inv", kind: .inventory, state: .ok, checkedAt: read)),
                .source(SourceHealth(name: "ovf", kind: .inventory, state: .ok, checkedAt: read)),
                .inventoryLoaded(source: "inv", workloads: [F.workload("web-01", "10.1.0.1", site: "dc-east")]),
                .inventoryLoaded(source: "ovf", workloads: [fromOVF]),
            ],
            into: &world,
            now: F.start
        )
        let text = try render(world, selecting: "web-01")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(text.contains("Sources  inv, ovf"))
        let first = try #require(lines.first { $0.contains("address  10.1.0.1  inv · 3m") })
        #expect(first.contains("! address"))
        let second = try #require(lines.first { $0.contains("10.9.0.1  ovf · 3m") })
        #expect(second.contains("!"))
        #expect(text.contains("os       debian  ovf · 3m"))
    }

    @Test func singleSourceWorkloadHasNoSourcesSection() throws {
        let text = try render(F.fullWorld(), selecting: "web-01")
        #expect(text.contains("Dependencies"))
        #expect(!text.contains("Sources  "))
    }
}
