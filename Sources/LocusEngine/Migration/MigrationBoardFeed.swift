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

    /// How often a board is read when the store says nothing changed and nothing runs.
    static let idleInterval: TimeInterval = 5
    /// How far back the audit entries shown with the migrations go.
    static let auditHorizon: TimeInterval = 30 * 86_400

    public init(desk: MigrationDesk, isReadOnly: Bool) {
        self.desk = desk
        self.isReadOnly = isReadOnly
    }

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
        let changed = ChangeFlag()
        let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let changes = desk.store.migrationChanges()
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
            let viewer = await viewer()
            var reader = BoardReader(desk: desk, viewer: viewer.name, readOnlyReason: viewer.readOnlyReason)
            var last: MigrationBoard?
            var lastRead = Date.distantPast
            wake.yield()
            for await _ in wakes {
                let isChanged = changed.take()
                let running = last?.migrations.contains { $0.state.isRunning } ?? false
                guard isChanged || running || Date().timeIntervalSince(lastRead) >= Self.idleInterval else { continue }
                lastRead = Date()
                let board = await reader.read(previous: last)
                var compared = board
                compared.readAt = last?.readAt ?? board.readAt
                if compared != last || running {
                    continuation.yield(board)
                }
                last = board
            }
            group.cancelAll()
        }
    }

    /// Who is looking, as the store records them, and whether they may decide.
    private func viewer() async -> (name: String, readOnlyReason: String?) {
        let login = LoginIdentity.currentUser()
        let name = (try? await desk.store.actingUser()) ?? login
        if isReadOnly { return (name, "read-only (--read-only)") }
        let actor = MigrationActor(user: name, groups: LoginIdentity.groups(of: login))
        guard desk.policy.allows(actor) else {
            return (name, "read-only: \(name) is not an approver ([approvals] approvers)")
        }
        return (name, nil)
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
    let viewer: String
    let readOnlyReason: String?
    var audit: [AuditEntry] = []

    init(desk: MigrationDesk, viewer: String, readOnlyReason: String?) {
        self.desk = desk
        self.viewer = viewer
        self.readOnlyReason = readOnlyReason
    }

    /// A board of the store now; when the store fails, the previous board's migrations with the error.
    mutating func read(previous: MigrationBoard?) async -> MigrationBoard {
        let now = Date()
        do {
            let migrations = try await desk.migrations(origin: LoginIdentity.currentOrigin())
            let since = audit.last?.at ?? now.addingTimeInterval(-MigrationBoardFeed.auditHorizon)
            let known = Set(audit.map(\.sequence))
            audit += try await desk.store.auditEntries(since: since).filter { !known.contains($0.sequence) }
            return MigrationBoard(
                migrations: migrations,
                policy: desk.policy,
                runner: desk.runnerConditions(among: migrations, at: now),
                audit: audit,
                viewer: viewer,
                readOnlyReason: readOnlyReason,
                readAt: now
            )
        } catch {
            var board =
                previous
                ?? MigrationBoard(
                    migrations: [],
                    policy: desk.policy,
                    viewer: viewer,
                    readOnlyReason: readOnlyReason,
                    readAt: now
                )
            board.error = error.description
            board.readAt = now
            return board
        }
    }
}
