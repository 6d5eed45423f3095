import Foundation
import LocusCore
import Testing

@testable import LocusTUI

@Suite("Live views rendered from hand-built snapshots")
struct LiveViewTests {
    typealias F = LiveViewFixtures

    @Test("every view says something sensible about an empty world", arguments: LiveList.allCases)
    func emptyWorld(list: LiveList) throws {
        let text = try F.render(list, data: F.emptyData).joinedText
        let expected: [LiveList: String] = [
            .workloads: "No workloads yet",
            .alerts: "No active alerts",
            .sites: "No sites configured",
            .events: "No events yet",
            .migrations: "Reading migrations from the store",
        ]
        #expect(text.contains(expected[list]!))
    }

    @Test func workloadsListShowsMappingMatchAndMoves() throws {
        let lines = try F.render(.workloads, data: F.data(F.fullWorld()))
        let web01 = try #require(lines.listPart.line(containing: "web-01"))
        #expect(web01.contains("10.1.0.1 "))
        #expect(web01.contains("dc-east 127.0.1.1"))
        #expect(web01.contains("✓"))
        #expect(web01.contains("—"))
        let web02 = try #require(lines.listPart.line(containing: "web-02"))
        #expect(web02.contains("dc-west 127.0.2.1"))
        #expect(web02.contains("✗"))
        #expect(web02.contains("8m"))  // moved at +2m, now +10m
        let cache = try #require(lines.listPart.line(containing: "cache-01"))
        #expect(cache.contains("unknown"))
        #expect(cache.contains("?"))
        #expect(lines.joinedText.contains("4 of 4 workloads · sort name"))
        #expect(try #require(lines.listPart.line(containing: "NAME")).contains("NAME▲"))
    }

    @Test func sourceDownShowsMappingsAsUnknownNotOK() throws {
        let lines = try F.render(.workloads, data: F.data(F.fullWorld(mrState: .down)))
        let web01 = try #require(lines.listPart.line(containing: "web-01"))
        #expect(!web01.contains("✓"))
        #expect(web01.contains("?"))
        #expect(web01.contains("unknown"))
        let header = LiveHeader.segments(F.data(F.fullWorld(mrState: .down)), lineDrawing: .unicode)
            .map(\.text).joined(separator: " ")
        #expect(header.contains("mr ○ down"))
    }

    @Test func headerCountsWorkloadsMovesAlertsAndSources() {
        let header = LiveHeader.segments(F.data(F.fullWorld(), minutesAfterStart: 4), lineDrawing: .unicode)
            .map(\.text).joined(separator: " ")
        #expect(header.contains("lab"))
        #expect(header.contains("3 sites · 4 workloads · 1 moving"))
        #expect(header.contains("1 crit") || header.contains("1 warn"))
        #expect(header.contains("mr ● 2ms"))
    }

    @Test func detailPaneShowsLocatorSetAndHistory() throws {
        let move = Event.move(
            Move(fromSite: "dc-east", toSite: "dc-west", fromLocators: ["127.0.1.1"], toLocators: ["127.0.2.1"]),
            of: "web-02",
            at: F.start.addingTimeInterval(120)
        )
        var state = LiveViewState()
        state.positions[.workloads] = ListPosition(selectedKey: "web-01")
        let quiet = try F.render(.workloads, data: F.data(F.fullWorld()), state: state).joinedText
        #expect(quiet.contains("127.0.1.1  dc-east  pri 1 wgt 70  up"))
        #expect(quiet.contains("ttl 1440m  v7  A auth  rtt 2ms  via mr"))
        #expect(quiet.contains("none declared"))
        #expect(quiet.contains("loading…"))

        state.positions[.workloads] = ListPosition(selectedKey: "web-02")
        let history = WorkloadHistory(subject: "web-02", events: [move])
        let lines = try F.render(.workloads, data: F.data(F.fullWorld(), history: history), state: state)
        #expect(
            lines.joinedText.contains("00:02 moved web-02 dc-east → dc-west")
                || lines.joinedText.contains(":02 moved web-02 dc-east → dc-west")
        )
        #expect(lines.joinedText.contains("inventory says dc-east"))
        #expect(lines.joinedText.contains("locator-mismatch"))
    }

    @Test func alertsListShowsSeverityWordAndAcknowledgement() throws {
        var world = F.fullWorld()
        let plain = try F.render(.alerts, data: F.data(world))
        let row = try #require(plain.listPart.line(containing: "web-02"))
        #expect(row.contains("CRIT") || row.contains("WARN"))
        #expect(row.contains("locator-mismatch"))
        #expect(!row.contains("ack ops"))
        #expect(plain.joinedText.contains("not acknowledged"))

        let id = AlertID(kind: .locatorMismatch, subject: "web-02")
        world.acknowledge([Acknowledgement(alertID: id, by: "ops", at: F.start.addingTimeInterval(300))], now: F.start)
        let acked = try F.render(.alerts, data: F.data(world))
        #expect(try #require(acked.listPart.line(containing: "web-02")).contains("ack ops"))
        #expect(acked.joinedText.contains("acknowledged by ops at"))
        // The tab counts the alerts not acknowledged; the footer says where the difference went.
        let count = world.snapshot(version: 1, takenAt: F.start).alerts.count
        let footer = count == 1 ? "1 active alert, 1 acknowledged" : "\(count) active alerts, 1 acknowledged"
        #expect(acked.joinedText.contains(footer), "\(acked.joinedText)")
    }

    @Test func theAlertMessageGetsTheWidthAndWrapsInTheDetailWithoutRepeatingItsSubject() throws {
        var world = F.fullWorld()
        let long = "app-77: " + String(repeating: "the record still points at the old address; ", count: 6) + "END"
        world.seed(openAlerts: [
            // The oldest critical alert comes first, so it is the one the detail pane shows.
            Alert(
                kind: .registrationStale,
                severity: .critical,
                subject: "app-77",
                message: long,
                firstSeen: F.start.addingTimeInterval(-3600)
            )
        ])
        let lines = try F.render(.alerts, data: F.data(world), width: 200)
        // At 200 columns the list is 110 wide (listPart is cut for 120).
        let row = try #require(lines.map { String($0.prefix(110)) }.line(containing: "app-77"))
        #expect(!row.contains("app-77: the record"), "the list repeats the subject: \(row)")
        #expect(row.contains("the record still points at the old address; the"), "\(row)")
        // The detail pane shows every word, wrapped, down to the last.
        #expect(lines.joinedText.contains("END"), "\(lines.joinedText)")
    }

    @Test func countsReadInTheRightNumber() {
        #expect(Plural.count(1, "site") == "1 site")
        #expect(Plural.count(0, "site") == "0 sites")
        #expect(Plural.count(2, "active alert") == "2 active alerts")
        #expect(AlertsView.footer(shown: []) == "0 active alerts")
    }

    @Test func eventsReadAsMovesWithSiteNamesNewestFirst() throws {
        let lines = try F.render(.events, data: F.data(F.fullWorld()))
        let text = lines.joinedText
        #expect(text.contains("moved web-02 dc-east → dc-west"))
        #expect(text.contains("raised  locator-mismatch critical"))
        // Newest first: the times down the TIME column never increase.
        let times = lines.listPart.compactMap { line -> String? in
            guard let match = line.range(of: #"^.\d\d:\d\d "#, options: .regularExpression) else { return nil }
            return String(line[match].dropFirst().prefix(5))
        }
        #expect(times.count == 2)
        #expect(times == times.sorted(by: >))
        #expect(times.first == "08:02")
    }

    @Test func sitesShowCountsAndRegistrations() throws {
        let registrations = [
            SiteRegistrations(
                site: "dc-west",
                registered: 2,
                lastRegistered: F.start.addingTimeInterval(9 * 60),
                registerers: ["127.0.2.1:4342"],
                dropped: ["bad-mac": 3]
            )
        ]
        var state = LiveViewState()
        state.positions[.sites] = ListPosition(selectedKey: "dc-west")
        let lines = try F.render(.sites, data: F.data(F.fullWorld(), registrations: registrations), state: state)
        let west = try #require(lines.listPart.line(containing: "dc-west"))
        #expect(west.contains("127.0.2.1"))
        #expect(west.range(of: #"1\s+2\s+2\s+1m\s+3"#, options: .regularExpression) != nil)
        #expect(lines.joinedText.contains("3 dropped: bad-mac"))
        #expect(lines.joinedText.contains("by 127.0.2.1:4342"))
        let noAPI = try F.render(.sites, data: F.data(F.fullWorld()), state: state).joinedText
        #expect(noAPI.contains("no map-server api configured"))
    }

    @Test func ageAndRTTChangeOnlyInCoarseSteps() {
        let now = F.start
        #expect(CoarseText.age(since: now.addingTimeInterval(-59), now: now) == "now")
        #expect(CoarseText.age(since: now.addingTimeInterval(-61), now: now) == "1m")
        #expect(CoarseText.age(since: now.addingTimeInterval(-3 * 3600 - 5), now: now) == "3h")
        #expect(CoarseText.age(since: now.addingTimeInterval(-3 * 86400), now: now) == "3d")
        #expect(CoarseText.ago(since: now.addingTimeInterval(-59), now: now) == "just now")
        #expect(CoarseText.ago(since: now.addingTimeInterval(-61), now: now) == "1m ago")
        #expect(CoarseText.rtt(.microseconds(400)) == "<1ms")
        #expect(CoarseText.rtt(.microseconds(2400)) == "2ms")
        #expect(CoarseText.rtt(.microseconds(2900)) == "2ms")
        #expect(CoarseText.rtt(.milliseconds(7)) == "5ms")
        #expect(CoarseText.rtt(.milliseconds(1500)) == "1s")
        #expect(CoarseText.minute(of: now.addingTimeInterval(59)) == now)
    }
}
