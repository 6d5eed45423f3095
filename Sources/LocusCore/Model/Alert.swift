import Foundation

public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info
    case warning
    case critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

public enum AlertKind: String, Sendable, Hashable, Codable, CaseIterable {
    case mappingMissing = "mapping-missing"
    case locatorMismatch = "locator-mismatch"
    case locatorDown = "locator-down"
    case registrationStale = "registration-stale"
    case sourceDown = "source-down"
    case flapping
    case inventoryInvalid = "inventory-invalid"
    /// Two inventory sources describe the same workload with different addresses.
    case inventoryConflict = "inventory-conflict"
    case dnsStale = "dns-stale"
    case dnsMissing = "dns-missing"
    case ptrStale = "ptr-stale"
    case lbStale = "lb-stale"
    case lbMemberDown = "lb-member-down"
    case dependencyUnreachable = "dependency-unreachable"
    case dnsTTLHigh = "dns-ttl-high"
    /// A firewall set or rule still allows the workload's previous address and not its current one.
    case firewallStale = "firewall-stale"
    /// A firewall set or rule allows neither the workload's current address nor its previous one.
    case firewallMissing = "firewall-missing"
    /// A firewall still allows a workload's previous address beside its current one: an opening nobody needs.
    case firewallLeftover = "firewall-leftover"
    /// A completed migration moved the workload and its inventory still says where it was (info).
    case inventoryOutdated = "inventory-outdated"

    /// Kinds whose subject is a workload; the others are about a source.
    public static let workloadKinds: [AlertKind] = [
        .mappingMissing, .locatorMismatch, .locatorDown, .registrationStale, .flapping, .inventoryConflict,
        .dnsStale, .dnsMissing, .ptrStale, .lbStale, .lbMemberDown, .dependencyUnreachable, .dnsTTLHigh,
        .inventoryOutdated, .firewallStale, .firewallMissing, .firewallLeftover,
    ]
    public static let sourceKinds: [AlertKind] = [.sourceDown, .inventoryInvalid]
}

/// An alert's identity: the same cause on the same subject always gets the same id
/// (`locator-mismatch:web-07`), so acknowledgements and history follow it across processes.
public struct AlertID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(kind: AlertKind, subject: String) {
        self.rawValue = "\(kind.rawValue):\(subject)"
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Something an operator should look at, raised and cleared by the correlator.
public struct Alert: Sendable, Hashable, Identifiable {
    public var id: AlertID
    public var kind: AlertKind
    public var severity: AlertSeverity
    /// The workload or source name.
    public var subject: String
    /// What is wrong and where to look, in words an operator can act on.
    public var message: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var acknowledgedBy: String?
    public var acknowledgedAt: Date?
    /// When the acknowledgement lapses and the alert counts again; nil: when the alert clears.
    public var acknowledgedUntil: Date?

    public init(
        kind: AlertKind,
        severity: AlertSeverity,
        subject: String,
        message: String,
        firstSeen: Date,
        lastSeen: Date? = nil,
        acknowledgedBy: String? = nil,
        acknowledgedAt: Date? = nil,
        acknowledgedUntil: Date? = nil
    ) {
        self.id = AlertID(kind: kind, subject: subject)
        self.kind = kind
        self.severity = severity
        self.subject = subject
        self.message = message
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen ?? firstSeen
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedUntil = acknowledgedUntil
    }

    public var isAcknowledged: Bool { acknowledgedBy != nil }
}

/// An operator's acknowledgement of one occurrence of an alert.
public struct Acknowledgement: Sendable, Hashable, Codable {
    public var alertID: AlertID
    public var by: String
    public var at: Date
    /// The first-seen time of the occurrence acknowledged; nil when the store does not keep it (it
    /// then keeps only acknowledgements no clear has followed).
    public var firstSeen: Date?
    /// When it lapses (`x` then a duration); nil: it holds until the alert clears.
    public var expiresAt: Date?

    public init(alertID: AlertID, by: String, at: Date, firstSeen: Date? = nil, expiresAt: Date? = nil) {
        self.alertID = alertID
        self.by = by
        self.at = at
        self.firstSeen = firstSeen
        self.expiresAt = expiresAt
    }
}
