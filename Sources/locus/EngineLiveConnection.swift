import Foundation
import LISPNet
import LocusCore
import LocusEngine
import LocusStore
import LocusTUI

/// Connects the dashboard to a running engine: its snapshots (with the map-server registration
/// tables fetched alongside), acknowledgements written to the store, and workload history.
enum EngineLiveConnection {
    static func make(
        engine: Engine,
        store: any HistoryStore & MigrationStore,
        configFile: String,
        isReadOnly: Bool
    ) async -> LiveConnection {
        let snapshots = await engine.snapshots()
        let hasAPI = engine.config.mappings.contains { $0.registrationsAPI != nil }
        let (updates, continuation) = AsyncStream.makeStream(of: LiveUpdate.self, bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            for await snapshot in snapshots {
                let registrations = hasAPI ? siteRegistrations(await engine.registrationTables()) : nil
                continuation.yield(LiveUpdate(snapshot: snapshot, registrations: registrations))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return LiveConnection(
            updates: updates,
            acknowledge: { id, user, duration in try await engine.acknowledge(id, by: user, for: duration) },
            recentEvents: { subject in try await store.recentEvents(limit: 20, subject: subject) },
            migrations: migrations(engine: engine, store: store, configFile: configFile, isReadOnly: isReadOnly)
        )
    }

    /// The store's migrations for the Migrations view, and the decisions taken there.
    static func migrations(
        engine: Engine,
        store: any HistoryStore & MigrationStore,
        configFile: String,
        isReadOnly: Bool
    ) -> MigrationConnection {
        let desk = MigrationDesk(config: engine.config, store: store)
        let console = MigrationConsole(
            desk: desk,
            configArguments: ["--config", configFile],
            isReadOnly: isReadOnly,
            snapshot: { await engine.snapshot }
        )
        let feed = MigrationBoardFeed(desk: desk, isReadOnly: isReadOnly)
        let (boards, continuation) = AsyncStream.makeStream(
            of: MigrationBoard.self,
            bufferingPolicy: .bufferingNewest(1)
        )
        // The engine follows what the board reads: a cutover watched to its end moves its workload.
        let follower = Task {
            var followed: [Migration]?
            for await board in feed.boards() {
                if board.error == nil, board.migrations != followed {
                    followed = board.migrations
                    await engine.follow(board.migrations)
                }
                continuation.yield(board)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in follower.cancel() }
        return MigrationConnection(
            boards: boards,
            perform: { command in
                let outcome = await console.perform(command)
                feed.refresh()
                return outcome
            },
            runnerEnded: { pid, log in
                let ended = await MigrationConsole.waitForRunner(pid, log: log)
                return RunnerExit(status: ended.status, lastLine: ended.lastLine)
            }
        )
    }

    /// The registration tables of every map-server, summed per site.
    static func siteRegistrations(_ tables: [String: RegistrationIndex]) -> [SiteRegistrations] {
        var bySite: [String: SiteRegistrations] = [:]
        for index in tables.values {
            let document = index.document
            for site in document.sites {
                var entry =
                    bySite[site.name]
                    ?? SiteRegistrations(
                        site: site.name,
                        registered: 0,
                        lastRegistered: nil,
                        registerers: [],
                        dropped: [:]
                    )
                entry.registered += site.registrations
                for (reason, count) in reasons(site.dropped) where count > 0 {
                    entry.dropped[reason, default: 0] += count
                }
                bySite[site.name] = entry
            }
            for registration in document.registrations {
                var entry =
                    bySite[registration.site]
                    ?? SiteRegistrations(
                        site: registration.site,
                        registered: 0,
                        lastRegistered: nil,
                        registerers: [],
                        dropped: [:]
                    )
                entry.lastRegistered = max(
                    entry.lastRegistered ?? registration.lastRegistered,
                    registration.lastRegistered
                )
                if !entry.registerers.contains(registration.registerer) {
                    entry.registerers.append(registration.registerer)
                    entry.registerers.sort()
                }
                bySite[registration.site] = entry
            }
        }
        return bySite.values.sorted { $0.site < $1.site }
    }

    private static func reasons(_ drops: RegistrationsDocument.Drops) -> [(String, Int)] {
        [
            ("bad-mac", drops.badMac), ("unknown-key", drops.unknownKey), ("outside-prefix", drops.outsidePrefix),
            ("replay", drops.replay), ("wrong-algorithm", drops.wrongAlgorithm), ("malformed", drops.malformed),
        ]
    }
}
