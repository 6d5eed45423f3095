import Foundation
import LocusCore

/// Texts for values that change by themselves (ages, round-trip times), at a granularity that
/// keeps an idle screen still: ages in whole minutes, hours or days, RTTs in 1-2-5 steps.
public enum CoarseText {
    /// `now` under a minute, then `5m`, `3h`, `2d`.
    public static func age(since time: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(time)
        guard seconds >= 60 else { return "now" }
        let minutes = Int(seconds / 60)
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours)h" }
        return "\(hours / 24)d"
    }

    /// The age as a phrase: `just now`, `5m ago`, `3h ago`.
    public static func ago(since time: Date, now: Date) -> String {
        let age = age(since: time, now: now)
        return age == "now" ? "just now" : "\(age) ago"
    }

    /// `<1ms`, then the 1-2-5 step at or below it: `1ms`, `2ms`, `5ms`, `10ms`, … `5s`.
    public static func rtt(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        guard milliseconds >= 1 else { return "<1ms" }
        var step = 1.0
        var best = 1.0
        while step <= milliseconds {
            for factor in [1.0, 2.0, 5.0] where step * factor <= milliseconds {
                best = step * factor
            }
            step *= 10
        }
        return best >= 1000 ? "\(Int(best / 1000))s" : "\(Int(best))ms"
    }

    /// The start of the minute holding `date`: what the dashboard measures ages from.
    public static func minute(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }

    /// `HH:MM` of `date` in `timeZone`.
    public static func clock(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
