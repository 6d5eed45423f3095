import Foundation

/// Why a `maintenance_window` text such as `"Sat 22:00-Sun 04:00 UTC"` was refused.
public struct MaintenanceWindowSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "bad maintenance window \"\(text)\": \(reason)" }
}

/// `[approvals] maintenance_window`: a weekly span of wall-clock time in one zone, during which an
/// approved cutover may start.
///
/// The span is read on the zone's wall clock, so `Sun 01:00-Sun 05:00 Europe/Berlin` opens at 01:00
/// local time on either side of a daylight-saving change; it may wrap over the end of the week
/// (`Sat 22:00-Sun 04:00`, `Sun 20:00-Mon 02:00`).
public struct MaintenanceWindow: Sendable, Hashable, CustomStringConvertible {
    /// A moment of the week on the wall clock, in seconds since Monday 00:00.
    struct WeekTime: Sendable, Hashable, Comparable {
        /// 0 for Monday … 6 for Sunday.
        var day: Int
        var hour: Int
        var minute: Int

        var seconds: Int { ((day * 24 + hour) * 60 + minute) * 60 }

        static func < (lhs: WeekTime, rhs: WeekTime) -> Bool { lhs.seconds < rhs.seconds }
    }

    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let example = "like \"Sat 22:00-Sun 04:00 UTC\""

    /// As the operator wrote it.
    public let text: String
    public let timeZone: TimeZone
    let opens: WeekTime
    let closes: WeekTime

    /// Parses `DAY HH:MM-DAY HH:MM ZONE`: days `Mon`…`Sun` in any case, a 24-hour clock, and `UTC` or
    /// an IANA zone name.
    public init(parsing text: String) throws(MaintenanceWindowSyntaxError) {
        func refuse(_ reason: String) -> MaintenanceWindowSyntaxError {
            MaintenanceWindowSyntaxError(text: text, reason: reason)
        }
        let shape = "expected DAY HH:MM-DAY HH:MM ZONE, \(Self.example)"
        let trimmed = text.trimmingWhitespace
        // The zone goes first: IANA names may hold a `-` (America/Port-au-Prince), the span never a space
        // at its end.
        guard let lastSpace = trimmed.lastIndex(where: \.isWhitespace) else { throw refuse(shape) }
        let zoneName = String(trimmed[trimmed.index(after: lastSpace)...])
        let span = trimmed[..<lastSpace]
        let ends = span.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2 else { throw refuse(shape) }
        let opens = try Self.weekTime(ends[0], shape: shape, refuse: refuse)
        let closes = try Self.weekTime(ends[1], shape: shape, refuse: refuse)
        guard opens != closes else {
            throw refuse("it opens and closes at the same time; write when it closes")
        }
        let zone = zoneName.uppercased() == "UTC" ? TimeZone(identifier: "UTC") : TimeZone(identifier: zoneName)
        guard let zone else {
            throw refuse(
                "unknown time zone \"\(zoneName)\"; expected UTC or an IANA name such as Europe/Berlin"
            )
        }
        self.text = text
        self.timeZone = zone
        self.opens = opens
        self.closes = closes
    }

    public var description: String { text }

    /// Whether a cutover may start at `date`.
    public func isOpen(at date: Date) -> Bool {
        let now = secondsIntoWeek(date)
        if opens < closes { return now >= opens.seconds && now < closes.seconds }
        return now >= opens.seconds || now < closes.seconds
    }

    /// `date` itself while the window is open, otherwise the first moment after it when it opens.
    public func nextOpening(after date: Date) -> Date {
        if isOpen(at: date) { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let wanted = DateComponents(
            hour: opens.hour,
            minute: opens.minute,
            second: 0,
            weekday: (opens.day + 1) % 7 + 1
        )
        var after = date
        // An opening inside a daylight-saving gap falls on the first wall-clock time after the gap; when
        // the whole window lies in the gap that week, the next week's opening is the answer.
        for _ in 0..<3 {
            guard
                let next = calendar.nextDate(
                    after: after,
                    matching: wanted,
                    matchingPolicy: .nextTime,
                    repeatedTimePolicy: .first,
                    direction: .forward
                )
            else { break }
            if isOpen(at: next) { return next }
            after = next
        }
        return after
    }

    /// Seconds since Monday 00:00 on the zone's wall clock.
    private func secondsIntoWeek(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute, .second], from: date)
        // Calendar weekdays run 1 (Sunday) … 7 (Saturday).
        let day = ((parts.weekday ?? 2) + 5) % 7
        return WeekTime(day: day, hour: parts.hour ?? 0, minute: parts.minute ?? 0).seconds + (parts.second ?? 0)
    }

    private static func weekTime(
        _ text: Substring,
        shape: String,
        refuse: (String) -> MaintenanceWindowSyntaxError
    ) throws(MaintenanceWindowSyntaxError) -> WeekTime {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 2 else { throw refuse(shape) }
        guard let day = dayNames.firstIndex(where: { $0.lowercased() == words[0].lowercased() }) else {
            throw refuse("unknown day \"\(words[0])\"; expected one of \(dayNames.joined(separator: ", "))")
        }
        let clock = words[1].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2, clock.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), hour < 24, minute < 60
        else {
            throw refuse("bad time \"\(words[1])\"; expected HH:MM from 00:00 to 23:59")
        }
        return WeekTime(day: day, hour: hour, minute: minute)
    }
}
