import LocusCore

/// What a step finds when it looks at the world, before acting or after a crash.
///
/// A step acts only on `.ready`; `.alreadyDone` means its effect is there and it must never act again
/// (a resumed cutover marks it done); `.conflict` means somebody else changed what it would change, so
/// it fails naming what it found instead of overwriting it.
public enum StepObservation: Sendable, Hashable {
    case ready(String)
    case alreadyDone(String)
    case conflict(String)

    public var isReady: Bool {
        if case .ready = self { return true }
        return false
    }
}

/// One change of a cutover (a record, a PTR, a pool member, …) that can be observed, made, and
/// reversed by the same step with `from` and `to` swapped.
public protocol CutoverStep: Sendable {
    /// What the journal calls it: `dns web-07.app.test`, `loadbalancer edge be_web/web07`.
    var name: String { get }

    func observe() async -> StepObservation

    /// Makes the change, guarded so that it does nothing unless the world is still as observed; the
    /// detail says what was done.
    func act() async throws(CutoverStepError) -> String

    /// The step that undoes this one (rollback).
    func reversed() -> Self

    /// The step that undoes this one as its journal says it went: what it found already there before
    /// it acted was not its doing, and stays.
    func reversed(after journal: MigrationStep) -> Self
}

/// Why a step could not make its change, in words an operator acts on.
public struct CutoverStepError: Error, Sendable, Hashable, CustomStringConvertible {
    public var step: String
    public var reason: String

    public init(step: String, reason: String) {
        self.step = step
        self.reason = reason
    }

    public var description: String { "\(step): \(reason)" }
}

extension CutoverStep {
    public func reversed(after journal: MigrationStep) -> Self { reversed() }

    /// Observes, and acts only when the world is as the plan expects: the one way a step is run,
    /// forward, in rollback or on resume.
    ///
    /// - Returns: what was done, or that the effect was already there.
    public func run() async throws(CutoverStepError) -> String {
        switch await observe() {
        case .alreadyDone(let detail):
            return "already done: \(detail)"
        case .conflict(let detail):
            throw CutoverStepError(step: name, reason: detail)
        case .ready:
            do {
                return try await act()
            } catch {
                // A lost answer to a change the server applied (a retransmission then finds its
                // prerequisite gone): the effect is there, and that is what counts.
                if case .alreadyDone(let detail) = await observe() { return "done (\(error.reason)): \(detail)" }
                throw error
            }
        }
    }
}
