import Foundation

public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
    case move
    case alertRaised = "alert-raised"
    case alertCleared = "alert-cleared"
    case sourceState = "source-state"
    case migration
}

/// A change of the mapped site of a workload.
public struct Move: Sendable, Hashable, Codable {
    public var fromSite: String?
    public var toSite: String?
    public var fromLocators: [String]
    public var toLocators: [String]

    public init(fromSite: String?, toSite: String?, fromLocators: [String], toLocators: [String]) {
        self.fromSite = fromSite
        self.toSite = toSite
        self.fromLocators = fromLocators
        self.toLocators = toLocators
    }

    /// `dc-east -> dc-west (127.0.1.1 -> 127.0.2.1)`
    public var summary: String {
        let from = fromLocators.isEmpty ? "none" : fromLocators.joined(separator: ",")
        let to = toLocators.isEmpty ? "none" : toLocators.joined(separator: ",")
        return "\(fromSite ?? "no known site") -> \(toSite ?? "no known site") (\(from) -> \(to))"
    }
}

/// Something that happened, kept in the store's history and shown newest first.
public struct Event: Sendable, Hashable {
    public var time: Date
    public var kind: EventKind
    /// The workload, alert or source the event is about.
    public var subject: String
    public var detail: String
    /// Set for `move` events.
    public var move: Move?

    public init(time: Date, kind: EventKind, subject: String, detail: String, move: Move? = nil) {
        self.time = time
        self.kind = kind
        self.subject = subject
        self.detail = detail
        self.move = move
    }

    public static func move(_ move: Move, of workload: String, at time: Date) -> Event {
        Event(time: time, kind: .move, subject: workload, detail: move.summary, move: move)
    }
}
