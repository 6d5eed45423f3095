import Foundation
import Testing

@testable import LocusTUI

#if canImport(Glibc)
import Glibc
#endif

/// The real ncurses backend writing to a file instead of a terminal, so the bytes it sends
/// can be counted.
@Suite("ncurses backend output", .serialized)
@MainActor
struct NcursesBackendTests {
    @Test func writesNothingForAnUnchangedFrameAndLittleForOneCell() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("locus-backend-\(UUID().uuidString)")
            .path
        defer { unlink(path) }
        let output = try #require(fopen(path, "w"))
        let input = try #require(fopen("/dev/null", "r"))
        defer {
            fclose(output)
            fclose(input)
        }
        let terminal = try Terminal(
            term: "xterm-256color",
            output: output,
            input: input,
            options: Terminal.Options(),
            noColor: false
        )
        defer { terminal.close() }
        let backend = NcursesBackend(terminal: terminal, theme: .default)
        func written() -> Int {
            fflush(output)
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
        }

        let state = UIState()
        var context = ShellContext(
            size: terminal.size,
            operatorName: "ops",
            clock: ClockTime(hour: 9, minute: 5),
            world: .noConfig(path: "/home/ops/.config/locus/locus.toml")
        )
        let frame = Shell.render(state, context)
        backend.present(frame)
        let first = written()
        #expect(first > frame.width * frame.height / 2)

        backend.present(frame)
        backend.present(Shell.render(state, context))
        #expect(written() == first)

        context.clock = ClockTime(hour: 9, minute: 6)
        backend.present(Shell.render(state, context))
        let afterClock = written()
        // One cursor move and one character with its attributes and colours (about 50 bytes
        // under xterm-256color), not a repaint of thousands.
        #expect(afterClock > first)
        #expect(
            afterClock - first < 64,
            "\(String(decoding: FileManager.default.contents(atPath: path)!.suffix(afterClock - first), as: UTF8.self).debugDescription)"
        )

        backend.present(Shell.render(state, context))
        #expect(written() == afterClock)
    }
}
