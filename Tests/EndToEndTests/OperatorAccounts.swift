import Foundation
import LocusTestSupport

/// The real Unix users migration tests act as: `ops1` and `ops2` approve (`ops2` through the
/// `netops` group), `ops3` only requests; all three share a store through the `locusops` group.
///
/// `scripts/test` creates them; a test creates any that are missing (it runs as root), so a suite
/// also runs on its own.
enum OperatorAccounts {
    static let users = ["ops1", "ops2", "ops3"]
    static let sharedGroup = "locusops"
    static let approverGroup = "netops"

    /// As root; under CI, which runs as root, always: there a missing right fails instead of skipping.
    static var canCreate: Bool { getuid() == 0 || ProcessInfo.processInfo.environment["CI"] != nil }

    static func ensure() throws {
        for group in [sharedGroup, approverGroup] where getgrnam(group) == nil {
            try run("/usr/sbin/groupadd", [group])
        }
        for user in users where getpwnam(user) == nil {
            try run("/usr/sbin/useradd", ["-M", "-s", "/bin/sh", user])
        }
        for user in users {
            try run("/usr/sbin/usermod", ["-aG", sharedGroup, user])
        }
        try run("/usr/sbin/usermod", ["-aG", approverGroup, "ops2"])
    }

    static func uid(of user: String) -> UInt32? {
        getpwnam(user).map { UInt32($0.pointee.pw_uid) }
    }

    /// A directory the three share the way CONFIG.md says a jump host shares a SQLite store:
    /// group-owned, setgid, group-writable.
    static func shareDirectory(_ path: String) throws {
        try run("/bin/chgrp", ["-R", sharedGroup, path])
        try run("/bin/chmod", ["-R", "g+rwX", path])
        try run("/usr/bin/find", [path, "-type", "d", "-exec", "chmod", "g+s,o+rx", "{}", "+"])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let result = try ChildProcess.run(executable, arguments)
        guard result.status == 0 else {
            throw TestServerError(
                "\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)"
            )
        }
    }
}
