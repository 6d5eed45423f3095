import Foundation
import Testing

/// `locus lab` in tmux: the operator moves a cursor onto a workload's dependencies and reads
/// their last checks, made by the engine's probes against the lab's DNS responder, load
/// balancer and services.
@Suite("Dependency last check over the lab", .serialized)
struct DependencyCheckKeysTests {
    typealias Harness = DashboardEndToEndTests.Harness

    @Test func operatorReadsTheLastCheckOfEachDependency() throws {
        let harness = try Harness()
        let tmux = harness.tmux
        let labDirectory = harness.scratch.file("lab")
        try harness.startLocus(arguments: "lab --workloads 30 --seed 1 --churn 0 --dir \(shellQuoted(labDirectory))")
        try tmux.waitFor("the workload list", timeout: .seconds(60)) {
            $0.contains("[1 Workloads]") && $0.contains("30 of 30 workloads")
        }

        // One workload whose record, pool membership and auth service were probed.
        try tmux.press("/")
        try tmux.type("api-01", enter: true)
        try tmux.waitFor("api-01's probed dependencies", timeout: .seconds(60)) {
            $0.contains("1 of 30 workloads") && $0.contains("ok  dns api-01.lab.test")
                && $0.contains("ok  lb be_api/api-01") && $0.contains("  auth")
        }

        // Tab puts the cursor on the first dependency; the hints name Enter.
        try tmux.press("Tab")
        try tmux.waitFor("the cursor on the record") {
            Self.cursor(on: "dns api-01.lab.test", in: $0) && $0.contains("⏎ last check")
        }
        try tmux.press("Down")
        try tmux.press("Down")
        try tmux.waitFor("the cursor on the pool member") { Self.cursor(on: "lb be_api/api-01", in: $0) }

        // Enter: what was asked of the load balancer, what it said, when and how fast.
        try tmux.press("Enter")
        var screen = try tmux.waitFor("the pool member's last check") {
            $0.contains("Last check · api-01 · lb be_api/api-01") && $0.contains("Enter close · Esc list")
        }
        #expect(screen.contains("for show servers state be_api"))
        #expect(screen.range(of: #"check +asked 127\.0\.0\.1:\d+"#, options: .regularExpression) != nil)
        #expect(screen.range(of: #"expected +10\.\d+\.\d+\.\d+:8443"#, options: .regularExpression) != nil)
        #expect(screen.range(of: #"observed +10\.\d+\.\d+\.\d+:8443"#, options: .regularExpression) != nil)
        let checked = #"checked +(just now|\d+m ago) · \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#
        #expect(screen.range(of: checked, options: .regularExpression) != nil, "\(screen)")
        #expect(screen.range(of: #"rtt +\d+(\.\d)? ms"#, options: .regularExpression) != nil, "\(screen)")

        // ↑↓ show the other dependencies' checks; the record's has its TTL against the threshold.
        try tmux.press("Up")
        try tmux.press("Up")
        screen = try tmux.waitFor("the record's last check") {
            $0.contains("Last check · api-01 · dns api-01.lab.test")
        }
        #expect(screen.contains("for api-01.lab.test A and AAAA"))
        #expect(screen.range(of: #"ttl +\d+s, threshold 300s"#, options: .regularExpression) != nil, "\(screen)")

        // The box takes every key: a view key does nothing until Enter closes it.
        try tmux.press("5")
        try tmux.press("Enter")
        screen = try tmux.waitFor(absenceOf: "Last check ·")
        #expect(screen.contains("[1 Workloads]"))
        #expect(Self.cursor(on: "dns api-01.lab.test", in: screen))

        // Esc goes back to the list, the next clears the filter.
        try tmux.press("Escape")
        try tmux.waitFor("the list focused again") { $0.contains("s sort") && !$0.contains("⏎ last check") }
        try tmux.press("Escape")
        try tmux.waitFor("the unfiltered list") { $0.contains("30 of 30 workloads") }

        try tmux.press("q")
        #expect(try harness.exitStatus(timeout: .seconds(30)) == 0)
        try harness.expectTerminalRestored()
    }

    /// Whether the detail pane's cursor (`▶` before a state mark) is on the line of `dependency`.
    static func cursor(on dependency: String, in screen: String) -> Bool {
        screen.split(separator: "\n").contains { row in
            row.range(
                of: "▶\\S \\w+  " + NSRegularExpression.escapedPattern(for: dependency),
                options: .regularExpression
            )
                != nil
        }
    }
}
