import LocusCore

extension FirewallProbe {
    /// A workload whose address changed, as one firewall sees it.
    public struct Departure: Sendable, Hashable {
        public var workload: String
        public var previousAddress: IPAddress
        /// The sets its own dependencies watch on this firewall, where their status says it already.
        public var ownSets: Set<NFTSetReference>

        public init(workload: String, previousAddress: IPAddress, ownSets: Set<NFTSetReference> = []) {
            self.workload = workload
            self.previousAddress = previousAddress
            self.ownSets = ownSets
        }
    }

    /// The sets `workload`'s dependencies on `firewall` watch: those they name, and those the rules
    /// they name refer to (`ip saddr @admins`).
    public static func watchedSets(
        of workload: InventoryWorkload,
        on firewall: String,
        in ruleset: NFTRuleset
    ) -> Set<NFTSetReference> {
        var sets: Set<NFTSetReference> = []
        for case .firewall(let spec) in workload.dependencies where spec.firewall == firewall {
            switch spec.target {
            case .set(let reference):
                sets.insert(reference)
            case .ruleComment(let comment):
                for rule in ruleset.rules(commented: comment) {
                    sets.formUnion(ruleset.sets(referencedBy: rule).map(\.reference))
                }
            }
        }
        return sets
    }

    /// Every departed address still an element of one of the `watched` sets, by the workload that
    /// left it. Only exact elements count: an interval others need is not a leftover of anyone.
    /// Departures whose address another workload has now must be left out by the caller.
    public static func leftovers(
        in ruleset: NFTRuleset,
        firewall: String,
        watched: Set<NFTSetReference>,
        departures: [Departure]
    ) -> [String: [FirewallLeftover]] {
        let byAddress = Dictionary(grouping: departures, by: \.previousAddress)
        guard !byAddress.isEmpty else { return [:] }
        var found: [String: [FirewallLeftover]] = [:]
        for reference in watched.sorted(by: { $0.description < $1.description }) {
            guard let set = ruleset.set(reference) else { continue }
            for case .address(let address) in set.elements {
                for departure in byAddress[address] ?? [] where !departure.ownSets.contains(reference) {
                    found[departure.workload, default: []].append(
                        FirewallLeftover(firewall: firewall, set: reference, address: address)
                    )
                }
            }
        }
        return found
    }
}
