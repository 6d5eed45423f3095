/// Counters of the engine's work, for tests and `locus bench`.
public struct EngineStatistics: Sendable, Hashable {
    /// Observations applied to the world since the start.
    public var observationsApplied = 0
    /// Non-empty rounds of observations applied.
    public var batchesApplied = 0
    /// The version of the last snapshot published.
    public var snapshotsPublished: UInt64 = 0
}
