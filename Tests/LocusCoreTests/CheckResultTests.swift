import Foundation
import Testing

@testable import LocusCore

@Suite("locus check line and snapshot table")
struct CheckResultTests {
    typealias F = WorldFixtures
    let correlator = Correlator()

    @Test func okWhenSourcesAnswerAndNothingIsWrong() {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = correlator.ingest(
            [F.source("mr-1", .ok), F.registered("web-07", ["127.0.1.1"])],
            into: &world,
            now: F.at(1)
        )
        let check = CheckResult(world.snapshot(version: 1, takenAt: F.at(1)))
        #expect(check.status == .ok)
        #expect(check.exitCode == 0)
        #expect(
            check.line
                == "LOCUS OK - 1 workload, 1 registered, no alerts | workloads=1 registered=1 negative=0 unknown=0"
                + " critical=0 warning=0 acknowledged=0 sources_down=0 migrations_stuck=0 migrations_waiting=0"
        )
    }

    @Test func warningAndCriticalFollowTheWorstUnacknowledgedAlert() {
        var world = F.world([F.spec("web-07", host: 7), F.spec("web-08", host: 8)])
        let both = ["127.0.1.1", "127.0.1.2"]
        _ = correlator.ingest(
            [F.source("mr-1", .ok), F.registered("web-07", both, down: ["127.0.1.2"])],
            into: &world,
            now: F.at(1)
        )
        var check = CheckResult(world.snapshot(version: 1, takenAt: F.at(1)))
        #expect(check.status == .warning)
        #expect(check.exitCode == 1)
        #expect(check.line.hasPrefix("LOCUS WARNING - 1 warning: locator-down:web-07 | "))

        _ = correlator.ingest([F.negative("web-08")], into: &world, now: F.at(2))
        check = CheckResult(world.snapshot(version: 2, takenAt: F.at(2)))
        #expect(check.status == .critical)
        #expect(check.exitCode == 2)
        #expect(check.line.contains("1 critical, 1 warning: mapping-missing:web-08, locator-down:web-07"))

        world.acknowledge(
            [
                Acknowledgement(alertID: AlertID(kind: .mappingMissing, subject: "web-08"), by: "ops1", at: F.at(3))
            ],
            now: F.at(3)
        )
        check = CheckResult(world.snapshot(version: 3, takenAt: F.at(3)))
        #expect(check.status == .warning)
        #expect(
            check.line.hasSuffix(
                "critical=0 warning=1 acknowledged=1 sources_down=0 migrations_stuck=0 migrations_waiting=0"
            )
        )
    }

    @Test func unknownWhenNoSourceAnswered() {
        var world = F.world([F.spec("web-07", host: 7)])
        var check = CheckResult(world.snapshot(version: 1, takenAt: F.at(0)))
        #expect(check.status == .unknown)
        #expect(check.exitCode == 3)

        _ = correlator.ingest(
            [F.source("mr-1", .down, error: "timeout"), F.source("inv", .down, kind: .inventory)],
            into: &world,
            now: F.at(1)
        )
        check = CheckResult(world.snapshot(version: 2, takenAt: F.at(1)))
        #expect(check.status == .unknown)
        #expect(check.line.hasPrefix("LOCUS UNKNOWN - no source answered (inv, mr-1 down) | "))
        #expect(check.line.contains("sources_down=2"))
    }

    @Test func theTableShowsEveryWorkloadAndAlert() {
        var world = F.world([F.spec("web-07", host: 7), F.spec("web-08", host: 8)])
        _ = correlator.ingest(
            [F.source("mr-1", .ok), F.registered("web-07", ["127.0.2.1"]), F.negative("web-08")],
            into: &world,
            now: F.at(1)
        )
        let text = SnapshotTable(world.snapshot(version: 1, takenAt: F.at(1))).render()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "Locus test · 2 sites · 2 workloads · 2027-01-15T08:00:01Z")
        #expect(
            lines.contains {
                $0.hasPrefix("web-07") && $0.contains("dc-east") && $0.contains("dc-west") && $0.contains("127.0.2.1")
            }
        )
        #expect(lines.contains { $0.hasPrefix("web-08") && $0.contains("negative") })
        #expect(lines.contains { $0.hasPrefix("CRITICAL") && $0.contains("locator-mismatch:web-07") })
        #expect(lines.contains { $0.hasPrefix("mr-1") && $0.contains("2.0ms") })
    }
}
