import Foundation

/// `[approvals] approvers` as logins: names as written, and `@GROUP` as every member of that Unix
/// group on this host — those the group database lists and those whose primary group it is, which
/// it does not list.
enum ApproverLogins {
    struct Expansion: Sendable, Hashable {
        /// Sorted, without duplicates.
        var logins: [String]
        /// What an operator should know: unknown or empty groups.
        var notes: [String]
    }

    static func expand(_ entries: [String]) -> Expansion {
        var logins = Set<String>()
        var notes: [String] = []
        for entry in entries {
            guard entry.hasPrefix("@") else {
                if !entry.isEmpty { logins.insert(entry) }
                continue
            }
            let group = String(entry.dropFirst())
            guard let members = members(of: group) else {
                notes.append("\(entry): no such Unix group on this host; nobody was granted for it")
                continue
            }
            if members.isEmpty { notes.append("\(entry): the group has no members") }
            logins.formUnion(members)
        }
        return Expansion(logins: logins.sorted(), notes: notes)
    }

    /// nil when the group does not exist.
    static func members(of group: String) -> Set<String>? {
        guard let entry = getgrnam(group) else { return nil }
        let gid = entry.pointee.gr_gid
        var members = Set<String>()
        if var member = entry.pointee.gr_mem {
            while let name = member.pointee {
                members.insert(String(cString: name))
                member += 1
            }
        }
        // getgrnam's buffer is reused by the password database calls below: read it first.
        setpwent()
        defer { endpwent() }
        while let user = getpwent() {
            if user.pointee.pw_gid == gid, let name = user.pointee.pw_name {
                members.insert(String(cString: name))
            }
        }
        return members
    }
}
