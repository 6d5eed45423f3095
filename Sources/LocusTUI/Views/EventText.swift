import LocusCore

/// How an event reads on screen: a move as `moved NAME FROM → TO` with the site names.
public enum EventText {
    public static func kindWord(_ kind: EventKind) -> String {
        switch kind {
        case .move: return "move"
        case .alertRaised: return "raised"
        case .alertCleared: return "cleared"
        case .sourceState: return "source"
        case .migration: return "migration"
        }
    }

    public static func summary(_ event: Event, lineDrawing: LineDrawing = .unicode) -> String {
        let arrow = lineDrawing == .unicode ? "→" : "->"
        switch event.kind {
        case .move:
            guard let move = event.move else { return "moved \(event.subject) \(event.detail)" }
            let from = move.fromSite ?? move.fromLocators.first ?? "nowhere"
            let to = move.toSite ?? move.toLocators.first ?? "nowhere"
            return "moved \(event.subject) \(from) \(arrow) \(to)"
        case .alertRaised, .alertCleared:
            // The subject is the alert id (`locator-mismatch:web-07`); the detail names the workload.
            let kind = event.subject.split(separator: ":").first.map(String.init) ?? event.subject
            return "\(kind) \(event.detail)"
        case .sourceState:
            return "source \(event.subject): \(event.detail)"
        case .migration:
            return "migration \(event.subject): \(event.detail)"
        }
    }

    /// The mark of an event, so kinds differ without colour.
    public static func mark(_ kind: EventKind) -> StateMark {
        switch kind {
        case .move: return .info
        case .alertRaised: return .warn
        case .alertCleared: return .ok
        case .sourceState: return .unknown
        case .migration: return .info
        }
    }
}
