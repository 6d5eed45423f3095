import Foundation
import LocusCore
import Testing

@testable import LocusStore

@Suite("Two processes writing one store")
struct TwoProcessWriterTests {
    @Test func twoChildProcessesWritingEventsAtOnceLoseNone() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared/locus.sqlite")
        let perWriter = 500
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    // Each exit test body runs in a child process of its own.
                    await #expect(processExitsWith: .success) {
                        [path = path as String, writer = writer as Int, perWriter = perWriter as Int] in
                        let store = try SQLiteHistoryStore(path: path)
                        for index in 0..<perWriter {
                            let event = Event(
                                time: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)),
                                kind: .sourceState,
                                subject: "process-\(writer)",
                                detail: "\(index)"
                            )
                            try await store.record(events: [event])
                        }
                    }
                }
            }
        }
        let store = try SQLiteHistoryStore(path: path)
        #expect(try await store.recentEvents(limit: 10_000).count == 2 * perWriter)
        for writer in 0..<2 {
            let details = try await store.recentEvents(limit: 10_000, subject: "process-\(writer)").map(\.detail)
            #expect(Set(details) == Set((0..<perWriter).map(String.init)))
        }
    }
}
