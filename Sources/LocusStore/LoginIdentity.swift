import Foundation
import LocusCore

/// Who this process is, from the password and group databases: never from a flag or `$USER`.
public enum LoginIdentity {
    /// The login of the real user id, or `uid N` when the password database has no entry.
    public static func currentUser() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "uid \(getuid())"
    }

    /// The names of every group the login belongs to (primary and supplementary).
    public static func groups(of user: String) -> Set<String> {
        guard let entry = getpwnam(user) else { return [] }
        let primary = entry.pointee.pw_gid
        var count: Int32 = 64
        var ids = [gid_t](repeating: 0, count: Int(count))
        while getgrouplist(user, primary, &ids, &count) == -1 {
            ids = [gid_t](repeating: 0, count: Int(count) + 16)
            count = Int32(ids.count)
        }
        var names = Set<String>()
        for id in ids.prefix(Int(count)) {
            if let group = getgrgid(id), let name = group.pointee.gr_name {
                names.insert(String(cString: name))
            }
        }
        return names
    }

    /// The login, the uid, this host, the controlling terminal and the ssh client address.
    public static func currentOrigin(environment: [String: String] = ProcessInfo.processInfo.environment) -> AuditOrigin
    {
        AuditOrigin(
            user: currentUser(),
            uid: UInt32(getuid()),
            host: ProcessInfo.processInfo.hostName,
            tty: controllingTerminal(),
            sshClient: AuditOrigin.sshClient(fromConnection: environment["SSH_CONNECTION"])
        )
    }

    /// The process's controlling terminal (`tty_nr` of /proc/self/stat), so that a command whose
    /// standard streams are redirected still names the terminal it was run from; a terminal on a
    /// standard stream where /proc does not say.
    static func controllingTerminal() -> String? {
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let number = controllingTerminalNumber(stat: stat), let name = terminalName(number)
        {
            return name
        }
        for descriptor: Int32 in [0, 1, 2] where isatty(descriptor) == 1 {
            if let name = ttyname(descriptor) { return String(cString: name) }
        }
        return nil
    }

    /// `tty_nr`, the seventh field of /proc/self/stat; nil for none (0) or an unreadable line. The
    /// command name (second field) is in parentheses and may hold spaces, so fields count from the
    /// last `)`.
    static func controllingTerminalNumber(stat: String) -> UInt32? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state, ppid, pgrp, session, tty_nr.
        guard fields.count > 4, let number = Int64(fields[4]), number > 0 else { return nil }
        return UInt32(truncatingIfNeeded: number)
    }

    /// The device name of terminal `number`: `/dev/pts/N` for a pseudo-terminal (majors 136–143),
    /// `/dev/ttyN` for a virtual console, nil for what Locus does not name.
    static func terminalName(_ number: UInt32) -> String? {
        let major = (number >> 8) & 0xfff
        let minor = (number & 0xff) | ((number >> 12) & 0xfff00)
        switch major {
        case 136...143: return "/dev/pts/\((major - 136) * 256 + minor)"
        case 4 where minor < 64: return "/dev/tty\(minor)"
        default: return nil
        }
    }
}
