import Foundation

/// How long something lasts or is still to wait, as an operator says it: `45s`, `12m`, `3h 12m`, `2d 5h`.
public enum SpanText {
    /// Two units at most, rounded down: a wait that says "3h 12m" is never shorter than it says.
    public static func span(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60)
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(total)s"
    }
}
