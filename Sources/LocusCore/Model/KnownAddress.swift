/// The address a workload was last declared with, and the one before it, as the store keeps them: so a
/// record left at the old address after a re-IP is recognised as such by any later process, not only by
/// the one that saw the inventory change.
public struct KnownAddress: Sendable, Hashable {
    public var address: IPAddress
    public var previous: IPAddress?

    public init(address: IPAddress, previous: IPAddress? = nil) {
        self.address = address
        self.previous = previous
    }
}
