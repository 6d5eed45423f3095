import Foundation
import LocusCore
import PostgresNIO

/// The history, with the semantics of `SQLiteHistoryStore`: a batch is one transaction, mappings
/// and addresses are replaced, events, moves and alert transitions appended.
extension PostgresStore: HistoryStore {
    public func record(_ batch: HistoryBatch) async throws(HistoryStoreError) {
        guard !batch.isEmpty else { return }
        try await withTransaction("recording history") { connection in
            for (workload, mapping) in batch.mappings {
                let record = MappingRecord(workload: workload, mapping: mapping)
                try await connection.run(
                    """
                    INSERT INTO mapping (workload, site, locators, checked_at)
                    VALUES (\(record.workload), \(record.site), \(try Self.json(record.locators))::jsonb,
                        \(record.checkedAt))
                    ON CONFLICT (workload) DO UPDATE SET site = EXCLUDED.site, locators = EXCLUDED.locators,
                        checked_at = EXCLUDED.checked_at
                    """,
                    logger: logger
                )
            }
            for (workload, known) in batch.addresses {
                let record = AddressRecord(workload: workload, known: known)
                try await connection.run(
                    """
                    INSERT INTO address (workload, address, previous)
                    VALUES (\(record.workload), \(record.address), \(record.previous))
                    ON CONFLICT (workload) DO UPDATE SET address = EXCLUDED.address, previous = EXCLUDED.previous
                    """,
                    logger: logger
                )
            }
            for event in batch.events {
                let record = EventRecord(event)
                try await connection.run(
                    """
                    INSERT INTO event (time, kind, subject, detail, from_site, to_site, from_locators, to_locators)
                    VALUES (\(record.time), \(record.kind), \(record.subject), \(record.detail), \(record.fromSite),
                        \(record.toSite), \(try record.fromLocators.map(Self.json))::jsonb,
                        \(try record.toLocators.map(Self.json))::jsonb)
                    """,
                    logger: logger
                )
                if let move = MoveRecord(event) {
                    try await connection.run(
                        """
                        INSERT INTO move (workload, time, from_site, to_site, from_locators, to_locators)
                        VALUES (\(move.workload), \(move.time), \(move.fromSite), \(move.toSite),
                            \(try Self.json(move.fromLocators))::jsonb, \(try Self.json(move.toLocators))::jsonb)
                        """,
                        logger: logger
                    )
                }
            }
            for transition in batch.alertTransitions {
                let record = AlertHistoryRecord(transition)
                try await connection.run(
                    """
                    INSERT INTO alert_history (alert_id, change, kind, severity, subject, message, first_seen, at)
                    VALUES (\(record.alertID), \(record.change), \(record.kind), \(record.severity),
                        \(record.subject), \(record.message), \(record.firstSeen), \(record.at))
                    """,
                    logger: logger
                )
            }
        }
    }

    /// The database records `session_user` as who acknowledged (a trigger), whatever `user` says.
    public func acknowledge(_ acknowledgement: Acknowledgement) async throws(HistoryStoreError) {
        let record = AcknowledgementRecord(acknowledgement)
        try await withConnection("acknowledging \(acknowledgement.alertID)") { connection in
            try await connection.run(
                """
                INSERT INTO acknowledgement (alert_id, acknowledged_by, acknowledged_at, first_seen, expires_at)
                VALUES (\(record.alertID), \(record.acknowledgedBy), \(record.acknowledgedAt),
                    \(record.firstSeen), \(record.expiresAt))
                """,
                logger: logger
            )
        }
    }

    public func lastMappings() async throws(HistoryStoreError) -> [String: LastKnownMapping] {
        let rows = try await withConnection("reading the last mappings") { connection in
            try await connection.rows(
                "SELECT workload, site, locators::text AS locators, checked_at FROM mapping",
                logger: logger
            )
            .map { row in
                MappingRecord(
                    workload: try row.value("workload"),
                    site: try row.value("site"),
                    locators: try Self.decode([StoredLocator].self, try row.value("locators"), table: "mapping"),
                    checkedAt: try row.value("checked_at")
                )
            }
        }
        var mappings: [String: LastKnownMapping] = [:]
        for record in rows { mappings[record.workload] = record.lastKnownMapping }
        return mappings
    }

    public func lastAddresses() async throws(HistoryStoreError) -> [String: KnownAddress] {
        let rows = try await withConnection("reading the last addresses") { connection in
            try await connection.rows("SELECT workload, address, previous FROM address", logger: logger).map { row in
                AddressRecord(
                    workload: try row.value("workload"),
                    address: try row.value("address"),
                    previous: try row.value("previous")
                )
            }
        }
        var addresses: [String: KnownAddress] = [:]
        for record in rows { addresses[record.workload] = record.knownAddress }
        return addresses
    }

    public func recentEvents(limit: Int, subject: String?) async throws(HistoryStoreError) -> [Event] {
        let limit = max(0, limit)
        let records = try await withConnection("reading events") { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.eventColumns) FROM event
                WHERE \(subject)::text IS NULL OR subject = \(subject)
                ORDER BY time DESC, id DESC LIMIT \(limit)
                """,
                logger: logger
            )
            .map(Self.eventRecord)
        }
        return try Self.events(records)
    }

    public func moves(of workload: String?, limit: Int) async throws(HistoryStoreError) -> [Event] {
        let limit = max(0, limit)
        return try await withConnection("reading moves") { connection in
            try await connection.rows(
                """
                SELECT workload, time, from_site, to_site, from_locators::text AS from_locators,
                    to_locators::text AS to_locators
                FROM move WHERE \(workload)::text IS NULL OR workload = \(workload)
                ORDER BY time DESC, id DESC LIMIT \(limit)
                """,
                logger: logger
            )
            .map { row in
                MoveRecord(
                    id: nil,
                    workload: try row.value("workload"),
                    time: try row.value("time"),
                    fromSite: try row.value("from_site"),
                    toSite: try row.value("to_site"),
                    fromLocators: try Self.decode([String].self, try row.value("from_locators"), table: "move"),
                    toLocators: try Self.decode([String].self, try row.value("to_locators"), table: "move")
                )
                .event
            }
        }
    }

    public func moves(since time: Date) async throws(HistoryStoreError) -> [Event] {
        let records = try await withConnection("reading recent moves") { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.eventColumns) FROM event
                WHERE time > \(time) AND kind = \(EventKind.move.rawValue)
                ORDER BY time, id
                """,
                logger: logger
            )
            .map(Self.eventRecord)
        }
        return try Self.events(records)
    }

    public func alertHistory(limit: Int, alertID: AlertID?) async throws(HistoryStoreError) -> [AlertTransition] {
        let limit = max(0, limit)
        let id = alertID?.rawValue
        let records = try await withConnection("reading alert history") { connection in
            try await connection.rows(
                """
                SELECT * FROM alert_history WHERE \(id)::text IS NULL OR alert_id = \(id)
                ORDER BY at DESC, id DESC LIMIT \(limit)
                """,
                logger: logger
            )
            .map(Self.alertRecord)
        }
        return try records.map { record throws(HistoryStoreError) in try record.transition() }
    }

    /// The latest transition of each alert (by time, then by order of writing), unless it cleared.
    public func openAlerts() async throws(HistoryStoreError) -> [Alert] {
        let records = try await withConnection("reading open alerts") { connection in
            try await connection.rows(
                """
                SELECT * FROM (
                    SELECT DISTINCT ON (alert_id) * FROM alert_history ORDER BY alert_id, at DESC, id DESC
                ) latest
                WHERE change <> 'cleared' ORDER BY alert_id
                """,
                logger: logger
            )
            .map(Self.alertRecord)
        }
        return try records.map { record throws(HistoryStoreError) in try record.transition().alert }
    }

    public func acknowledgements() async throws(HistoryStoreError) -> [Acknowledgement] {
        try await withConnection("reading acknowledgements") { connection in
            try await connection.rows(
                """
                SELECT a.* FROM acknowledgement a
                WHERE a.id = (SELECT max(b.id) FROM acknowledgement b WHERE b.alert_id = a.alert_id)
                  AND NOT EXISTS (
                    SELECT 1 FROM alert_history h
                    WHERE h.alert_id = a.alert_id AND h.change = 'cleared' AND h.at > a.acknowledged_at)
                ORDER BY a.alert_id
                """,
                logger: logger
            )
            .map { row in
                AcknowledgementRecord(
                    id: nil,
                    alertID: try row.value("alert_id"),
                    acknowledgedBy: try row.value("acknowledged_by"),
                    acknowledgedAt: try row.value("acknowledged_at"),
                    firstSeen: try row.value("first_seen"),
                    expiresAt: try row.value("expires_at")
                )
                .acknowledgement
            }
        }
    }

    // MARK: - Rows

    private static let eventColumns = """
        time, kind, subject, detail, from_site, to_site, from_locators::text AS from_locators,
        to_locators::text AS to_locators
        """

    private static func eventRecord(_ row: PostgresRandomAccessRow) throws -> EventRecord {
        EventRecord(
            id: nil,
            time: try row.value("time"),
            kind: try row.value("kind"),
            subject: try row.value("subject"),
            detail: try row.value("detail"),
            fromSite: try row.value("from_site"),
            toSite: try row.value("to_site"),
            fromLocators: try (try row.value("from_locators", as: String?.self)).map {
                try decode([String].self, $0, table: "event")
            },
            toLocators: try (try row.value("to_locators", as: String?.self)).map {
                try decode([String].self, $0, table: "event")
            }
        )
    }

    private static func alertRecord(_ row: PostgresRandomAccessRow) throws -> AlertHistoryRecord {
        AlertHistoryRecord(
            id: nil,
            alertID: try row.value("alert_id"),
            change: try row.value("change"),
            kind: try row.value("kind"),
            severity: try row.value("severity"),
            subject: try row.value("subject"),
            message: try row.value("message"),
            firstSeen: try row.value("first_seen"),
            at: try row.value("at")
        )
    }

    private static func events(_ records: [EventRecord]) throws(HistoryStoreError) -> [Event] {
        var events: [Event] = []
        events.reserveCapacity(records.count)
        for record in records { events.append(try record.event()) }
        return events
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String, table: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw HistoryStoreError.invalidRow(table: table, detail: "unreadable JSON \(text.prefix(80)): \(error)")
        }
    }
}
