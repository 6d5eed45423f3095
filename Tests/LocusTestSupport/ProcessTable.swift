import Foundation
import Glibc

/// The processes of this machine as /proc shows them at one moment: enough to find what a server
/// started for a connection, which program a terminal pane runs, and which session a process is in.
///
/// A snapshot goes stale at once: a process in it may have ended since, and its PID may even belong
/// to another process by the time it is signalled. Tests signal right after reading, and only
/// processes they started themselves or that a server they started forked.
public struct ProcessTable: Sendable {
    /// One process: its ids, its state (`R`, `S`, `Z` for a zombie…), its name (`comm`, at most
    /// 15 bytes) and its argv.
    public struct Entry: Sendable, Hashable {
        public var pid: pid_t
        public var state: Character
        public var parent: pid_t
        public var session: pid_t
        public var name: String
        public var arguments: [String]

        /// The argv joined by spaces, for matching a command line.
        public var commandLine: String { arguments.joined(separator: " ") }
    }

    public let entries: [pid_t: Entry]

    /// Reads every process /proc lists now; one that ends while it is read is left out.
    public init() {
        var entries: [pid_t: Entry] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in names {
            guard let pid = pid_t(name), let entry = Self.read(pid) else { continue }
            entries[pid] = entry
        }
        self.entries = entries
    }

    public func children(of pid: pid_t) -> [Entry] {
        entries.values.filter { $0.parent == pid }.sorted { $0.pid < $1.pid }
    }

    /// Children, their children and so on, parents before their children.
    public func descendants(of pid: pid_t) -> [Entry] {
        var found: [Entry] = []
        var pending = [pid]
        while let next = pending.first {
            pending.removeFirst()
            let children = self.children(of: next)
            found += children
            pending += children.map(\.pid)
        }
        return found
    }

    /// Whether the process runs now: a zombie has ended, whether or not its parent reaped it yet
    /// (an orphan's is reaped by whatever init the machine has, maybe late).
    public static func isRunning(_ pid: pid_t) -> Bool {
        read(pid).map { $0.state != "Z" } ?? false
    }

    /// `/proc/PID/stat` and `/proc/PID/cmdline`. The name sits in parentheses and may itself hold
    /// spaces and parentheses, so the fields after it are counted from the last `)`.
    private static func read(_ pid: pid_t) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let open = stat.firstIndex(of: "("),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let name = String(stat[stat.index(after: open)..<close])
        // state, ppid, pgrp, session, …
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let state = fields[0].first, let parent = pid_t(fields[1]),
            let session = pid_t(fields[3])
        else { return nil }
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let arguments = cmdline.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
        return Entry(pid: pid, state: state, parent: parent, session: session, name: name, arguments: arguments)
    }
}
