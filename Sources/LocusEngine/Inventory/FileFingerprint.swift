#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What tells a file's versions apart without reading it: device, inode (an editor that saves by
/// renaming makes a new one), size and modification time to the nanosecond.
struct FileFingerprint: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64

    /// The fingerprint of `path`, or the reason it cannot be taken.
    static func of(_ path: String) -> Result<FileFingerprint, StatFailure> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(StatFailure(reason: String(cString: strerror(errno))))
        }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return .success(
            FileFingerprint(
                device: UInt64(info.st_dev),
                inode: UInt64(info.st_ino),
                size: Int64(info.st_size),
                modifiedSeconds: Int64(modified.tv_sec),
                modifiedNanoseconds: Int64(modified.tv_nsec)
            )
        )
    }

    struct StatFailure: Error, Sendable, Hashable {
        var reason: String
    }
}
