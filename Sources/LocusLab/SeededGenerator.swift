/// SplitMix64: a small, fast generator whose whole output follows from its seed, so one seed gives one lab.
///
/// Not for secrets; the lab's keys come from the system generator.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream for another purpose (world, churn), so adding a draw to one does not
    /// change the other.
    public func derived(_ purpose: UInt64) -> SeededGenerator {
        var copy = SeededGenerator(seed: state ^ (purpose &* 0xD6E8_FEB8_6659_FD93))
        _ = copy.next()
        return copy
    }
}
