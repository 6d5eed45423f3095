import LocusCore
import LocusStore

/// Why an acknowledgement was not taken, in words for the status line.
public enum AcknowledgeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The alert is not raised: there is nothing to acknowledge, and nothing is kept for later.
    case notRaised(AlertID)
    /// It cleared or came back as a new occurrence while the store was writing; the store's
    /// acknowledgement covers the occurrence that ended.
    case endedMeanwhile(AlertID)
    case store(HistoryStoreError)

    public var description: String {
        switch self {
        case .notRaised(let id): "\(id) is not raised (it cleared); nothing was acknowledged"
        case .endedMeanwhile(let id): "\(id) cleared while the acknowledgement was being written; it covers nothing now"
        case .store(let error): "the store did not take the acknowledgement: \(error)"
        }
    }
}
