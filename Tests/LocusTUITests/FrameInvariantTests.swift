import Testing

@testable import LocusTUI

/// Whatever is written where, a frame stays well formed: every wide cell is followed by its
/// continuation, every continuation follows a wide cell, and each row is exactly as wide as
/// the frame.
@Suite("Frame invariants")
struct FrameInvariantTests {
    /// A small deterministic generator, so a failure reproduces.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let pieces = [
        "a", "Z", " ", "漢", "字", "Ａ", "😀", "👩‍💻", "🇫🇷", "❤️", "e\u{301}", "\u{301}", "\u{200D}", "\u{FE0F}",
        "\u{1B}", "\t", "\n", "\u{7F}", "\u{9B}", "\u{202E}", "─", "…", "한",
    ]

    func checkWellFormed(_ frame: Frame) {
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let cell = frame[x, y]
                if cell.width == 2 {
                    #expect(x + 1 < frame.width && frame[x + 1, y].isContinuation, "wide cell at (\(x),\(y))")
                }
                if cell.isContinuation {
                    #expect(x > 0 && frame[x - 1, y].width == 2, "stray continuation at (\(x),\(y))")
                }
                #expect(!cell.text.unicodeScalars.contains { $0.properties.generalCategory == .control })
            }
        }
        #expect(frame.renderLines().allSatisfy { $0.terminalWidth == frame.width })
    }

    @Test(arguments: 0..<20)
    func randomWritesKeepTheFrameWellFormed(seed: Int) {
        var random = Generator(state: UInt64(seed) &+ 1)
        var frame = Frame(width: 1 + random.next(30), height: 1 + random.next(6))
        for _ in 0..<200 {
            var text = ""
            for _ in 0..<random.next(12) {
                text += Self.pieces[random.next(Self.pieces.count)]
            }
            let point = Point(x: random.next(frame.width + 6) - 3, y: random.next(frame.height + 2) - 1)
            let clip = Rect(
                x: random.next(frame.width + 4) - 2,
                y: random.next(frame.height + 2) - 1,
                width: random.next(frame.width + 4),
                height: random.next(frame.height + 2)
            )
            switch random.next(5) {
            case 0: frame.fill(clip, with: Self.pieces[random.next(Self.pieces.count)].first ?? " ")
            case 1: frame.draw(box: clip, title: text)
            case 2: frame.put(text, in: clip.row(0), alignment: .trailing, style: .muted)
            default: frame.put(text, at: point, style: .text, clip: clip)
            }
        }
        checkWellFormed(frame)
    }
}
