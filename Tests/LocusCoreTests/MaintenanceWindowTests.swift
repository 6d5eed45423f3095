import Foundation
import Testing

@testable import LocusCore

@Suite("Maintenance window")
struct MaintenanceWindowTests {
    /// `2025-03-30T02:59:00Z` and the like.
    static func at(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    @Test func parsesDaysInAnyCaseAndKeepsTheText() throws {
        let window = try MaintenanceWindow(parsing: "sat 22:00-SUN 04:00 utc")
        #expect(window.text == "sat 22:00-SUN 04:00 utc")
        #expect(window.timeZone == TimeZone(identifier: "UTC"))
        #expect(
            try MaintenanceWindow(parsing: "Sun 01:00 - Sun 05:00 Europe/Berlin").timeZone.identifier == "Europe/Berlin"
        )
        #expect(
            try MaintenanceWindow(parsing: "Mon 00:00-Tue 00:00 America/Port-au-Prince").isOpen(
                at: try Self.at("2025-03-31T12:00:00Z")
            )
        )
    }

    @Test(arguments: [
        ("Sat 22:00 UTC", "expected DAY HH:MM-DAY HH:MM ZONE, like \"Sat 22:00-Sun 04:00 UTC\""),
        ("Sat 22:00-Sun 04:00", "expected DAY HH:MM-DAY HH:MM ZONE, like \"Sat 22:00-Sun 04:00 UTC\""),
        ("Sa 22:00-Sun 04:00 UTC", "unknown day \"Sa\"; expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
        ("Sat 24:00-Sun 04:00 UTC", "bad time \"24:00\"; expected HH:MM from 00:00 to 23:59"),
        ("Sat 2:00-Sun 04:00 UTC", "bad time \"2:00\"; expected HH:MM from 00:00 to 23:59"),
        ("Sat 22:00-Sun 04:60 UTC", "bad time \"04:60\"; expected HH:MM from 00:00 to 23:59"),
        ("Sat 22:00-Sat 22:00 UTC", "it opens and closes at the same time; write when it closes"),
        (
            "Sat 22:00-Sun 04:00 Europe/Berln",
            "unknown time zone \"Europe/Berln\"; expected UTC or an IANA name such as Europe/Berlin"
        ),
    ])
    func badTextNamesWhatIsWrong(_ text: String, _ reason: String) {
        #expect(throws: MaintenanceWindowSyntaxError(text: text, reason: reason)) {
            try MaintenanceWindow(parsing: text)
        }
    }

    @Test func weekendWindowIsOpenFromSaturdayNightToSundayMorning() throws {
        let window = try MaintenanceWindow(parsing: "Sat 22:00-Sun 04:00 UTC")
        #expect(!window.isOpen(at: try Self.at("2025-03-29T21:59:59Z")))
        #expect(window.isOpen(at: try Self.at("2025-03-29T22:00:00Z")))
        #expect(window.isOpen(at: try Self.at("2025-03-30T03:59:59Z")))
        #expect(!window.isOpen(at: try Self.at("2025-03-30T04:00:00Z")))
        #expect(!window.isOpen(at: try Self.at("2025-04-02T12:00:00Z")))
        let monday = try Self.at("2025-03-31T10:00:00Z")
        #expect(window.nextOpening(after: monday) == (try Self.at("2025-04-05T22:00:00Z")))
        let inside = try Self.at("2025-03-30T01:00:00Z")
        #expect(window.nextOpening(after: inside) == inside)
    }

    @Test func windowWrapsOverTheEndOfTheWeek() throws {
        let window = try MaintenanceWindow(parsing: "Sun 22:00-Mon 04:00 UTC")
        #expect(window.isOpen(at: try Self.at("2025-03-30T23:30:00Z")))
        #expect(window.isOpen(at: try Self.at("2025-03-31T03:00:00Z")))
        #expect(!window.isOpen(at: try Self.at("2025-03-31T04:00:00Z")))
        #expect(!window.isOpen(at: try Self.at("2025-03-30T21:00:00Z")))
        #expect(!window.isOpen(at: try Self.at("2025-03-26T12:00:00Z")))
        let tuesday = try Self.at("2025-04-01T08:00:00Z")
        #expect(window.nextOpening(after: tuesday) == (try Self.at("2025-04-06T22:00:00Z")))
    }

    @Test func windowFollowsTheWallClockOverTheSpringChange() throws {
        // Europe/Berlin moves from 02:00 CET to 03:00 CEST on Sunday 2025-03-30 (01:00 UTC).
        let window = try MaintenanceWindow(parsing: "Sun 01:00-Sun 05:00 Europe/Berlin")
        let before = try Self.at("2025-03-27T12:00:00Z")
        #expect(window.nextOpening(after: before) == (try Self.at("2025-03-30T00:00:00Z")))
        #expect(window.isOpen(at: try Self.at("2025-03-30T02:59:00Z")))
        #expect(!window.isOpen(at: try Self.at("2025-03-30T03:00:00Z")))
        // A week earlier, still on CET, the same window closes an hour later in UTC.
        #expect(window.isOpen(at: try Self.at("2025-03-23T03:30:00Z")))
        let after = try Self.at("2025-04-02T12:00:00Z")
        #expect(window.nextOpening(after: after) == (try Self.at("2025-04-05T23:00:00Z")))
    }

    @Test func openingInsideTheSkippedHourFallsOnTheFirstTimeAfterIt() throws {
        let window = try MaintenanceWindow(parsing: "Sun 02:30-Sun 04:00 Europe/Berlin")
        let saturday = try Self.at("2025-03-29T12:00:00Z")
        let opening = window.nextOpening(after: saturday)
        #expect(opening == (try Self.at("2025-03-30T01:00:00Z")))
        #expect(window.isOpen(at: opening))
    }

    @Test func openingInsideTheRepeatedHourIsItsFirstPass() throws {
        // Europe/Berlin goes back from 03:00 CEST to 02:00 CET on Sunday 2025-10-26 (01:00 UTC).
        let window = try MaintenanceWindow(parsing: "Sun 02:30-Sun 04:00 Europe/Berlin")
        let saturday = try Self.at("2025-10-25T12:00:00Z")
        #expect(window.nextOpening(after: saturday) == (try Self.at("2025-10-26T00:30:00Z")))
        #expect(window.isOpen(at: try Self.at("2025-10-26T02:59:00Z")))
        #expect(!window.isOpen(at: try Self.at("2025-10-26T03:00:00Z")))
    }

    @Test func configReadsTheWindow() throws {
        let text = ConfigErrorCase.locusBase + "[approvals]\nmaintenance_window = \"Sat 22:00-Sun 04:00 UTC\"\n"
        let config = try LocusConfig.parse(text, file: "locus.toml", directories: testDirectories)
        #expect(config.approvals.maintenanceWindow?.text == "Sat 22:00-Sun 04:00 UTC")
        #expect(config.approvals.maintenanceWindow?.isOpen(at: try Self.at("2025-03-29T23:00:00Z")) == true)
    }
}
