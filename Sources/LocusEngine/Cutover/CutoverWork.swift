import LISP
import LocusCore

/// What one journaled step does. The journal keeps names; the work is rebuilt from the config and
/// the inventory each time a runner starts, resumes or rolls back.
enum CutoverWork: Sendable {
    case mover(MoverProcess)
    case mapping(MappingFollow)
    case change(any CutoverStep)
    case verify
}

/// The steps of one cutover in journal order, forward or rollback.
struct CutoverScript: Sendable {
    var steps: [(name: String, work: CutoverWork)]
    /// For verify: the mapping, the changes' end state and the TCP services that must answer.
    var mapping: MappingFollow
    var changes: [any CutoverStep]
    var services: [Endpoint]

    func work(named name: String) -> CutoverWork? {
        steps.first { $0.name == name }?.work
    }

    /// Forward: mover, mapping, each DNS record and PTR, each pool member, (firewall rules, once
    /// Locus manages them), verify.
    static func forward(
        mover: MoverProcess?,
        mapping: MappingFollow,
        changes: [any CutoverStep],
        services: [Endpoint]
    ) -> CutoverScript {
        var steps: [(name: String, work: CutoverWork)] = []
        if let mover { steps.append(("mover", .mover(mover))) }
        steps.append(("mapping", .mapping(mapping)))
        steps += changes.map { ($0.name, .change($0)) }
        steps.append(("verify", .verify))
        return CutoverScript(steps: steps, mapping: mapping, changes: changes, services: services)
    }

    /// Rollback: the compensating steps in reverse order, of the forward steps that began — pool
    /// members and records back first, then the mover back, then the mapping back at the source,
    /// then verify. `began` names the forward steps the journal shows done or running: a failed change
    /// made none (each is guarded by a prerequisite), and one somebody else changed stays theirs.
    static func rollback(
        mover: MoverProcess?,
        mapping: MappingFollow,
        changes: [any CutoverStep],
        services: [Endpoint],
        began: Set<String>
    ) -> CutoverScript {
        let undone = changes.filter { began.contains($0.name) }.reversed().map { $0.reversed() }
        var steps: [(name: String, work: CutoverWork)] = undone.map { ("rollback-" + $0.name, .change($0)) }
        let moverBegan = began.contains("mover")
        if let mover, moverBegan { steps.append(("rollback-mover", .mover(mover))) }
        let back = mapping.reversed()
        if moverBegan || began.contains("mapping") { steps.append(("rollback-mapping", .mapping(back))) }
        steps.append(("rollback-verify", .verify))
        return CutoverScript(steps: steps, mapping: back, changes: Array(undone), services: services)
    }
}
