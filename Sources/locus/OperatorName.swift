import Foundation

/// The name of the user the process runs as: what the header shows as the operator.
///
/// Taken from the password database rather than `$USER`, which `sudo` and `su` leave stale.
enum OperatorName {
    static func current() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "uid \(getuid())"
    }
}
