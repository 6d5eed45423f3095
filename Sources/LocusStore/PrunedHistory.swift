import Foundation

/// What one pruning of the history deleted, row counts per table, for the log.
public struct PrunedHistory: Sendable, Hashable, CustomStringConvertible {
    public var events: Int
    public var moves: Int
    public var alertTransitions: Int
    public var acknowledgements: Int

    public init(events: Int = 0, moves: Int = 0, alertTransitions: Int = 0, acknowledgements: Int = 0) {
        self.events = events
        self.moves = moves
        self.alertTransitions = alertTransitions
        self.acknowledgements = acknowledgements
    }

    public var isEmpty: Bool { events + moves + alertTransitions + acknowledgements == 0 }

    public var description: String {
        "\(events) events, \(moves) moves, \(alertTransitions) alert transitions, \(acknowledgements) acknowledgements"
    }
}
