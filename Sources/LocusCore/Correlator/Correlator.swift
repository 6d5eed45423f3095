import Foundation

/// Turns the state of the world into alerts, looking only at what changed.
///
/// Pure: the time is passed in and nothing is read or written outside the world it is given.
public struct Correlator: Sendable {
    public var policy: CorrelatorPolicy

    public init(policy: CorrelatorPolicy = CorrelatorPolicy()) {
        self.policy = policy
    }

    /// What an alert should look like now, before it is merged with the one already raised.
    struct Finding: Hashable {
        var kind: AlertKind
        var severity: AlertSeverity
        var message: String
    }

    /// Re-evaluates what `change` touched and updates `world.alerts`.
    public func evaluate(_ world: inout World, change: WorldChange, now: Date) -> CorrelationResult {
        evaluate(&world, workloads: change.touchedWorkloads, sources: change.touchedSources, now: now)
    }

    /// Re-evaluates exactly the given workloads and sources.
    public func evaluate(
        _ world: inout World,
        workloads: Set<String>,
        sources: Set<String>,
        now: Date
    ) -> CorrelationResult {
        evaluate(&world, workloads: workloads, sources: sources, now: now, judgingSeeded: false)
    }

    /// - Parameter judgingSeeded: whether alerts taken over from the store are cleared when their
    ///   finding is gone even though nothing here observed what they are about.
    func evaluate(
        _ world: inout World,
        workloads: Set<String>,
        sources: Set<String>,
        now: Date,
        judgingSeeded: Bool
    ) -> CorrelationResult {
        var result = CorrelationResult(evaluatedWorkloads: workloads, evaluatedSources: sources)
        // Sorted so that the transitions (and the events and history made of them) come in a stable order.
        for name in workloads.sorted() {
            let findings: [Finding]
            if world.workloads[name] != nil {
                findings = workloadFindings(&world, name: name, now: now)
            } else {
                world.reevaluationDeadlines[name] = nil
                findings = []
            }
            reconcile(
                &world,
                subject: name,
                kinds: AlertKind.workloadKinds,
                findings: findings,
                now: now,
                judgingSeeded: judgingSeeded,
                into: &result
            )
        }
        for name in sources.sorted() {
            reconcile(
                &world,
                subject: name,
                kinds: AlertKind.sourceKinds,
                findings: sourceFindings(world, name: name),
                now: now,
                judgingSeeded: judgingSeeded,
                into: &result
            )
        }
        return result
    }

    /// Re-evaluates the workloads whose alerts may have changed with time alone: registrations growing
    /// stale and moves leaving the flapping window. Call it every few seconds.
    public func evaluateDue(_ world: inout World, now: Date) -> CorrelationResult {
        let due = Set(world.reevaluationDeadlines.lazy.filter { $0.value <= now }.map(\.key))
        guard !due.isEmpty else { return CorrelationResult() }
        return evaluate(&world, workloads: due, sources: [], now: now)
    }

    /// Brings the alerts of one subject in line with the findings.
    private func reconcile(
        _ world: inout World,
        subject: String,
        kinds: [AlertKind],
        findings: [Finding],
        now: Date,
        judgingSeeded: Bool,
        into result: inout CorrelationResult
    ) {
        for kind in kinds {
            let id = AlertID(kind: kind, subject: subject)
            let existing = world.alerts[id]
            let finding = findings.first { $0.kind == kind }
            switch (existing, finding) {
            case (nil, nil):
                continue
            case (_?, nil)
            where !judgingSeeded && world.seededAlerts.contains(id) && !world.hasEvidence(for: kind, about: subject):
                // Not seen here yet is not the same as gone: an earlier process saw it.
                continue
            case (nil, let finding?):
                // A new occurrence: whatever was acknowledged before does not cover it.
                let alert = Alert(
                    kind: kind,
                    severity: finding.severity,
                    subject: subject,
                    message: finding.message,
                    firstSeen: now
                )
                world.alerts[id] = alert
                record(AlertTransition(change: .raised, alert: alert, at: now), into: &result)
            case (var alert?, let finding?):
                world.seededAlerts.remove(id)
                alert.lastSeen = now
                let changed = alert.severity != finding.severity || alert.message != finding.message
                alert.severity = finding.severity
                alert.message = finding.message
                world.alerts[id] = alert
                if changed {
                    record(AlertTransition(change: .updated, alert: alert, at: now), into: &result)
                }
            case (let alert?, nil):
                world.seededAlerts.remove(id)
                // Its acknowledgement goes with it: if the cause comes back, it is news again.
                world.alerts[id] = nil
                record(AlertTransition(change: .cleared, alert: alert, at: now), into: &result)
            }
        }
    }

    private func record(_ transition: AlertTransition, into result: inout CorrelationResult) {
        result.transitions.append(transition)
        if let event = transition.event {
            result.events.append(event)
        }
    }
}
