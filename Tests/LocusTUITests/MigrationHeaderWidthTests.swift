import Foundation
import LocusCore
import Testing

@testable import LocusTUI

/// What waits for the viewer stays in the header on a narrow screen, whichever view is open: it comes
/// right after the configuration's name, before the counts a narrow header gives up first.
@Suite("Migrations: the header at narrow widths")
struct MigrationHeaderWidthTests {
    typealias M = MigrationFixtures

    @Test(arguments: [(80, 24), (60, 15)])
    func theMigrationWaitingForTheViewerKeepsItsPlaceInTheHeader(width: Int, height: Int) throws {
        let context = ShellContext(
            size: Size(width: width, height: height),
            configName: "lab",
            operatorName: "ops1",
            clock: ClockTime(hour: 9, minute: 5),
            world: .empty
        )
        var backend = TextBackend(size: context.size)
        try backend.present(Shell.render(UIState(), context, live: M.data(M.board(M.mixed))))
        let header = try #require(backend.lines.first)
        #expect(header.contains("· lab · ! m-00000001 waits for you ·"), "\(header)")
        #expect(header.hasSuffix("ops1 09:05 ┐"), "\(header)")
    }
}
