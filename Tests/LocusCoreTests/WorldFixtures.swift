import Foundation

@testable import LocusCore

/// Hand-built worlds: two sites on loopback RLOCs and workloads in 10.1.0.0/16.
enum WorldFixtures {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static let sites = [
        SiteConfig(name: "dc-east", rlocs: [IPAddress("127.0.1.1")!, IPAddress("127.0.1.2")!]),
        SiteConfig(name: "dc-west", rlocs: [IPAddress("127.0.2.1")!]),
    ]

    static func at(_ seconds: TimeInterval) -> Date {
        start.addingTimeInterval(seconds)
    }

    static func spec(_ name: String, host: Int, site: String = "dc-east", line: Int = 1) -> InventoryWorkload {
        let address = IPAddress("10.\(1 + host / 65536).\(host / 256 % 256).\(host % 256)")!
        return InventoryWorkload(
            name: name,
            eid: IPPrefix(host: address),
            site: site,
            address: address,
            line: line
        )
    }

    static func world(_ specs: [InventoryWorkload], source: String = "main") -> World {
        var world = World(name: "test", sites: sites)
        _ = world.apply(.inventoryLoaded(source: source, workloads: specs))
        return world
    }

    /// A world with `count` workloads named `web-000`… in dc-east, alerts evaluated once.
    static func world(count: Int) -> World {
        var world = world((0..<count).map { spec(String(format: "web-%03d", $0), host: $0 + 1) })
        _ = Correlator().evaluate(&world, workloads: Set(world.workloads.keys), sources: [], now: start)
        return world
    }

    static func registered(
        _ workload: String,
        _ addresses: [String],
        down: Set<String> = [],
        resolver: String = "mr-1",
        at time: Date = start
    ) -> Observation {
        let locators = addresses.map { Locator(address: $0, reachable: !down.contains($0)) }
        let answer = MappingObservation.Answer.registered(
            locators: locators,
            ttlMinutes: 1440,
            mapVersion: nil,
            isAuthoritative: true
        )
        return .mapping(workload: workload, MappingObservation(answer: answer, resolver: resolver, checkedAt: time))
    }

    static func negative(_ workload: String, resolver: String = "mr-1", at time: Date = start) -> Observation {
        .mapping(
            workload: workload,
            MappingObservation(answer: .negative(ttlMinutes: 15), resolver: resolver, checkedAt: time)
        )
    }

    static func source(
        _ name: String,
        _ state: SourceState,
        kind: SourceKind = .mapping,
        error: String? = nil,
        at time: Date = start
    ) -> Observation {
        .source(
            SourceHealth(
                name: name,
                kind: kind,
                state: state,
                rtt: state == .down ? nil : .milliseconds(2),
                lastError: error,
                checkedAt: time
            )
        )
    }
}
