import Foundation
import GRDB
import LocusCore

/// The last registered mapping of one workload (table `mapping`).
struct MappingRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "mapping"

    var workload: String
    var site: String?
    var locators: [StoredLocator]
    var checkedAt: Date

    enum CodingKeys: String, CodingKey {
        case workload
        case site
        case locators
        case checkedAt = "checked_at"
    }

    enum Columns {
        static let workload = Column(CodingKeys.workload)
        static let checkedAt = Column(CodingKeys.checkedAt)
    }
}

/// The last declared address of one workload and the one before it (table `address`).
struct AddressRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "address"

    var workload: String
    var address: String
    var previous: String?
}

/// One event of any kind (table `event`); the move columns are set for moves only.
struct EventRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "event"

    var id: Int64?
    var time: Date
    var kind: String
    var subject: String
    var detail: String
    var fromSite: String?
    var toSite: String?
    var fromLocators: [String]?
    var toLocators: [String]?

    enum CodingKeys: String, CodingKey {
        case id
        case time
        case kind
        case subject
        case detail
        case fromSite = "from_site"
        case toSite = "to_site"
        case fromLocators = "from_locators"
        case toLocators = "to_locators"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let time = Column(CodingKeys.time)
        static let kind = Column(CodingKeys.kind)
        static let subject = Column(CodingKeys.subject)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One move of one workload (table `move`), kept apart from the events so that a workload's move
/// history stays cheap to read however many other events pile up.
struct MoveRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "move"

    var id: Int64?
    var workload: String
    var time: Date
    var fromSite: String?
    var toSite: String?
    var fromLocators: [String]
    var toLocators: [String]

    enum CodingKeys: String, CodingKey {
        case id
        case workload
        case time
        case fromSite = "from_site"
        case toSite = "to_site"
        case fromLocators = "from_locators"
        case toLocators = "to_locators"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let workload = Column(CodingKeys.workload)
        static let time = Column(CodingKeys.time)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One transition of one alert (table `alert_history`).
struct AlertHistoryRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "alert_history"

    var id: Int64?
    var alertID: String
    var change: String
    var kind: String
    var severity: String
    var subject: String
    var message: String
    var firstSeen: Date
    var at: Date

    enum CodingKeys: String, CodingKey {
        case id
        case alertID = "alert_id"
        case change
        case kind
        case severity
        case subject
        case message
        case firstSeen = "first_seen"
        case at
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let alertID = Column(CodingKeys.alertID)
        static let change = Column(CodingKeys.change)
        static let at = Column(CodingKeys.at)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// One acknowledgement of an alert by an operator (table `acknowledgement`).
struct AcknowledgementRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "acknowledgement"

    var id: Int64?
    var alertID: String
    var acknowledgedBy: String
    var acknowledgedAt: Date
    /// The occurrence acknowledged; nil in rows written before v5.
    var firstSeen: Date?
    var expiresAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case alertID = "alert_id"
        case acknowledgedBy = "acknowledged_by"
        case acknowledgedAt = "acknowledged_at"
        case firstSeen = "first_seen"
        case expiresAt = "expires_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let alertID = Column(CodingKeys.alertID)
        static let acknowledgedAt = Column(CodingKeys.acknowledgedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
