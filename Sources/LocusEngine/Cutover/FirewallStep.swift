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
    /// The sets `from` may be deleted from; nil for all. An undo deletes the new address only where
    /// the step it undoes added it: an opening that was there before the cutover is not its own.
    public let deletable: Set<NFTSetReference>?

    public init(
        firewall: FirewallConfig,
        targets: [FirewallDependencySpec.Target],
        from: IPAddress,
        to: IPAddress,
        deletable: Set<NFTSetReference>? = nil
    ) {
        self.firewall = firewall
        self.targets = targets
        self.from = from
        self.to = to
        self.deletable = deletable
    }

    public var name: String { "firewall \(firewall.name)" }

    public func reversed() -> FirewallStep {
        FirewallStep(firewall: firewall, targets: targets, from: to, to: from)
    }

    /// The undo of what the journal says this step added: the new address is deleted only from the
    /// sets the journal shows it was added to (the plan journaled before the batch, or the changes
    /// made). Where the journal does not say — a step that failed, found its work done, or whose
    /// record was lost — the new address stays, and shows as a leftover rather than an outage.
    public func reversed(after journal: MigrationStep) -> FirewallStep {
        FirewallStep(
            firewall: firewall,
            targets: targets,
            from: to,
            to: from,
            deletable: NFTChange.sets(movedFrom: from, to: to, in: journal.detail)
        )
    }

    func plan() async -> Plan {
        let ruleset: NFTRuleset
        do {
            ruleset = try await FirewallProbe(config: firewall).ruleset()
        } catch {
            return .conflict("listing \(firewall.name): \(error)")
        }
        return Self.plan(targets, from: from, to: to, deletable: deletable, in: ruleset, firewall: firewall.name)
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
            if case .failed = error {
                throw CutoverStepError(step: name, reason: "\(firewall.name) refused the batch: \(error)")
            }
            // Timed out or lost: the batch may have been applied; the step's next look decides.
            throw CutoverStepError(step: name, reason: "applying the batch on \(firewall.name) failed: \(error)")
        }
        // An apply_command that exits 0 without applying (a wrapper that ignores its stdin) is not done.
        let after: NFTRuleset
        do {
            after = try await FirewallProbe(config: firewall).ruleset()
        } catch {
            throw CutoverStepError(
                step: name,
                reason:
                    "\(firewall.name) took the batch, and its ruleset could not be read back to confirm it: \(error)"
            )
        }
        switch Self.plan(targets, from: from, to: to, deletable: deletable, in: after, firewall: firewall.name) {
        case .done: return changes.map(\.description).joined(separator: "; ")
        case .changes(_, let left), .conflict(let left):
            throw CutoverStepError(
                step: name,
                reason: "\(firewall.name) took the batch, but its ruleset does not show it: \(left)"
            )
        }
    }
}
