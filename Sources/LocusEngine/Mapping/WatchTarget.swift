import LocusCore

/// An EID the mapping watch resolves, as a workload's inventory declares it.
struct WatchTarget: Sendable, Hashable {
    var eid: IPPrefix
    var iid: UInt32
}
