/// A workload's previous address still an element of a set some dependency watches, while no
/// workload has that address now: an opening nobody needs any more, named after who left it.
public struct FirewallLeftover: Sendable, Hashable, CustomStringConvertible {
    public var firewall: String
    public var set: NFTSetReference
    public var address: IPAddress

    public init(firewall: String, set: NFTSetReference, address: IPAddress) {
        self.firewall = firewall
        self.set = set
        self.address = address
    }

    public var description: String { "\(firewall) set \(set) still allows \(address), its previous address" }
}
