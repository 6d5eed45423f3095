import Foundation

/// Everything one round of observations did to the world, for the engine to publish and store.
public struct WorldUpdate: Sendable, Hashable {
    public var change: WorldChange
    public var correlation: CorrelationResult

    /// Moves and source-state changes, then alert transitions, as they happened.
    public var events: [Event] { change.events + correlation.events }
    public var alertTransitions: [AlertTransition] { correlation.transitions }
    public var changedMappings: [String: LastKnownMapping] { change.changedMappings }
    public var changedAddresses: [String: KnownAddress] { change.changedAddresses }
}

extension Correlator {
    /// Applies observations, re-evaluates what they touched and remembers the events: the engine's
    /// one step per round of observations.
    public func ingest(_ observations: [Observation], into world: inout World, now: Date) -> WorldUpdate {
        let change = world.apply(observations)
        let correlation = evaluate(&world, change: change, now: now)
        let update = WorldUpdate(change: change, correlation: correlation)
        world.remember(update.events)
        return update
    }

    /// Re-evaluates what time alone changed (see `evaluateDue(_:now:)`) and remembers the events.
    public func tick(_ world: inout World, now: Date) -> WorldUpdate {
        let correlation = evaluateDue(&world, now: now)
        world.remember(correlation.events)
        return WorldUpdate(change: WorldChange(), correlation: correlation)
    }
}
