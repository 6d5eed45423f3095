import LocusCore

/// Where sources deliver observations.
struct ObservationSink: Sendable {
    let deliver: @Sendable ([Observation]) async -> Void

    init(_ deliver: @escaping @Sendable ([Observation]) async -> Void) {
        self.deliver = deliver
    }

    func callAsFunction(_ observations: [Observation]) async {
        await deliver(observations)
    }
}
