import Foundation
import PostgresNIO

extension PostgresStore {
    /// Prunes by the owner's `history_keep` (`locus_policy`) and the server's clock, whatever `keep`
    /// and `now` say: see `HistoryStore.prune(keeping:now:)`.
    public func prune(keeping keep: Duration, now: Date) async throws(HistoryStoreError) -> PrunedHistory {
        try await withConnection("pruning the history") { connection in
            let row = try await connection.rows("SELECT * FROM locus_prune_history()", logger: logger)[0]
            return PrunedHistory(
                events: Int(try row.value("pruned_events", as: Int64.self)),
                moves: Int(try row.value("pruned_moves", as: Int64.self)),
                alertTransitions: Int(try row.value("pruned_transitions", as: Int64.self)),
                acknowledgements: Int(try row.value("pruned_acknowledgements", as: Int64.self))
            )
        }
    }
}
