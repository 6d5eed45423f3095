/// What one pass of the correlator did.
public struct CorrelationResult: Sendable, Hashable {
    /// Alerts raised, updated and cleared, in that order within each subject.
    public var transitions: [AlertTransition]
    /// `alert-raised` and `alert-cleared` events for the transitions.
    public var events: [Event]
    /// The workloads it looked at: exactly the touched ones (plus those whose time was due).
    public var evaluatedWorkloads: Set<String>
    public var evaluatedSources: Set<String>

    public init(
        transitions: [AlertTransition] = [],
        events: [Event] = [],
        evaluatedWorkloads: Set<String> = [],
        evaluatedSources: Set<String> = []
    ) {
        self.transitions = transitions
        self.events = events
        self.evaluatedWorkloads = evaluatedWorkloads
        self.evaluatedSources = evaluatedSources
    }

    public var raised: [Alert] { transitions.filter { $0.change == .raised }.map(\.alert) }
    public var updated: [Alert] { transitions.filter { $0.change == .updated }.map(\.alert) }
    public var cleared: [Alert] { transitions.filter { $0.change == .cleared }.map(\.alert) }

    public mutating func merge(_ other: CorrelationResult) {
        transitions.append(contentsOf: other.transitions)
        events.append(contentsOf: other.events)
        evaluatedWorkloads.formUnion(other.evaluatedWorkloads)
        evaluatedSources.formUnion(other.evaluatedSources)
    }
}
