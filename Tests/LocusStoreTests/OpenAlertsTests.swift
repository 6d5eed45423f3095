import Foundation
import LocusCore
import Testing

@testable import LocusStore

@Suite("SQLite history store: open alerts")
struct OpenAlertsTests {
    typealias F = StoreFixtures

    static func alert(_ kind: AlertKind, _ subject: String, message: String = "", firstSeen: Date) -> Alert {
        Alert(
            kind: kind,
            severity: .critical,
            subject: subject,
            message: message.isEmpty ? "\(subject): \(kind.rawValue)" : message,
            firstSeen: firstSeen
        )
    }

    @Test func anAlertIsOpenFromItsRaiseUntilItsClearAndAgainAfterANewRaise() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        #expect(try await store.openAlerts().isEmpty)

        let first = Self.alert(.locatorMismatch, "web-07", firstSeen: F.at(10))
        try await store.record(alertTransitions: [AlertTransition(change: .raised, alert: first, at: F.at(10))])
        let open = try await store.openAlerts()
        #expect(open.map(\.id) == [first.id])
        #expect(open.first?.firstSeen == F.at(10))
        #expect(open.first?.kind == .locatorMismatch)
        #expect(open.first?.subject == "web-07")
        #expect(open.first?.severity == .critical)
        #expect(open.first?.message == first.message)

        try await store.record(alertTransitions: [AlertTransition(change: .cleared, alert: first, at: F.at(20))])
        #expect(try await store.openAlerts().isEmpty)

        let again = Self.alert(.locatorMismatch, "web-07", firstSeen: F.at(30))
        try await store.record(alertTransitions: [AlertTransition(change: .raised, alert: again, at: F.at(30))])
        let reopened = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        #expect(try await reopened.openAlerts().map(\.firstSeen) == [F.at(30)])
    }

    @Test func anUpdatedAlertIsOpenWithItsLatestMessageAndItsFirstSeen() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        let raised = Self.alert(
            .lbMemberDown,
            "web-07",
            message: "web-07: pool member in maintenance",
            firstSeen: F.at(10)
        )
        var updated = raised
        updated.message = "web-07: pool member is down"
        try await store.record(
            alertTransitions: [
                AlertTransition(change: .raised, alert: raised, at: F.at(10)),
                AlertTransition(change: .updated, alert: updated, at: F.at(15)),
            ]
        )
        let open = try await store.openAlerts()
        #expect(open.map(\.message) == ["web-07: pool member is down"])
        #expect(open.first?.firstSeen == F.at(10))
        #expect(open.first?.lastSeen == F.at(15))
    }

    @Test func eachAlertIsJudgedByItsOwnLatestTransition() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        let mismatch = Self.alert(.locatorMismatch, "web-07", firstSeen: F.at(10))
        let down = Self.alert(.sourceDown, "mr-1", firstSeen: F.at(11))
        let stale = Self.alert(.dnsStale, "db-01", firstSeen: F.at(12))
        try await store.record(
            alertTransitions: [
                AlertTransition(change: .raised, alert: mismatch, at: F.at(10)),
                AlertTransition(change: .raised, alert: down, at: F.at(11)),
                AlertTransition(change: .raised, alert: stale, at: F.at(12)),
                AlertTransition(change: .cleared, alert: down, at: F.at(13)),
            ]
        )
        // Written later but stamped earlier (a process with a slower clock): time decides.
        try await store.record(alertTransitions: [AlertTransition(change: .cleared, alert: stale, at: F.at(5))])
        // Raised and cleared within the same instant: the one written last decides.
        try await store.record(alertTransitions: [AlertTransition(change: .cleared, alert: mismatch, at: F.at(10))])
        #expect(try await store.openAlerts().map(\.id) == [stale.id])
    }

    @Test func theQuerySeeksTheIndexInsteadOfScanningTheHistoryPerAlert() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        let plan = try await store.queryPlan(SQLiteHistoryStore.openAlertsQuery)
        let scans = plan.filter { $0.hasPrefix("SCAN") && !$0.contains("COVERING INDEX") && !$0.hasPrefix("SCAN a") }
        #expect(scans.isEmpty, "\(plan)")
        #expect(plan.contains { $0.contains("alert_history_on_alert_at") }, "\(plan)")
    }

    @Test func recentMovesAreTheMoveEventsAfterATimeOldestFirst() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        func move(_ workload: String, at seconds: TimeInterval) -> Event {
            Event.move(
                Move(fromSite: "dc-east", toSite: "dc-west", fromLocators: ["127.0.1.1"], toLocators: ["127.0.2.1"]),
                of: workload,
                at: F.at(seconds)
            )
        }
        let other = Event(
            time: F.at(25),
            kind: .sourceState,
            subject: "mr-1",
            detail: "mapping source mr-1: ok -> down"
        )
        try await store.record(events: [move("web-07", at: 10), move("db-01", at: 30), move("web-07", at: 20), other])
        #expect(try await store.moves(since: F.at(15)) == [move("web-07", at: 20), move("db-01", at: 30)])
        #expect(try await store.moves(since: F.at(30)).isEmpty)
    }
}
