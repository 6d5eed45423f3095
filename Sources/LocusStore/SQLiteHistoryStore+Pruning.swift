import Foundation
import GRDB

extension SQLiteHistoryStore {
    public func prune(keeping keep: Duration, now: Date) async throws(HistoryStoreError) -> PrunedHistory {
        let cutoff = now.addingTimeInterval(-keep.seconds)
        do {
            return try await pool.write { db in
                // Acknowledgements first: whether one is still in force depends on the clears after it.
                try db.execute(sql: Self.pruneAcknowledgements, arguments: ["cutoff": cutoff])
                var pruned = PrunedHistory(acknowledgements: db.changesCount)
                try db.execute(sql: Self.pruneAlertHistory, arguments: ["cutoff": cutoff])
                pruned.alertTransitions = db.changesCount
                try db.execute(sql: "DELETE FROM event WHERE time < :cutoff", arguments: ["cutoff": cutoff])
                pruned.events = db.changesCount
                try db.execute(sql: "DELETE FROM move WHERE time < :cutoff", arguments: ["cutoff": cutoff])
                pruned.moves = db.changesCount
                return pruned
            }
        } catch {
            throw failure("pruning the history", error)
        }
    }

    /// Old acknowledgements, except the one still in force for its alert (the latest, with no clear
    /// after it, not lapsed before the cutoff).
    static let pruneAcknowledgements = """
        DELETE FROM acknowledgement
        WHERE acknowledged_at < :cutoff AND (
            id <> (SELECT MAX(b.id) FROM acknowledgement b WHERE b.alert_id = acknowledgement.alert_id)
            OR expires_at < :cutoff
            OR EXISTS (
                SELECT 1 FROM alert_history h
                WHERE h.alert_id = acknowledgement.alert_id AND h.change = 'cleared'
                  AND h.at > acknowledgement.acknowledged_at))
        """

    /// Old transitions, except the latest of an alert still open: a later process takes the alert
    /// over from it (`openAlertsQuery`).
    static let pruneAlertHistory = """
        DELETE FROM alert_history
        WHERE at < :cutoff AND NOT (
            change <> 'cleared'
            AND id = (
                SELECT l.id FROM alert_history l
                WHERE l.alert_id = alert_history.alert_id
                ORDER BY l.at DESC, l.id DESC
                LIMIT 1))
        """
}
