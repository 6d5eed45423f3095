import LISP
import LocusCore

/// What one journaled step does. The journal keeps names; the work is rebuilt from the config and
/// the inventory each time a runner starts, resumes or rolls back.
enum CutoverWork: Sendable {
    /// The mover, and where its effect shows: the mapping at the site it moves the workload to. The
    /// mover never runs while that is already so.
    case mover(MoverProcess, effect: MappingFollow)
    case mapping(MappingFollow)
    /// `leavingConflicts`: the undo of a change that failed without acting, so a value somebody else
    /// wrote is theirs and stays.
    case change(any CutoverStep, leavingConflicts: Bool)
    case verify
}

/// The steps of one cutover in journal order, forward or rollback.
struct CutoverScript: Sendable {
    var steps: [(name: String, work: CutoverWork)]
    /// For verify: the mapping, the changes' end state and the TCP services that must answer.
    var mapping: MappingFollow
    var changes: [any CutoverStep]
    var services: [Endpoint]

    /// Forward: mover, mapping, each DNS record and PTR, each pool member, each firewall, verify.
    static func forward(
        mover: MoverProcess?,
        mapping: MappingFollow,
        changes: [any CutoverStep],
        services: [Endpoint]
    ) -> CutoverScript {
        var steps: [(name: String, work: CutoverWork)] = []
        if let mover { steps.append(("mover", .mover(mover, effect: mapping))) }
        steps.append(("mapping", .mapping(mapping)))
        steps += changes.map { ($0.name, .change($0, leavingConflicts: false)) }
        steps.append(("verify", .verify))
        return CutoverScript(steps: steps, mapping: mapping, changes: changes, services: services)
    }

    /// Rollback: the compensating steps in reverse order, of the forward steps that began — pool
    /// members and records back first, then the mover back, then the mapping back at the source,
    /// then verify. `began` maps each forward step the journal shows past planned to its record.
    static func rollback(
        mover: MoverProcess?,
        mapping: MappingFollow,
        changes: [any CutoverStep],
        services: [Endpoint],
        began: [String: MigrationStep]
    ) -> CutoverScript {
        let undone: [(reverse: any CutoverStep, failed: Bool)] = changes.reversed().compactMap {
            change -> (reverse: any CutoverStep, failed: Bool)? in
            guard let journal = began[change.name] else { return nil }
            return (change.reversed(after: journal), journal.state == .failed)
        }
        var steps: [(name: String, work: CutoverWork)] = undone.map {
            ("rollback-" + $0.reverse.name, .change($0.reverse, leavingConflicts: $0.failed))
        }
        let back = mapping.reversed()
        let moverBegan = began["mover"] != nil
        if let mover, moverBegan { steps.append(("rollback-mover", .mover(mover, effect: back))) }
        if moverBegan || began["mapping"] != nil { steps.append(("rollback-mapping", .mapping(back))) }
        steps.append(("rollback-verify", .verify))
        let verified = undone.filter { !$0.failed }.map(\.reverse)
        return CutoverScript(steps: steps, mapping: back, changes: verified, services: services)
    }
}
