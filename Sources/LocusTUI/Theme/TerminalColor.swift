/// A colour as a terminal knows it: the terminal's own default, or an index of the xterm
/// 256-colour palette (0–7 the basic colours, 8–15 their bright forms, 16–231 a 6×6×6 cube,
/// 232–255 greys).
public enum TerminalColor: Hashable, Sendable, CustomStringConvertible {
    /// The terminal's default foreground or background (transparent backgrounds stay so).
    case terminalDefault
    case indexed(UInt8)

    /// Names accepted in theme files for the first sixteen colours.
    public static let names: [String] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// Parses a theme file's colour: `"default"`, a name from `names` (`"grey"`/`"gray"` are
    /// bright black), `"#rrggbb"` (mapped to the nearest palette colour) or a palette index.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "default" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: lowered) {
            self = .indexed(UInt8(index))
        } else if lowered == "grey" || lowered == "gray" {
            self = .indexed(8)
        } else if lowered.hasPrefix("#"), lowered.count == 7, let rgb = UInt32(lowered.dropFirst(), radix: 16) {
            let color = RGB(red: Int(rgb >> 16 & 0xFF), green: Int(rgb >> 8 & 0xFF), blue: Int(rgb & 0xFF))
            // The cube and the greys (16–255) look the same on every terminal; 0–15 do not.
            self = .indexed(UInt8(color.nearestIndex(in: 16..<256)))
        } else {
            return nil
        }
    }

    public init?(index: Int) {
        guard (0...255).contains(index) else { return nil }
        self = .indexed(UInt8(index))
    }

    /// The colour number for curses (`init_pair`): -1 for the default, else the index.
    public var cursesNumber: Int16 {
        switch self {
        case .terminalDefault: return -1
        case .indexed(let index): return Int16(index)
        }
    }

    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case .indexed(let index) where index < 16: return Self.names[Int(index)]
        case .indexed(let index): return "\(index)"
        }
    }

    /// The nearest colour a terminal of `depth` can show (the default stays the default).
    public func downgraded(to depth: ColorDepth) -> TerminalColor {
        guard case .indexed(let index) = self else { return self }
        let count = depth.colorCount
        guard count > 0 else { return .terminalDefault }
        guard Int(index) >= count else { return self }
        return .indexed(UInt8(RGB.palette[Int(index)].nearestIndex(in: 0..<count)))
    }

    /// Perceived brightness 0–255, to choose a readable colour on top of this one.
    var brightness: Int {
        guard case .indexed(let index) = self else { return 0 }
        let rgb = RGB.palette[Int(index)]
        return (rgb.red * 299 + rgb.green * 587 + rgb.blue * 114) / 1000
    }
}

/// An sRGB colour of the xterm palette.
struct RGB: Hashable, Sendable {
    var red: Int
    var green: Int
    var blue: Int

    /// xterm's default palette: what the indexes look like on most terminals.
    static let palette: [RGB] = {
        var colors: [RGB] = [
            RGB(red: 0, green: 0, blue: 0), RGB(red: 205, green: 0, blue: 0),
            RGB(red: 0, green: 205, blue: 0), RGB(red: 205, green: 205, blue: 0),
            RGB(red: 0, green: 0, blue: 238), RGB(red: 205, green: 0, blue: 205),
            RGB(red: 0, green: 205, blue: 205), RGB(red: 229, green: 229, blue: 229),
            RGB(red: 127, green: 127, blue: 127), RGB(red: 255, green: 0, blue: 0),
            RGB(red: 0, green: 255, blue: 0), RGB(red: 255, green: 255, blue: 0),
            RGB(red: 92, green: 92, blue: 255), RGB(red: 255, green: 0, blue: 255),
            RGB(red: 0, green: 255, blue: 255), RGB(red: 255, green: 255, blue: 255),
        ]
        let levels = [0, 95, 135, 175, 215, 255]
        for red in levels {
            for green in levels {
                for blue in levels {
                    colors.append(RGB(red: red, green: green, blue: blue))
                }
            }
        }
        for step in 0..<24 {
            let grey = 8 + step * 10
            colors.append(RGB(red: grey, green: grey, blue: grey))
        }
        return colors
    }()

    /// The index of the palette colour nearest to this one among `indexes`.
    func nearestIndex(in indexes: Range<Int>) -> Int {
        var best = indexes.lowerBound
        var bestDistance = Int.max
        for index in indexes.clamped(to: 0..<Self.palette.count) {
            let other = Self.palette[index]
            let (dr, dg, db) = (red - other.red, green - other.green, blue - other.blue)
            // Weighted for the eye's sensitivity, so greens and greys land where they look closest.
            let distance = 3 * dr * dr + 4 * dg * dg + 2 * db * db
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }
}
