import Foundation
import LocusFuzzing

#if FUZZING
// libFuzzer's own driver, called instead of its main: SwiftPM links an executable's entry point as main.
@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

// Set once in main before the driver starts calling the callback, which cannot capture; never written after.
nonisolated(unsafe) private var fuzzedTarget: FuzzTarget = .lisp
#endif

/// Built by `scripts/fuzz` (with -sanitize=fuzzer and -DFUZZING), this is libFuzzer driving the target named
/// by LOCUS_FUZZ_TARGET: one instrumented build covers every target. Built normally, it replays inputs:
/// `locus-fuzz TARGET FILE...` runs each file through the target's parser, which is how an input libFuzzer
/// found is reproduced in a debugger.
@main
enum LocusFuzz {
    static func main() {
        #if FUZZING
        let name = ProcessInfo.processInfo.environment["LOCUS_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fail(usage: "LOCUS_FUZZ_TARGET must be one of \(names(", ")), got \"\(name)\"")
        }
        fuzzedTarget = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(
            runFuzzerDriver(&argc, &argv) { data, size in
                fuzzedTarget.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
                return 0
            }
        )
        #else
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            fail(usage: "usage: locus-fuzz \(names("|")) FILE...")
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("locus-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            target.run([UInt8](data))
            print("\(path): ok")
        }
        #endif
    }

    private static func names(_ separator: String) -> String {
        FuzzTarget.allCases.map(\.rawValue).joined(separator: separator)
    }

    private static func fail(usage: String) -> Never {
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(2)
    }
}
