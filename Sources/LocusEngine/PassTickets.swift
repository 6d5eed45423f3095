/// Orders the passes of one source that may overlap (a rescan beside the source's own loop): each
/// pass takes a ticket before its first await and reports only if no later pass has reported, so an
/// older reading never replaces a newer one.
struct PassTickets {
    private var issued: [String: UInt64] = [:]
    private var reported: [String: UInt64] = [:]

    /// The ticket of a pass of `source` starting now.
    mutating func issue(_ source: String) -> UInt64 {
        let ticket = (issued[source] ?? 0) + 1
        issued[source] = ticket
        return ticket
    }

    /// Whether the pass holding `ticket` may report: true once per pass, false if a later one has.
    mutating func mayReport(_ source: String, _ ticket: UInt64) -> Bool {
        guard ticket > (reported[source] ?? 0) else { return false }
        reported[source] = ticket
        return true
    }
}
