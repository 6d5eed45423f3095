import LocusCore

/// The header's source health: `● ok`, `◐ slow`, `○ down`, with a coarse RTT.
public enum SourceHealthText {
    public static func symbol(_ state: SourceState, lineDrawing: LineDrawing) -> String {
        switch (state, lineDrawing) {
        case (.ok, .unicode): return "●"
        case (.slow, .unicode): return "◐"
        case (.down, .unicode): return "○"
        case (.ok, _): return "+"
        case (.slow, _): return "~"
        case (.down, _): return "-"
        }
    }

    public static func role(_ state: SourceState) -> Role {
        switch state {
        case .ok: return .ok
        case .slow: return .warn
        case .down: return .crit
        }
    }

    /// `mr ● <1ms`, or `mr ○ down`.
    public static func text(_ source: SourceHealth, rtt: Duration?, lineDrawing: LineDrawing) -> String {
        var text = source.name + " " + symbol(source.state, lineDrawing: lineDrawing)
        if source.state == .down {
            text += " down"
        } else if let rtt {
            text += " " + CoarseText.rtt(rtt)
        }
        if source.state == .slow {
            text += " slow"
        }
        return text
    }
}
