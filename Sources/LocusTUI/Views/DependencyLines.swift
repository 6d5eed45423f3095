import Foundation
import LocusCore

/// A dependency in the detail pane: its state as a mark and a word, then, indented, its last
/// check — what was asked, what came back, when, how long it took — so an operator can tell a
/// record left behind by a move from a server that did not answer.
enum DependencyLines {
    static func lines(_ dependency: DependencyStatus, data: LiveData, lineDrawing: LineDrawing) -> [StyledLine] {
        var text = "\(dependency.state.rawValue)  \(dependency.kind.rawValue) \(dependency.target)"
        if dependency.kind == .tcp, !dependency.role.isEmpty { text += "  \(dependency.role)" }
        var lines: [StyledLine] = [.marked(mark(dependency.state), [Span(text)], lineDrawing: lineDrawing)]
        let check = lastCheck(dependency, data: data)
        if !check.isEmpty {
            lines.append(StyledLine("    " + check.joined(separator: "  "), style: .muted))
        }
        return lines
    }

    static func mark(_ state: DependencyStatus.State) -> StateMark {
        switch state {
        case .ok: return .ok
        case .unknown: return .unknown
        case .maint: return .warn
        case .stale, .missing, .down, .unreachable: return .crit
        }
    }

    private static func lastCheck(_ dependency: DependencyStatus, data: LiveData) -> [String] {
        var parts: [String] = []
        if let expected = dependency.expected { parts.append("asked \(expected)") }
        if let observed = dependency.observed {
            parts.append("got \(observed)" + (dependency.observedIsPreviousAddress ? " (old address)" : ""))
        }
        if let detail = dependency.detail { parts.append(detail) }
        if let checkedAt = dependency.checkedAt {
            let clock = CoarseText.clock(checkedAt, in: data.timeZone)
            parts.append("at \(clock) (\(CoarseText.ago(since: checkedAt, now: data.now)))")
        }
        if let rtt = dependency.rtt { parts.append("rtt " + CoarseText.rtt(rtt)) }
        if dependency.kind == .dns || dependency.kind == .ptr, let ttl = dependency.ttl {
            var text = "ttl \(ttl.components.seconds)s"
            if let threshold = dependency.ttlThreshold, ttl > threshold {
                text += " (above \(threshold.components.seconds)s)"
            }
            parts.append(text)
        }
        return parts
    }
}
