import Foundation

extension World {
    /// Applies acknowledgements (from the store or an operator) to the occurrences they were made
    /// for: one of an alert that is not raised, of an earlier occurrence, or lapsed by `now`, is
    /// dropped, never kept for the next time the alert comes (that is news again).
    ///
    /// - Returns: the alerts acknowledged.
    @discardableResult
    public mutating func acknowledge(_ acknowledgements: [Acknowledgement], now: Date) -> [AlertID] {
        var applied: [AlertID] = []
        for acknowledgement in acknowledgements {
            guard var alert = alerts[acknowledgement.alertID],
                acknowledgement.firstSeen.map({ $0 == alert.firstSeen }) ?? true,
                acknowledgement.expiresAt.map({ $0 > now }) ?? true
            else { continue }
            alert.acknowledgedBy = acknowledgement.by
            alert.acknowledgedAt = acknowledgement.at
            alert.acknowledgedUntil = acknowledgement.expiresAt
            alerts[acknowledgement.alertID] = alert
            acknowledgementExpiries[acknowledgement.alertID] = acknowledgement.expiresAt
            applied.append(acknowledgement.alertID)
        }
        return applied
    }

    /// Takes back the acknowledgements whose time is up: their alerts count again, as if nobody had
    /// looked. Only the alerts acknowledged for a time are looked at.
    ///
    /// - Returns: the alerts whose acknowledgement lapsed, sorted.
    public mutating func expireAcknowledgements(at now: Date) -> [AlertID] {
        var lapsed: [AlertID] = []
        for (id, expiry) in acknowledgementExpiries where expiry <= now {
            acknowledgementExpiries[id] = nil
            // The alert may have cleared (and come back unacknowledged) since.
            guard var alert = alerts[id], alert.acknowledgedUntil == expiry else { continue }
            alert.acknowledgedBy = nil
            alert.acknowledgedAt = nil
            alert.acknowledgedUntil = nil
            alerts[id] = alert
            lapsed.append(id)
        }
        return lapsed.sorted { $0.rawValue < $1.rawValue }
    }
}
