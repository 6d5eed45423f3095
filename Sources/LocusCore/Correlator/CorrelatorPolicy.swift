import Foundation

/// The thresholds the correlator judges by.
public struct CorrelatorPolicy: Sendable, Hashable {
    /// A workload that moved more than this many times within `flappingWindow` is flapping.
    public var flappingMoves: Int
    public var flappingWindow: Duration

    public init(flappingMoves: Int = 3, flappingWindow: Duration = .seconds(600)) {
        self.flappingMoves = flappingMoves
        self.flappingWindow = flappingWindow
    }

    /// The oldest a move can be and still count towards flapping at `now`.
    public func flappingWindowStart(at now: Date) -> Date {
        now.addingTimeInterval(-flappingWindow.seconds)
    }
}
