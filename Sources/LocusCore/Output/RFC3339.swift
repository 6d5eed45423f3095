import Foundation

/// Times as scripts read them: RFC 3339 in UTC, to the second (`2026-11-25T09:10:46Z`).
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
