#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local wall clock, to the minute, and how long until it next changes.
enum WallClock {
    static func now() -> ClockTime {
        var seconds = time(nil)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return ClockTime(hour: Int(parts.tm_hour), minute: Int(parts.tm_min))
    }

    /// Nanoseconds until the next minute starts, plus a little so the wake-up lands after it.
    static func nanosecondsToNextMinute() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let intoMinute = UInt64(now.tv_sec % 60) * 1_000_000_000 + UInt64(now.tv_nsec)
        return 60 * 1_000_000_000 - intoMinute + 20_000_000
    }
}
