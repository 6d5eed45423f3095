import LocusCore

extension FirewallStep {
    /// What each target needs, from a fresh listing: the changes to make, or why none can be made.
    enum Plan {
        case changes([NFTChange], String)
        case done(String)
        case conflict(String)
    }

    /// The changes that move every target from `from` to `to` in `ruleset`. A set named by a
    /// dependency and by a rule that refers to it changes once; a rule that names the address
    /// itself and through a set changes in both.
    static func plan(
        _ targets: [FirewallDependencySpec.Target],
        from: IPAddress,
        to: IPAddress,
        deletable: Set<NFTSetReference>? = nil,
        in ruleset: NFTRuleset,
        firewall: String
    ) -> Plan {
        var changes: [NFTChange] = []
        var changedSets: Set<NFTSetReference> = []
        var done: [String] = []
        func deletes(from set: NFTSet) -> Bool {
            (deletable?.contains(set.reference) ?? true) && set.elements.contains { $0.isExactly(from) }
        }
        /// Whether the set needs or already has a change in this plan.
        func change(_ set: NFTSet) -> Bool {
            if changedSets.contains(set.reference) { return true }
            let add = set.contains(to) ? nil : to
            let delete = deletes(from: set) ? from : nil
            guard add != nil || delete != nil else { return false }
            changedSets.insert(set.reference)
            changes.append(.element(set.reference, add: add, delete: delete))
            return true
        }
        for target in targets {
            switch target {
            case .set(let reference):
                guard let set = ruleset.set(reference) else { return .conflict("\(firewall) has no set \(reference)") }
                if set.contains(to) && !deletes(from: set) {
                    done.append("set \(reference) holds \(set.element(holding: to)?.description ?? to.description)")
                } else if !(set.contains(from) && change(set)) {
                    return .conflict("set \(reference) holds neither \(from) nor \(to): somebody changed it")
                }
            case .ruleComment(let comment):
                let rules = ruleset.rules(commented: comment)
                guard !rules.isEmpty else { return .conflict("\(firewall) has no rule commented \"\(comment)\"") }
                for rule in rules {
                    var changed = false
                    if rule.matchedAddresses.contains(from) {
                        changes.append(.rule(rule, old: from, new: to))
                        changed = true
                    }
                    for set in ruleset.sets(referencedBy: rule)
                    where set.elements.contains(where: { $0.isExactly(from) }) {
                        changed = change(set) || changed
                    }
                    if changed { continue }
                    if ruleset.rule(rule, matches: to) {
                        done.append("rule \(rule.location) matches \(to)")
                    } else if ruleset.rule(rule, matches: from) {
                        return .conflict(
                            "rule \(rule.location) \"\(comment)\" takes \(from) through a prefix or range; change it by hand"
                        )
                    } else {
                        return .conflict(
                            "rule \(rule.location) \"\(comment)\" matches neither \(from) nor \(to): somebody changed it"
                        )
                    }
                }
            }
        }
        guard !changes.isEmpty else { return .done(done.joined(separator: "; ")) }
        return .changes(changes, changes.map(\.description).joined(separator: "; "))
    }
}
