import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `locus lab` with its dashboard, driven in tmux: a real lab on loopback, real snapshots.
@Suite("Live dashboard over the lab", .serialized)
struct LiveDashboardEndToEndTests {
    typealias Harness = DashboardEndToEndTests.Harness

    @Test func operatorWatchesFiltersInspectsAndAcknowledges() throws {
        let harness = try Harness()
        let tmux = harness.tmux
        let labDirectory = harness.scratch.file("lab")
        try harness.startLocus(arguments: "lab --workloads 300 --seed 1 --churn 2 --dir \(shellQuoted(labDirectory))")

        // Workloads with loopback RLOCs, the active tab marked.
        var screen = try tmux.waitFor("workloads mapped to 127.x RLOCs", timeout: .seconds(60)) {
            $0.contains("[1 Workloads]") && $0.contains(" 127.0.") && $0.contains("of 300 workloads")
        }
        #expect(screen.contains("300 workloads"))
        let ports = LabPorts(configFile: labDirectory + "/locus.toml")
        #expect(!ports.all.isEmpty)

        // The filter narrows the list.
        try tmux.press("/")
        try tmux.type("web state:ok", enter: true)
        screen = try tmux.waitFor("the filtered list") { screen in
            guard let shown = LiveScreenText.shownCount(screen) else { return false }
            return shown > 0 && shown < 300
        }
        let rows = screen.split(separator: "\n").filter { $0.contains(" 127.0.") }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.contains("web") })

        // The detail pane shows the locator set with priority and weight.
        try tmux.press("Enter")
        try tmux.waitFor("locators with priority and weight") {
            $0.range(of: #"127\.0\.\d+\.\d+ +\S+ +pri \d+ wgt \d+"#, options: .regularExpression) != nil
        }
        try tmux.press("Tab")
        try tmux.press("Escape")
        try tmux.waitFor("the unfiltered list") { LiveScreenText.shownCount($0) == 300 }

        // A move appears in Events, and on the workload's row.
        try tmux.press("5")
        screen = try tmux.waitFor("a move in Events", timeout: .seconds(60)) {
            $0.contains("[5 Events]") && LiveScreenText.move(in: $0) != nil
        }
        let move = try #require(LiveScreenText.move(in: screen))
        try tmux.press("1")
        try tmux.press("/")
        try tmux.type(move.name, enter: true)
        try tmux.waitFor("the moved workload's row with its new site") { screen in
            screen.split(separator: "\n").contains { row in
                row.contains(move.name + " ") && row.contains(move.to + " 127.0.")
            }
        }
        // Its detail lists the move among its recent events, read from the store.
        try tmux.press("Enter")
        // Read from the store while the lab churns and probes: generous on a loaded machine.
        try tmux.waitFor(text: "moved \(move.name) ", timeout: .seconds(60))
        // Esc leaves the detail pane (Enter would open a dependency's last check), the next clears the filter.
        try tmux.press("Escape")
        try tmux.press("Escape")

        // Sites: counts by inventory and mapping, and the map-server's registrations.
        try tmux.press("4")
        try tmux.waitFor("a site with its registrations") {
            $0.contains("[4 Sites]") && $0.contains("registered") && $0.contains("by 127.0.")
                && $0.contains("by inventory")
        }
        try tmux.press(":")
        try tmux.type("filter site:dc-west", enter: true)
        try tmux.press("1")
        screen = try tmux.waitFor("only dc-west workloads") { screen in
            guard let shown = LiveScreenText.shownCount(screen) else { return false }
            return shown > 0 && shown < 300 && screen.contains("/site:dc-west")
        }
        let westRows = screen.split(separator: "\n").filter { $0.contains(" 127.0.") }
        #expect(westRows.allSatisfy { $0.contains("dc-west") })
        try tmux.press("Escape")

        // Acknowledging an alert for a time marks it, saying until when.
        try tmux.press("2")
        try tmux.waitFor("an alert", timeout: .seconds(60)) {
            $0.contains("[2 Alerts (") && ($0.contains("CRIT") || $0.contains("WARN"))
        }
        try tmux.press("x")
        try tmux.waitFor(text: "for (Enter: until it clears)")
        try tmux.type("4h", enter: true)
        try tmux.waitFor(text: "Acknowledge alert")
        try tmux.press("y")
        try tmux.waitFor("the alert marked acknowledged for a time") {
            $0.contains("ack ") && $0.contains("acknowledged by") && $0.contains(" until ")
        }

        // q ends everything: the process, its lab and its sockets.
        let pid = try #require(harness.locusPID)
        try tmux.press("q")
        #expect(try harness.exitStatus(timeout: .seconds(30)) == 0)
        try harness.expectTerminalRestored()
        #expect(kill(pid, 0) == -1)
        for port in ports.udp {
            #expect(LabPorts.canBindUDP(port), "UDP port \(port) of the lab is still in use")
        }
        for port in ports.tcp {
            #expect(!LabPorts.answersTCP(port), "TCP port \(port) of the lab still answers")
        }
        #expect(FileManager.default.fileExists(atPath: labDirectory + "/locus.toml"), "--dir is kept")
    }

    @Test func idleDashboardWritesNothingBetweenClockMinutes() throws {
        let scratch = try ScratchDirectory()
        let temporary = scratch.file("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let script = scratch.file("idle.py")
        try IdleScript.text.write(toFile: script, atomically: true, encoding: .utf8)
        let output = try TmuxSession.run(
            "/usr/bin/env",
            [
                "python3", script, LocusBinary.path, scratch.path,
                "lab", "--workloads", "300", "--seed", "1", "--churn", "0",
            ]
        )
        let result = IdleResult(output)
        #expect(result.firstFrame, "no full frame: \(output)")
        #expect(result.windowSeconds >= 3, "measured over \(result.windowSeconds)s: \(output)")
        #expect(result.bytes == 0, "an idle dashboard wrote \(result.bytes) bytes: \(output)")
        #expect(result.exitStatus == 0, "\(output)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        #expect(left.filter { $0.hasPrefix("locus-lab-") }.isEmpty, "temporary lab directory left: \(left)")
    }
}

/// What the idle script printed: `first_frame=1 window=7.5 bytes=0 exit=0`.
struct IdleResult {
    var firstFrame = false
    var windowSeconds = 0.0
    var bytes = -1
    var exitStatus: Int32 = -1

    init(_ output: String) {
        for field in output.split(whereSeparator: \.isWhitespace) {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "first_frame": firstFrame = parts[1] == "1"
            case "window": windowSeconds = Double(parts[1]) ?? 0
            case "bytes": bytes = Int(parts[1]) ?? -1
            case "exit": exitStatus = Int32(parts[1]) ?? -1
            default: break
            }
        }
    }
}

/// Reading the dashboard's screen text.
enum LiveScreenText {
    /// `N` of the `N of 300 workloads` footer.
    static func shownCount(_ screen: String) -> Int? {
        guard let match = screen.range(of: #"\d+ of 300 workloads"#, options: .regularExpression) else { return nil }
        return Int(screen[match].split(separator: " ")[0])
    }

    /// The first `moved NAME FROM → TO` on the screen.
    static func move(in screen: String) -> (name: String, to: String)? {
        guard let match = screen.range(of: #"moved \S+ \S+ → \S+"#, options: .regularExpression) else { return nil }
        let words = screen[match].split(separator: " ").map(String.init)
        return (words[1], words[4])
    }
}

/// The loopback ports a lab's `locus.toml` points at.
struct LabPorts {
    var udp: [UInt16] = []
    var tcp: [UInt16] = []

    var all: [UInt16] { udp + tcp }

    init(configFile: String) {
        let text = (try? String(contentsOfFile: configFile, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            guard let match = line.range(of: #"127\.0\.0\.1:\d+"#, options: .regularExpression),
                let port = UInt16(line[match].split(separator: ":")[1])
            else { continue }
            if line.contains("api") {
                tcp.append(port)
            } else {
                udp.append(port)
            }
        }
    }

    static func canBindUDP(_ port: UInt16) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func answersTCP(_ port: UInt16) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
