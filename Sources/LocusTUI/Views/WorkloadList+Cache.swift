import Foundation
import LocusCore
import Synchronization

extension WorkloadList {
    private struct CacheKey: Equatable {
        var snapshot: UInt64
        var filter: String
        var sort: WorkloadSort
        var now: Date
    }

    /// The last list built, so that a key press, a render and a cursor move over one snapshot sort its
    /// workloads once rather than each time (100 000 workloads take a noticeable part of a second).
    private static let last = Mutex<(key: CacheKey, list: WorkloadList)?>(nil)

    /// The list for these inputs, reused while the snapshot, filter, sort and minute stay the same.
    static func cached(snapshot: Snapshot, filter: String, sort: WorkloadSort, now: Date) -> WorkloadList {
        let key = CacheKey(snapshot: snapshot.identity, filter: filter, sort: sort, now: now)
        if let hit = last.withLock({ $0?.key == key ? $0?.list : nil }) {
            return hit
        }
        let list = WorkloadList(snapshot: snapshot, filter: filter, sort: sort, now: now)
        last.withLock { $0 = (key, list) }
        return list
    }
}
