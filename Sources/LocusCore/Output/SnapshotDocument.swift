import Foundation

/// The `locus snapshot --json` document (CONFIG.md, "Output for scripts"): a public contract, so
/// every key is spelled out and nullable fields are written as `null` rather than left out.
public struct SnapshotDocument: Encodable, Sendable {
    public let version = 1
    public var sources: [Source]
    public var workloads: [Workload]
    public var alerts: [Alert]
    public var events: [Event]

    enum CodingKeys: String, CodingKey {
        case version
        case sources
        case workloads
        case alerts
        case events
    }

    public init(_ snapshot: Snapshot) {
        let alertIDs = snapshot.alertIDsBySubject
        sources = snapshot.sortedSources.map(Source.init)
        workloads = snapshot.sortedWorkloads.map { Workload($0, alerts: alertIDs[$0.name] ?? []) }
        alerts = snapshot.sortedAlerts.map(Alert.init)
        events = snapshot.events.map(Event.init)
    }

    /// The document as pretty-printed UTF-8 JSON with RFC 3339 UTC times.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    public struct Source: Encodable, Sendable {
        public var name: String
        public var kind: String
        public var state: String
        public var rttMilliseconds: Double?
        public var error: String?

        init(_ health: SourceHealth) {
            name = health.name
            kind = health.kind.rawValue
            state = health.state.rawValue
            rttMilliseconds = health.rtt?.milliseconds
            error = health.lastError
        }

        enum CodingKeys: String, CodingKey {
            case name
            case kind
            case state
            case rttMilliseconds = "rtt_ms"
            case error
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(kind, forKey: .kind)
            try container.encode(state, forKey: .state)
            try container.encode(rttMilliseconds, forKey: .rttMilliseconds)
            try container.encode(error, forKey: .error)
        }
    }

    public struct Workload: Encodable, Sendable {
        public var name: String
        public var eid: String
        public var iid: UInt32
        public var site: String
        public var address: String
        public var sources: [String]
        public var mapping: Mapping
        public var dependencies: [Dependency]
        public var alerts: [String]

        init(_ workload: LocusCore.Workload, alerts: [AlertID]) {
            name = workload.name
            eid = workload.spec.eid.description
            iid = workload.spec.iid
            site = workload.spec.site
            address = workload.spec.address.description
            sources = workload.sources
            mapping = Mapping(workload.mapping)
            dependencies = workload.dependencies.map(Dependency.init)
            self.alerts = alerts.map(\.rawValue)
        }
    }

    public struct Mapping: Encodable, Sendable {
        public var state: String
        public var site: String?
        public var rlocs: [RLOC]
        public var ttlMinutes: UInt32?
        public var mapVersion: UInt16?
        public var checkedAt: Date?

        init(_ mapping: LocusCore.Mapping) {
            state = mapping.state.rawValue
            site = mapping.site
            rlocs = mapping.locators.map(RLOC.init)
            ttlMinutes = mapping.ttlMinutes
            mapVersion = mapping.mapVersion
            checkedAt = mapping.checkedAt
        }

        enum CodingKeys: String, CodingKey {
            case state
            case site
            case rlocs
            case ttlMinutes = "ttl_minutes"
            case mapVersion = "map_version"
            case checkedAt = "checked_at"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(state, forKey: .state)
            try container.encode(site, forKey: .site)
            try container.encode(rlocs, forKey: .rlocs)
            try container.encode(ttlMinutes, forKey: .ttlMinutes)
            try container.encode(mapVersion, forKey: .mapVersion)
            try container.encode(checkedAt, forKey: .checkedAt)
        }
    }

    public struct RLOC: Encodable, Sendable {
        public var address: String
        public var site: String?
        public var priority: UInt8
        public var weight: UInt8
        public var reachable: Bool

        init(_ locator: Locator) {
            address = locator.address
            site = locator.site
            priority = locator.priority
            weight = locator.weight
            reachable = locator.reachable
        }

        enum CodingKeys: String, CodingKey {
            case address
            case site
            case priority
            case weight
            case reachable
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(address, forKey: .address)
            try container.encode(site, forKey: .site)
            try container.encode(priority, forKey: .priority)
            try container.encode(weight, forKey: .weight)
            try container.encode(reachable, forKey: .reachable)
        }
    }

    public struct Dependency: Encodable, Sendable {
        public var kind: String
        public var target: String
        public var role: String
        public var state: String
        public var expected: String?
        public var observed: String?
        public var detail: String?
        public var checkedAt: Date?
        /// A firewall's opening for the workload's previous address, still there.
        public var leftover: String?

        init(_ status: DependencyStatus) {
            kind = status.kind.rawValue
            target = status.target
            role = status.role
            state = status.state.rawValue
            expected = status.expected
            observed = status.observed
            detail = status.detail
            checkedAt = status.checkedAt
            leftover = status.leftover
        }

        enum CodingKeys: String, CodingKey {
            case kind
            case target
            case role
            case state
            case expected
            case observed
            case detail
            case checkedAt = "checked_at"
            case leftover
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(target, forKey: .target)
            try container.encode(role, forKey: .role)
            try container.encode(state, forKey: .state)
            try container.encode(expected, forKey: .expected)
            try container.encode(observed, forKey: .observed)
            try container.encode(detail, forKey: .detail)
            try container.encode(checkedAt, forKey: .checkedAt)
            try container.encode(leftover, forKey: .leftover)
        }
    }

    public struct Alert: Encodable, Sendable {
        public var id: String
        public var severity: String
        public var kind: String
        public var subject: String
        public var message: String
        public var since: Date
        public var acknowledgedBy: String?
        /// When the acknowledgement lapses; null: when the alert clears (or not acknowledged).
        public var acknowledgedUntil: Date?

        init(_ alert: LocusCore.Alert) {
            id = alert.id.rawValue
            severity = alert.severity.rawValue
            kind = alert.kind.rawValue
            subject = alert.subject
            message = alert.message
            since = alert.firstSeen
            acknowledgedBy = alert.acknowledgedBy
            acknowledgedUntil = alert.acknowledgedUntil
        }

        enum CodingKeys: String, CodingKey {
            case id
            case severity
            case kind
            case subject
            case message
            case since
            case acknowledgedBy = "acknowledged_by"
            case acknowledgedUntil = "acknowledged_until"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(severity, forKey: .severity)
            try container.encode(kind, forKey: .kind)
            try container.encode(subject, forKey: .subject)
            try container.encode(message, forKey: .message)
            try container.encode(since, forKey: .since)
            try container.encode(acknowledgedBy, forKey: .acknowledgedBy)
            try container.encode(acknowledgedUntil, forKey: .acknowledgedUntil)
        }
    }

    public struct Event: Encodable, Sendable {
        public var time: Date
        public var kind: String
        public var subject: String
        public var detail: String

        init(_ event: LocusCore.Event) {
            time = event.time
            kind = event.kind.rawValue
            subject = event.subject
            detail = event.detail
        }
    }
}
