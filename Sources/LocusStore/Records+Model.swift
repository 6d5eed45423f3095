import Foundation
import LocusCore

extension MappingRecord {
    init(workload: String, mapping: LastKnownMapping) {
        self.init(
            workload: workload,
            site: mapping.site,
            locators: mapping.locators.map(StoredLocator.init),
            checkedAt: mapping.checkedAt
        )
    }

    var lastKnownMapping: LastKnownMapping {
        LastKnownMapping(site: site, locators: locators.map(\.locator), checkedAt: checkedAt)
    }
}

extension AddressRecord {
    init(workload: String, known: KnownAddress) {
        self.init(workload: workload, address: known.address.description, previous: known.previous?.description)
    }

    /// Nil when the stored text is not an address: such a row is skipped, not fatal.
    var knownAddress: KnownAddress? {
        guard let current = IPAddress(address) else { return nil }
        return KnownAddress(address: current, previous: previous.flatMap { IPAddress($0) })
    }
}

extension EventRecord {
    init(_ event: Event) {
        self.init(
            id: nil,
            time: event.time,
            kind: event.kind.rawValue,
            subject: event.subject,
            detail: event.detail,
            fromSite: event.move?.fromSite,
            toSite: event.move?.toSite,
            fromLocators: event.move?.fromLocators,
            toLocators: event.move?.toLocators
        )
    }

    func event() throws(HistoryStoreError) -> Event {
        guard let kind = EventKind(rawValue: kind) else {
            throw .invalidRow(table: Self.databaseTableName, detail: "unknown event kind \"\(self.kind)\"")
        }
        var move: Move?
        if kind == .move {
            move = Move(
                fromSite: fromSite,
                toSite: toSite,
                fromLocators: fromLocators ?? [],
                toLocators: toLocators ?? []
            )
        }
        return Event(time: time, kind: kind, subject: subject, detail: detail, move: move)
    }
}

extension MoveRecord {
    init?(_ event: Event) {
        guard event.kind == .move, let move = event.move else { return nil }
        self.init(
            id: nil,
            workload: event.subject,
            time: event.time,
            fromSite: move.fromSite,
            toSite: move.toSite,
            fromLocators: move.fromLocators,
            toLocators: move.toLocators
        )
    }

    var event: Event {
        let move = Move(fromSite: fromSite, toSite: toSite, fromLocators: fromLocators, toLocators: toLocators)
        return .move(move, of: workload, at: time)
    }
}

extension AlertHistoryRecord {
    init(_ transition: AlertTransition) {
        self.init(
            id: nil,
            alertID: transition.alert.id.rawValue,
            change: transition.change.rawValue,
            kind: transition.alert.kind.rawValue,
            severity: transition.alert.severity.rawValue,
            subject: transition.alert.subject,
            message: transition.alert.message,
            firstSeen: transition.alert.firstSeen,
            at: transition.at
        )
    }

    func transition() throws(HistoryStoreError) -> AlertTransition {
        guard let change = AlertTransition.Change(rawValue: change),
            let kind = AlertKind(rawValue: kind),
            let severity = AlertSeverity(rawValue: severity)
        else {
            throw .invalidRow(
                table: Self.databaseTableName,
                detail: "alert \(alertID): change \"\(change)\", kind \"\(kind)\", severity \"\(severity)\""
            )
        }
        let alert = Alert(
            kind: kind,
            severity: severity,
            subject: subject,
            message: message,
            firstSeen: firstSeen,
            lastSeen: at
        )
        return AlertTransition(change: change, alert: alert, at: at)
    }
}

extension AcknowledgementRecord {
    init(_ acknowledgement: Acknowledgement) {
        self.init(
            id: nil,
            alertID: acknowledgement.alertID.rawValue,
            acknowledgedBy: acknowledgement.by,
            acknowledgedAt: acknowledgement.at,
            firstSeen: acknowledgement.firstSeen,
            expiresAt: acknowledgement.expiresAt
        )
    }

    var acknowledgement: Acknowledgement {
        Acknowledgement(
            alertID: AlertID(rawValue: alertID),
            by: acknowledgedBy,
            at: acknowledgedAt,
            firstSeen: firstSeen,
            expiresAt: expiresAt
        )
    }
}
