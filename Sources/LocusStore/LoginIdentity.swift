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

    private static func controllingTerminal() -> String? {
        for descriptor: Int32 in [0, 1, 2] where isatty(descriptor) == 1 {
            if let name = ttyname(descriptor) { return String(cString: name) }
        }
        return nil
    }
}
