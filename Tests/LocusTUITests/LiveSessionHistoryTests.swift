import Foundation
import LocusCore
import Synchronization
import Testing

@testable import LocusTUI

@Suite("The detail pane's history: one fetch for where the cursor stays")
@MainActor
struct LiveSessionHistoryTests {
    typealias F = LiveViewFixtures

    @Test("a cursor run across the list asks the store once, for the row it stops on")
    func cursorRunFetchesOnce() async throws {
        let asked = Mutex<[String]>([])
        let (updates, _) = AsyncStream.makeStream(of: LiveUpdate.self)
        let connection = LiveConnection(
            updates: updates,
            acknowledge: { _, _, _ in },
            recentEvents: { subject in
                asked.withLock { $0.append(subject) }
                return []
            }
        )
        let session = LiveSession(connection: connection)
        session.receive(LiveUpdate(snapshot: F.fullWorld().snapshot(version: 1, takenAt: F.start), registrations: nil))
        let (events, sink) = AsyncStream.makeStream(of: DashboardEvent.self)
        let rows = 20
        var state = UIState()
        let data = try #require(session.data)
        let first = LiveKeys.selectedWorkload(state, data: data, visibleRows: rows)
        let last = try #require(
            {
                var selected: String?
                for _ in 0..<3 {
                    session.fetchHistoryIfNeeded(state, visibleRows: rows, sink: sink)
                    state = LiveKeys.reduce(state, key: .down, data: data, visibleRows: rows) ?? state
                    selected = LiveKeys.selectedWorkload(state, data: data, visibleRows: rows)
                }
                session.fetchHistoryIfNeeded(state, visibleRows: rows, sink: sink)
                return selected
            }()
        )
        var iterator = events.makeAsyncIterator()
        guard case .history(let history)? = await iterator.next() else {
            Issue.record("no history came")
            return
        }
        #expect(first != last, "the cursor moved")
        #expect(history.subject == last)
        #expect(asked.withLock { $0 } == [last])
    }
}
