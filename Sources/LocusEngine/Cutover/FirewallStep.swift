import LocusCore

/// Moves a workload's openings on one firewall from its old address to its new one: every set
/// element and every commented rule its dependencies on that firewall name, in one nft batch applied
/// through `apply_command`, so they change together or not at all.
///
/// A set's old element is deleted in the same batch the new one is added, and nft refuses a batch
/// that deletes an element not there: the batch acts only if the old opening is still as observed.
/// A rule is replaced by its handle, with its statements as read just before; a rule changed in
/// between keeps its handle, so the step re-reads the ruleset right before it applies.
public struct FirewallStep: CutoverStep {
    public let firewall: FirewallConfig
    public let targets: [FirewallDependencySpec.Target]
    public let from: IPAddress
    public let to: IPAddress
    /// Sets where `from` stays: it was there before the step this one undoes added `to` beside it.
    public let keeping: Set<NFTSetReference>

    public init(
        firewall: FirewallConfig,
        targets: [FirewallDependencySpec.Target],
        from: IPAddress,
        to: IPAddress,
        keeping: Set<NFTSetReference> = []
    ) {
        self.firewall = firewall
        self.targets = targets
        self.from = from
        self.to = to
        self.keeping = keeping
    }

    public var name: String { "firewall \(firewall.name)" }

    public func reversed() -> FirewallStep {
        FirewallStep(firewall: firewall, targets: targets, from: to, to: from)
    }

    /// The undo of what the journal says this step changed: a set where it found the new address
    /// already allowed and only deleted the old one keeps the new one (somebody opened it before).
    public func reversed(after journal: MigrationStep) -> FirewallStep {
        FirewallStep(
            firewall: firewall,
            targets: targets,
            from: to,
            to: from,
            keeping: NFTChange.setsOnlyDeleting(from, in: journal.detail)
        )
    }

    /// What each target needs, from a fresh listing: the changes to make, or why none can be made.
    enum Plan {
        case changes([NFTChange], String)
        case done(String)
        case conflict(String)
    }

    func plan() async -> Plan {
        let ruleset: NFTRuleset
        do {
            ruleset = try await FirewallProbe(config: firewall).ruleset()
        } catch {
            return .conflict("listing \(firewall.name): \(error)")
        }
        return Self.plan(targets, from: from, to: to, keeping: keeping, in: ruleset, firewall: firewall.name)
    }

    static func plan(
        _ targets: [FirewallDependencySpec.Target],
        from: IPAddress,
        to: IPAddress,
        keeping: Set<NFTSetReference> = [],
        in ruleset: NFTRuleset,
        firewall: String
    ) -> Plan {
        var changes: [NFTChange] = []
        var changedSets: Set<NFTSetReference> = []
        var done: [String] = []
        // A set named by a dependency and by a rule that refers to it changes once.
        func change(_ set: NFTSet) {
            guard changedSets.insert(set.reference).inserted else { return }
            let deletesOld = !keeping.contains(set.reference) && set.elements.contains { $0.isExactly(from) }
            changes.append(.element(set.reference, add: set.contains(to) ? nil : to, delete: deletesOld ? from : nil))
        }
        for target in targets {
            switch target {
            case .set(let reference):
                guard let set = ruleset.set(reference) else { return .conflict("\(firewall) has no set \(reference)") }
                let deletesOld = !keeping.contains(reference) && set.elements.contains { $0.isExactly(from) }
                if set.contains(to) && !deletesOld {
                    done.append("set \(reference) holds \(set.element(holding: to)?.description ?? to.description)")
                } else if deletesOld || set.contains(from) {
                    change(set)
                } else {
                    return .conflict("set \(reference) holds neither \(from) nor \(to): somebody changed it")
                }
            case .ruleComment(let comment):
                let rules = ruleset.rules(commented: comment)
                guard !rules.isEmpty else { return .conflict("\(firewall) has no rule commented \"\(comment)\"") }
                for rule in rules {
                    let viaSet = ruleset.sets(referencedBy: rule).filter { set in
                        set.elements.contains { $0.isExactly(from) } && !keeping.contains(set.reference)
                    }
                    if rule.matchedAddresses.contains(from) {
                        changes.append(.rule(rule, old: from, new: to))
                    } else if !viaSet.isEmpty {
                        viaSet.forEach(change)
                    } else if ruleset.rule(rule, matches: to) {
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

    public func observe() async -> StepObservation {
        switch await plan() {
        case .changes(_, let detail): .ready(detail)
        case .done(let detail): .alreadyDone(detail)
        case .conflict(let detail): .conflict(detail)
        }
    }

    public func act() async throws(CutoverStepError) -> String {
        let changes: [NFTChange]
        switch await plan() {
        case .changes(let planned, _): changes = planned
        case .done(let detail): return "already done: \(detail)"
        case .conflict(let detail): throw CutoverStepError(step: name, reason: detail)
        }
        let batch: String
        do {
            batch = try NFTBatch.text(for: changes)
        } catch {
            throw CutoverStepError(step: name, reason: "cannot rewrite a rule holding \(error); change it by hand")
        }
        do {
            _ = try await FirewallCommand(arguments: firewall.applyCommand, timeout: firewall.timeout).run(input: batch)
        } catch {
            throw CutoverStepError(step: name, reason: "\(firewall.name) refused the batch: \(error)")
        }
        // An apply_command that exits 0 without applying (a wrapper that ignores its stdin) is not done.
        switch await plan() {
        case .done: return changes.map(\.description).joined(separator: "; ")
        case .changes(_, let left), .conflict(let left):
            throw CutoverStepError(
                step: name,
                reason: "\(firewall.name) took the batch, but its ruleset does not show it: \(left)"
            )
        }
    }
}
