import Foundation
import LocusCore
import LocusStore
import Synchronization

/// The store's migrations as boards for the dashboard: read again soon after the store says something
/// changed (`MigrationStore.migrationChanges`), every second while a cutover runs (its elapsed times),
/// and every few seconds otherwise (what lapses by itself: expiry, interruption, "not running").
public struct MigrationBoardFeed: Sendable {
    public let desk: MigrationDesk
    public let isReadOnly: Bool
    private let changed = ChangeFlag()
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// How often a board is read when the store says nothing changed and nothing runs.
    static let idleInterval: TimeInterval = 5
    /// The least time between two reads the store's signals ask for: a burst of commits (or a signal
    /// this reader's own writes cause) is read once.
    static let signalInterval: TimeInterval = 0.5
    /// How far back the audit entries shown with the migrations go.
    static let auditHorizon: TimeInterval = 30 * 86_400

    public init(desk: MigrationDesk, isReadOnly: Bool) {
        self.desk = desk
        self.isReadOnly = isReadOnly
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Reads again at once: after a decision this process made, which SQLite's `data_version` does not
    /// signal to the connection that made it.
    public func refresh() {
        changed.raise()
        wake.yield()
    }

    /// The boards; call once.
    public func boards() -> AsyncStream<MigrationBoard> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MigrationBoard.self,
            bufferingPolicy: .bufferingNewest(1)
        )
        let feed = self
        let task = Task {
            await feed.run(into: continuation)
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(into continuation: AsyncStream<MigrationBoard>.Continuation) async {
        let changes = desk.store.migrationChanges()
        let (changed, wake, wakes) = (changed, wake, wakes)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in changes {
                    changed.raise()
                    wake.yield()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    wake.yield()
                }
            }
            var reader = BoardReader(desk: desk, isReadOnly: isReadOnly)
            var last: MigrationBoard?
            var lastRead = Date.distantPast
            changed.raise()
            wake.yield()
            for await _ in wakes {
                guard !Task.isCancelled else { break }
                let sinceRead = Date().timeIntervalSince(lastRead)
                var isChanged = changed.take()
                if isChanged, sinceRead < Self.signalInterval {
                    // Read at the next wake (within a second) instead.
                    changed.raise()
                    isChanged = false
                }
                let running = last?.migrations.contains { $0.state.isRunning } ?? false
                guard isChanged || running || sinceRead >= Self.idleInterval else { continue }
                lastRead = Date()
                let board = await reader.read(previous: last)
                // Ages and elapsed times count from `readAt`: every read is shown.
                continuation.yield(board)
                last = board
            }
            group.cancelAll()
        }
    }
}

/// Set when the store said something changed, taken by the next read.
private final class ChangeFlag: Sendable {
    private let isRaised = Atomic(true)

    func raise() { isRaised.store(true, ordering: .releasing) }

    func take() -> Bool { isRaised.exchange(false, ordering: .acquiringAndReleasing) }
}

/// Reads boards, fetching the audit log once and then only what was added since.
private struct BoardReader {
    let desk: MigrationDesk
    let isReadOnly: Bool
    /// Nil until the store said who this is (PostgreSQL's `session_user`); asked again until it does.
    var viewer: (name: String, readOnlyReason: String?)?
    var audit: [AuditEntry] = []
    /// Lapses this reader tried to record (`MigrationDesk.migrations(origin:tryingLapsesOnce:)`).
    var triedLapses: Set<String> = []

    /// How far before the newest entry read the next read starts: entries are timed before they wait
    /// for the store's lock, so one may be committed after a later-timed one.
    static let auditOverlap: TimeInterval = 300

    init(desk: MigrationDesk, isReadOnly: Bool) {
        self.desk = desk
        self.isReadOnly = isReadOnly
    }

    /// A board of the store now; when the store fails, the previous board's migrations with the error.
    mutating func read(previous: MigrationBoard?) async -> MigrationBoard {
        let now = Date()
        let viewer = await who()
        do {
            let migrations = try await desk.migrations(
                origin: LoginIdentity.currentOrigin(),
                tryingLapsesOnce: &triedLapses
            )
            let since =
                audit.last.map { $0.at.addingTimeInterval(-Self.auditOverlap) }
                ?? now.addingTimeInterval(-MigrationBoardFeed.auditHorizon)
            let known = Set(audit.map(\.sequence))
            audit += try await desk.store.auditEntries(since: since).filter { !known.contains($0.sequence) }
            audit.sort { $0.sequence < $1.sequence }
            return MigrationBoard(
                migrations: migrations,
                policy: desk.policy,
                runner: desk.runnerConditions(among: migrations, at: now),
                audit: audit,
                viewer: viewer.name,
                readOnlyReason: viewer.readOnlyReason,
                readAt: now
            )
        } catch {
            var board =
                previous
                ?? MigrationBoard(
                    migrations: [],
                    policy: desk.policy,
                    viewer: viewer.name,
                    readOnlyReason: viewer.readOnlyReason,
                    readAt: now
                )
            board.error = String(describing: error)
            board.readAt = now
            return board
        }
    }

    /// Who is looking, as the store records them, and whether they may decide.
    private mutating func who() async -> (name: String, readOnlyReason: String?) {
        if let viewer { return viewer }
        let login = LoginIdentity.currentUser()
        guard let name = try? await desk.store.actingUser() else {
            return (login, isReadOnly ? "read-only (--read-only)" : nil)
        }
        let actor = MigrationActor(user: name, groups: LoginIdentity.groups(of: login))
        let found: (String, String?)
        if isReadOnly {
            found = (name, "read-only (--read-only)")
        } else if desk.policy.allows(actor) {
            found = (name, nil)
        } else {
            found = (name, "read-only: \(name) is not an approver ([approvals] approvers)")
        }
        viewer = found
        return found
    }
}
