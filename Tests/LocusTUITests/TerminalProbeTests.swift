import Testing

@testable import LocusTUI

@Suite("Terminal checks before curses starts")
struct TerminalProbeTests {
    private func probe(
        stdout: Bool = true,
        stdin: Bool = true,
        term: String? = "xterm-256color",
        terminfo: TerminfoVerdict = .usable
    ) -> TerminalProbe {
        TerminalProbe(standardOutputIsTerminal: stdout, standardInputIsTerminal: stdin, term: term, terminfo: terminfo)
    }

    private func refusal(_ probe: TerminalProbe) -> TerminalUnavailable? {
        do {
            try probe.check()
            return nil
        } catch {
            return error
        }
    }

    @Test func aUsableTerminalPasses() {
        #expect(refusal(probe()) == nil)
    }

    @Test func refusals() {
        #expect(refusal(probe(stdout: false)) == .standardOutputNotATerminal)
        #expect(refusal(probe(stdin: false)) == .standardInputNotATerminal)
        #expect(refusal(probe(term: nil)) == .termNotSet)
        #expect(refusal(probe(term: "")) == .termNotSet)
        #expect(refusal(probe(term: "dumb", terminfo: .unknown)) == .dumbTerminal)
        #expect(refusal(probe(term: "vt-nope", terminfo: .unknown)) == .unknownTerminal("vt-nope"))
        #expect(refusal(probe(term: "glass", terminfo: .noCursorAddressing)) == .noCursorAddressing("glass"))
    }

    @Test func stdoutIsCheckedFirst() {
        #expect(refusal(probe(stdout: false, stdin: false, term: "dumb")) == .standardOutputNotATerminal)
    }

    @Test func everyRefusalIsOneLineNamingTheHeadlessCommands() {
        let all: [TerminalUnavailable] = [
            .standardOutputNotATerminal, .standardInputNotATerminal, .termNotSet, .dumbTerminal,
            .unknownTerminal("x"), .noCursorAddressing("x"), .terminfoUnreadable("x"), .cursesRefused("x"),
        ]
        for reason in all {
            let text = reason.description
            #expect(!text.contains("\n"))
            #expect(text.contains("locus snapshot"))
            #expect(text.contains("locus check"))
        }
        #expect(TerminalUnavailable.exitStatus == 2)
    }

    /// On the main actor, like the backend test that starts curses: both use terminfo's global state.
    @MainActor
    @Test func terminfoIsConsulted() {
        #expect(TerminalProbe.current(term: "xterm-256color").terminfo == .usable)
        #expect(TerminalProbe.current(term: "no-such-terminal-type").terminfo == .unknown)
    }
}
