import Testing

@testable import LocusStore

@Suite("Login identity: the terminal a decision was made from")
struct LoginIdentityTests {
    @Test func theControllingTerminalIsReadAfterACommandNameWithSpacesAndParentheses() {
        let stat = "4242 (locus (x) y) S 4200 4242 4200 34819 4242 4194560 0 0 0 0 1 0 0 0 20 0 1 0 0 0"
        #expect(LoginIdentity.controllingTerminalNumber(stat: stat) == 34819)
        #expect(LoginIdentity.controllingTerminalNumber(stat: "1 (init) S 0 1 1 0 -1") == nil)
        #expect(LoginIdentity.controllingTerminalNumber(stat: "garbage") == nil)
    }

    @Test(arguments: [
        (UInt32(136 << 8 | 3), "/dev/pts/3"),
        (UInt32(137 << 8 | 44), "/dev/pts/300"),
        // A minor past 255 keeps its high bits above the major.
        (UInt32(136 << 8 | 0x12 | 0x1 << 20), "/dev/pts/274"),
        (UInt32(4 << 8 | 2), "/dev/tty2"),
    ])
    func terminalNumbersAreNamedAsTheDeviceFiles(number: UInt32, name: String) {
        #expect(LoginIdentity.terminalName(number) == name)
    }

    @Test func aSerialLineIsNotNamed() {
        #expect(LoginIdentity.terminalName(UInt32(4 << 8 | 64)) == nil)
    }
}
