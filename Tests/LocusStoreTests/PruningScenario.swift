import Foundation
import LocusCore
import Testing

@testable import LocusStore

/// A history with rows on both sides of a one-day `history_keep`, for both stores' pruning tests:
/// what is old goes, except what an open alert still needs.
struct PruningScenario {
    static let keep: Duration = .seconds(86_400)

    /// The instant the store prunes at; old rows are two days before it, recent ones two hours.
    let now: Date

    var old: Date { now.addingTimeInterval(-2 * 86_400) }
    var recent: Date { now.addingTimeInterval(-2 * 3600) }

    /// Still open, raised long ago: its raise and the acknowledgement in force stay, the one that
    /// acknowledgement replaced goes.
    var stillOpen: Alert { alert(.locatorMismatch, "web-07") }
    /// Raised and cleared long ago: all of it goes, acknowledgement included.
    var cleared: Alert { alert(.sourceDown, "mr-1") }
    /// Raised long ago, updated recently: only the update stays, and the alert keeps its first-seen time.
    var updated: Alert { alert(.dnsStale, "db-01") }
    /// Still open, acknowledged for an hour long ago: the lapsed acknowledgement goes, the raise stays.
    var lapsed: Alert { alert(.lbMemberDown, "web-08") }

    var inForce: Acknowledgement {
        Acknowledgement(alertID: stillOpen.id, by: "ops1", at: old + 20, firstSeen: old)
    }

    func alert(_ kind: AlertKind, _ subject: String) -> Alert {
        Alert(
            kind: kind,
            severity: .critical,
            subject: subject,
            message: "\(subject): \(kind.rawValue)",
            firstSeen: old
        )
    }

    func event(_ detail: String, at time: Date) -> Event {
        Event(time: time, kind: .sourceState, subject: "mr-1", detail: detail)
    }

    func move(_ workload: String, at time: Date) -> Event {
        Event.move(
            Move(fromSite: "dc-east", toSite: "dc-west", fromLocators: ["127.0.1.1"], toLocators: ["127.0.2.1"]),
            of: workload,
            at: time
        )
    }

    func write(to store: some HistoryStore) async throws {
        try await store.record(
            events: [
                event("old", at: old), move("web-07", at: old + 1), event("recent", at: recent),
                move("web-08", at: recent + 1),
            ]
        )
        var update = updated
        update.message = "db-01: still stale"
        try await store.record(
            alertTransitions: [
                AlertTransition(change: .raised, alert: stillOpen, at: old),
                AlertTransition(change: .raised, alert: cleared, at: old),
                AlertTransition(change: .cleared, alert: cleared, at: old + 60),
                AlertTransition(change: .raised, alert: updated, at: old),
                AlertTransition(change: .updated, alert: update, at: recent),
                AlertTransition(change: .raised, alert: lapsed, at: old),
            ]
        )
        try await store.acknowledge(Acknowledgement(alertID: stillOpen.id, by: "ops2", at: old + 10, firstSeen: old))
        try await store.acknowledge(inForce)
        try await store.acknowledge(Acknowledgement(alertID: cleared.id, by: "ops1", at: old + 30, firstSeen: old))
        try await store.acknowledge(
            Acknowledgement(alertID: lapsed.id, by: "ops1", at: old + 40, firstSeen: old, expiresAt: old + 3640)
        )
    }

    static let expected = PrunedHistory(events: 2, moves: 1, alertTransitions: 3, acknowledgements: 3)

    /// What is left after pruning.
    func expectPruned(_ store: some HistoryStore) async throws {
        #expect(try await store.recentEvents(limit: 10).map(\.time) == [recent + 1, recent])
        #expect(try await store.moves(of: nil, limit: 10).map(\.subject) == ["web-08"])
        let open = try await store.openAlerts()
        #expect(Set(open.map(\.id)) == [stillOpen.id, updated.id, lapsed.id])
        #expect(open.first { $0.id == updated.id }?.firstSeen == old)
        #expect(open.first { $0.id == updated.id }?.message == "db-01: still stale")
        #expect(try await store.alertHistory(limit: 10, alertID: nil).count == 3)
        #expect(try await store.acknowledgements() == [inForce])
    }
}
