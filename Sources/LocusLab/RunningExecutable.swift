import Foundation

/// The absolute path of the program running now, for argv that another process runs later: a cutover
/// runner detached from any terminal, perhaps as another user, with another `PATH` or working directory.
public enum RunningExecutable {
    public static var path: String {
        // The kernel's link names the file itself, whatever argv[0] or PATH said.
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            resolved.hasPrefix("/")
        {
            return resolved
        }
        if let path = Bundle.main.executablePath, path.hasPrefix("/") { return path }
        let first = CommandLine.arguments.first ?? "locus"
        return first.hasPrefix("/") ? first : FileManager.default.currentDirectoryPath + "/" + first
    }
}
