import Foundation

/// A change in the life of an alert, as the correlator reports it and the store keeps it.
public struct AlertTransition: Sendable, Hashable {
    public enum Change: String, Sendable, Hashable, Codable, CaseIterable {
        case raised
        /// Its severity or message changed while it stayed raised.
        case updated
        case cleared
    }

    public var change: Change
    /// The alert as it was at the transition (for `cleared`, as it was last seen).
    public var alert: Alert
    public var at: Date

    public init(change: Change, alert: Alert, at: Date) {
        self.change = change
        self.alert = alert
        self.at = at
    }

    /// The `alert-raised` / `alert-cleared` event for this transition; nil for `updated`.
    public var event: Event? {
        switch change {
        case .raised:
            Event(
                time: at,
                kind: .alertRaised,
                subject: alert.id.rawValue,
                detail: "\(alert.severity.rawValue): \(alert.message)"
            )
        case .cleared:
            Event(time: at, kind: .alertCleared, subject: alert.id.rawValue, detail: "cleared: \(alert.message)")
        case .updated:
            nil
        }
    }
}
