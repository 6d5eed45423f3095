import Foundation
import LocusCore

@testable import LocusTUI

/// Hand-built worlds for the live views: three sites on loopback, workloads mapped by a
/// resolver called `mr`, one moved, one mismatched, one never answered.
enum LiveViewFixtures {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)  // a whole minute
    static let utc = TimeZone(identifier: "UTC")!

    static let sites = [
        SiteConfig(name: "dc-east", rlocs: [IPAddress("127.0.1.1")!]),
        SiteConfig(name: "dc-west", rlocs: [IPAddress("127.0.2.1")!]),
        SiteConfig(name: "cloud", rlocs: [IPAddress("127.0.3.1")!]),
    ]

    static func workload(_ name: String, _ eid: String, site: String) -> InventoryWorkload {
        let prefix = try! IPPrefix(parsing: eid + "/32")
        return InventoryWorkload(name: name, eid: prefix, site: site, address: IPAddress(eid)!)
    }

    static func answer(_ rloc: String, at time: Date, priority: UInt8 = 1, weight: UInt8 = 100) -> MappingObservation {
        MappingObservation(
            answer: .registered(
                locators: [Locator(address: rloc, priority: priority, weight: weight)],
                ttlMinutes: 1440,
                mapVersion: 7,
                isAuthoritative: true
            ),
            resolver: "mr",
            rtt: .microseconds(300),
            checkedAt: time
        )
    }

    static func health(_ state: SourceState, at time: Date) -> Observation {
        .source(SourceHealth(name: "mr", kind: .mapping, state: state, rtt: .milliseconds(2), checkedAt: time))
    }

    /// The full world: web-01 (dc-east, ok), web-02 (moved dc-east → dc-west at +2m, inventory
    /// still dc-east: mismatch alert), db-01 (dc-west, ok), cache-01 (cloud, never answered).
    static func fullWorld(mrState: SourceState = .ok) -> World {
        var world = World(name: "lab", sites: sites)
        let correlator = Correlator()
        _ = correlator.ingest(
            [
                .inventoryLoaded(
                    source: "inv",
                    workloads: [
                        workload("web-01", "10.1.0.1", site: "dc-east"),
                        workload("web-02", "10.1.0.2", site: "dc-east"),
                        workload("db-01", "10.2.0.1", site: "dc-west"),
                        workload("cache-01", "10.3.0.1", site: "cloud"),
                    ]
                ),
                health(.ok, at: start),
                .mapping(workload: "web-01", answer("127.0.1.1", at: start, priority: 1, weight: 70)),
                .mapping(workload: "web-02", answer("127.0.1.1", at: start)),
                .mapping(workload: "db-01", answer("127.0.2.1", at: start)),
            ],
            into: &world,
            now: start
        )
        let later = start.addingTimeInterval(120)
        _ = correlator.ingest(
            [.mapping(workload: "web-02", answer("127.0.2.1", at: later))],
            into: &world,
            now: later
        )
        if mrState != .ok {
            let down = start.addingTimeInterval(180)
            _ = correlator.ingest([health(mrState, at: down)], into: &world, now: down)
        }
        return world
    }

    static func data(
        _ world: World,
        minutesAfterStart: Double = 10,
        registrations: [SiteRegistrations]? = nil,
        history: WorkloadHistory? = nil
    ) -> LiveData {
        LiveData(
            snapshot: world.snapshot(version: 1, takenAt: start),
            registrations: registrations,
            history: history,
            now: start.addingTimeInterval(minutesAfterStart * 60),
            timeZone: utc
        )
    }

    static var emptyData: LiveData {
        data(World(name: "lab", sites: []))
    }

    /// Renders `list` into a 120×30 text frame, list and detail panes side by side.
    static func render(
        _ list: LiveList,
        data: LiveData,
        state: LiveViewState = LiveViewState(),
        filter: String = "",
        width: Int = 120,
        height: Int = 24
    ) throws -> [String] {
        let listWidth = width * 11 / 20
        return try LocusTUITests.render(width: width, height: height) { frame in
            LiveScreen.draw(
                list,
                state: state,
                data: data,
                filter: filter,
                panes: LiveScreen.Panes(
                    list: Rect(x: 0, y: 0, width: listWidth, height: height),
                    detail: Rect(x: listWidth, y: 0, width: width - listWidth, height: height),
                    detailFocused: false
                ),
                frame: &frame
            )
        }.lines
    }
}

extension [String] {
    /// The line holding `text`, for asserting on one row.
    func line(containing text: String) -> String? {
        first { $0.contains(text) }
    }

    var joinedText: String { joined(separator: "\n") }

    /// The list pane's part of each line (the fixtures' list is 66 columns wide).
    var listPart: [String] { map { String($0.prefix(66)) } }
}
