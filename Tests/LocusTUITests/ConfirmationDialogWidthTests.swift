import Testing

@testable import LocusTUI

/// The confirmation is as wide as its longest line where the screen has room, so that what the
/// operator reviews before approving (from → to, the digest) stays on one line.
@Suite("Confirmation dialog width")
struct ConfirmationDialogWidthTests {
    @Test func aDetailLongerThanTheQuestionKeepsItsLineOnAWideScreen() throws {
        let detail = "app-01 cloud-1 → dc-west, digest 51a0d08c"
        let dialog = ConfirmationDialog(
            action: "Approve migration",
            object: "m-ef8a4120",
            details: [detail, "This is the last approval it needs: the cutover starts, detached."]
        )
        let (lines, frame) = try render(width: 200, height: 20) { $0.render(dialog, in: $0.bounds) }
        #expect(lines.contains { $0.contains(detail) }, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("This is the last approval it needs: the cutover starts, detached.") })
        #expect(dialog.box(in: frame.bounds).width <= 76)
    }

    @Test func onANarrowScreenTheDetailsWrapInsideIt() throws {
        let dialog = ConfirmationDialog(
            action: "Approve migration",
            object: "m-ef8a4120",
            details: ["app-01 cloud-1 → dc-west, digest 51a0d08c"]
        )
        let (lines, frame) = try render(width: 40, height: 12) { $0.render(dialog, in: $0.bounds) }
        let box = dialog.box(in: frame.bounds)
        #expect(box.width == 40)
        #expect(lines.contains { $0.contains("digest") } && lines.contains { $0.contains("51a0d08c") })
    }
}
