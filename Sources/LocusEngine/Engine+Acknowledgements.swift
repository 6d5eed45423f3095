import LocusCore
import LocusStore

extension Engine {
    /// Records in the store that `user` acknowledged the alert as it is raised now, then shows it:
    /// nothing changes on the screen unless the store has it. An alert that is not raised is refused;
    /// one that cleared while the store wrote is not marked (the acknowledgement covers the
    /// occurrence that ended, and the store drops it once the clear is recorded).
    ///
    /// - Parameter duration: how long it holds; nil: until the alert clears.
    public func acknowledge(
        _ id: AlertID,
        by user: String,
        for duration: Duration? = nil
    ) async throws(AcknowledgeError) {
        guard let alert = world.alerts[id] else { throw .notRaised(id) }
        let at = clock.now()
        let acknowledgement = Acknowledgement(
            alertID: id,
            by: user,
            at: at,
            firstSeen: alert.firstSeen,
            expiresAt: duration.map { at.addingTimeInterval($0.seconds) }
        )
        do {
            try await store.acknowledge(acknowledgement)
        } catch {
            throw .store(error)
        }
        // The alert may have cleared, or cleared and come back, while the store wrote.
        guard world.acknowledge([acknowledgement], now: clock.now()) == [id] else { throw .endedMeanwhile(id) }
        publish()
    }
}
