import Foundation
import LocusCore

@testable import LocusTUI

/// Workloads with probed dependencies, for the detail pane's dependency cursor and last check.
enum DependencyFixtures {
    typealias F = LiveViewFixtures

    /// Five minutes after the fixtures' start; the data's `now` is ten minutes after it.
    static let checked = F.start.addingTimeInterval(5 * 60)

    static let dns = DependencyStatus(
        kind: .dns,
        target: "web-01.lab.",
        role: "other",
        state: .stale,
        expected: "10.1.0.1",
        observed: "10.1.0.1, 10.9.0.1",
        detail: "asked 127.0.0.1:5353 for web-01.lab. A and AAAA: 10.9.0.1 is the workload's previous address",
        checkedAt: checked,
        ttl: .seconds(300),
        ttlThreshold: .seconds(60),
        observedIsPreviousAddress: true,
        rtt: .microseconds(2_500)
    )

    static let lb = DependencyStatus(
        kind: .lb,
        target: "web/web-01",
        role: "other",
        state: .ok,
        expected: "10.1.0.1:80",
        observed: "10.1.0.1:80",
        detail: "asked 127.0.0.1:9999 for show servers state web: 10.1.0.1:80 UP",
        checkedAt: checked,
        rtt: .milliseconds(12)
    )

    static let tcp = DependencyStatus(
        kind: .tcp,
        target: "127.0.0.1:88",
        role: "auth",
        state: .unreachable,
        detail: "connection refused",
        checkedAt: checked
    )

    static let web02DNS = DependencyStatus(
        kind: .dns,
        target: "web-02.lab.",
        role: "other",
        state: .ok,
        expected: "10.1.0.2",
        observed: "10.1.0.2",
        detail: "asked 127.0.0.1:5353 for web-02.lab. A and AAAA; TTL 30s",
        checkedAt: checked,
        ttl: .seconds(30),
        ttlThreshold: .seconds(60),
        rtt: .milliseconds(1)
    )

    /// web-01 with `web01` (dns, lb, tcp by default), web-02 with one dns dependency, db-01 with none.
    static func world(web01: [DependencyStatus] = [dns, lb, tcp]) -> World {
        var world = World(name: "lab", sites: F.sites)
        _ = Correlator().ingest(
            [
                .inventoryLoaded(
                    source: "inv",
                    workloads: [
                        F.workload("web-01", "10.1.0.1", site: "dc-east"),
                        F.workload("web-02", "10.1.0.2", site: "dc-east"),
                        F.workload("db-01", "10.2.0.1", site: "dc-west"),
                    ]
                ),
                F.health(.ok, at: F.start),
                .mapping(workload: "web-01", F.answer("127.0.1.1", at: F.start)),
                .mapping(workload: "web-02", F.answer("127.0.1.1", at: F.start)),
                .mapping(workload: "db-01", F.answer("127.0.2.1", at: F.start)),
                .dependencies(workload: "web-01", web01),
                .dependencies(workload: "web-02", [web02DNS]),
            ],
            into: &world,
            now: checked
        )
        return world
    }

    static func data(web01: [DependencyStatus] = [dns, lb, tcp]) -> LiveData {
        F.data(world(web01: web01))
    }

    /// The Workloads view with `name` selected and the list focused.
    static func selecting(_ name: String) -> UIState {
        var state = UIState()
        state.live.positions[.workloads] = ListPosition(selectedKey: name)
        return state
    }
}
